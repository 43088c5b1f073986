# syntax=docker/dockerfile:1
# Digit Lab: a Node stage builds the static app; an unprivileged nginx stage serves it. Nothing else runs.
# Build:  docker build -t digit-lab .            (podman build works the same)
#         --build-arg INCLUDE_PRETRAINED=false   leaves the model out (the page then offers training)
#         --build-arg SERVED_MODEL=my-model      serves your own model instead: a folder in the build context
#                                                holding what the app's "Export" (TensorFlow.js) saved: model.json,
#                                                its .bin shards and model-card.json
# Run:    docker run --rm -p 8080:8080 --read-only --tmpfs /tmp --user 12345:0 --cap-drop ALL digit-lab
#         add -v "$PWD/my-model:/usr/share/nginx/html/models/pretrained:ro" to serve a model without rebuilding.
#
# Base images are pinned by digest (the multi-platform index), so a rebuild gets the same bases until someone
# moves the pin. To move it: `skopeo inspect --format '{{.Digest}}' docker://docker.io/library/node:20-bookworm-slim`
# (or `docker buildx imagetools inspect ...`), then replace the digest below. Where no registry can be reached
# (this project's CI), scripts/container/base-images.sh makes local stand-ins under the same names without the
# digest, and scripts/container/build.sh passes those names as NODE_IMAGE / DEBIAN_IMAGE.
ARG NODE_IMAGE=docker.io/library/node:20-bookworm-slim@sha256:2cf067cfed83d5ea958367df9f966191a942351a2df77d6f0193e162b5febfc0
ARG DEBIAN_IMAGE=docker.io/library/debian:bookworm-slim@sha256:d5d3f9c23164ea16f31852f95bd5959aad1c5e854332fe00f7b3a20fcc9f635c

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
ARG INCLUDE_PRETRAINED=true
ARG SERVED_MODEL=
RUN sh scripts/container/place-served-model.sh "$INCLUDE_PRETRAINED" "$SERVED_MODEL" \
 && npm run build

# Debian's nginx, the same build and modules the end-to-end tests run this configuration with.
FROM ${DEBIAN_IMAGE} AS serve
RUN apt-get update \
 && apt-get install -y --no-install-recommends nginx-light libnginx-mod-http-brotli-static \
 && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled /etc/nginx/conf.d
COPY nginx/nginx.conf nginx/security-headers.conf /etc/nginx/
COPY --from=build /app/dist /usr/share/nginx/html
# Any user id in group 0 (OpenShift's arbitrary UIDs) can read everything; nothing needs to be written but /tmp.
RUN chgrp -R 0 /usr/share/nginx/html /etc/nginx && chmod -R g=u,o+r /usr/share/nginx/html /etc/nginx
USER 10001:0
EXPOSE 8080
# Kept by `docker build` and `podman build --format docker` (the OCI format has no health check): bash's own
# /dev/tcp asks nginx for /healthz, so the image needs no curl. Kubernetes and OpenShift use the deployment's
# probes (deploy/deployment.yaml) instead.
HEALTHCHECK --interval=30s --timeout=3s --start-period=5s \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /healthz HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
STOPSIGNAL SIGQUIT
CMD ["nginx", "-e", "stderr", "-g", "daemon off;"]
