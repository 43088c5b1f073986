#!/bin/sh
# Run by the Dockerfile's build stage, before `npm run build`: decides which model the image serves at
# /models/pretrained/. Arguments: INCLUDE_PRETRAINED (true/false) and SERVED_MODEL (a folder in the build context,
# or empty for the repository's pre-trained model). A served folder must hold what the app's TensorFlow.js export
# saves: model.json, the .bin shards it names, and model-card.json (the page shows the model by its card).
set -eu
include=$1
served=$2
target=public/models/pretrained
if [ "$include" != true ]; then
  [ -z "$served" ] || { echo "SERVED_MODEL=$served given with INCLUDE_PRETRAINED=$include: choose one" >&2; exit 1; }
  rm -rf "$target"
  echo "No model is served: the page offers training."
  exit 0
fi
[ -n "$served" ] || exit 0
if [ ! -d "$served" ]; then
  echo "SERVED_MODEL=$served is not a folder in the build context (is it listed in .dockerignore?)" >&2
  exit 1
fi
for file in model.json model-card.json; do
  if [ ! -f "$served/$file" ]; then
    echo "SERVED_MODEL=$served has no $file: export the model from the app (TensorFlow.js format) into that folder" >&2
    exit 1
  fi
done
# Every weight file model.json names must be there (a missing shard would only show in the browser).
for shard in $(tr ',[]' '\n\n\n' <"$served/model.json" | sed -n 's/.*"\([^"/]*\.bin\)".*/\1/p' | sort -u); do
  [ -f "$served/$shard" ] || { echo "SERVED_MODEL=$served lacks $shard, which its model.json names" >&2; exit 1; }
done
rm -rf "$target"
mkdir -p "$target"
cp "$served"/model.json "$served"/model-card.json "$served"/*.bin "$target"/
echo "Serving the model in $served: $(node -p "JSON.parse(require(\"fs\").readFileSync(process.argv[1], \"utf8\")).name" "$served/model-card.json")"
