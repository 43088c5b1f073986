/**
 * Checks a Sequential model's layer list before TensorFlow.js builds it: tfjs's Sequential.fromConfig iterates
 * `config.layers` (or the config itself, Keras 2.1's bare list) without asking what it is, so a model.json whose
 * layers were a number or an object was refused in the engine's words ("Object is not iterable"), a string was
 * read letter by letter as layer names, an empty bare list and a null layer as "Cannot read properties of
 * undefined". Pure; nested Sequential models (a Sequential used as a layer, inside either kind of model) are
 * checked too (the config's depth is already bounded, jsonNesting.ts).
 */

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What a value is, for people: "the number 7", "an object", "a string". */
function what(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** The Sequential models in a topology: the model's own and any nested one (its config as written). */
function sequentialConfigs(topology: unknown): unknown[] {
  const found: unknown[] = [];
  const stack: unknown[] = [topology];
  while (stack.length) {
    const v = stack.pop();
    if (Array.isArray(v)) for (const item of v) stack.push(item);
    else if (isObject(v)) {
      if (v.class_name === 'Sequential') found.push(v.config);
      for (const key of ['model_config', 'config', 'layers']) if (key in v) stack.push(v[key]);
    }
  }
  return found;
}

/**
 * Why one Sequential config cannot be built, or undefined when its layers are a list of objects (what each layer
 * config says is tfjs's to read: it answers that in words of its own, "Unknown layer", "Improper config format").
 */
function configProblem(config: unknown): string | undefined {
  // Keras 2.1 wrote the list itself as the config; later versions {name, layers}.
  const layers = Array.isArray(config) ? config : isObject(config) ? config.layers : undefined;
  if (!Array.isArray(layers)) {
    const why = isObject(config) ? `its layers are ${what(layers)}, not a list` : `the config is ${what(config)}, not a list of layers`;
    return `its Sequential config lists no layers (${why})`;
  }
  if (layers.length === 0) return 'its Sequential config lists no layers';
  const bad = layers.findIndex((layer) => !isObject(layer));
  if (bad >= 0) return `layer ${bad + 1} of its Sequential config is ${what(layers[bad])}, not a layer config`;
  return undefined;
}

/** Why a Sequential model in the topology cannot be built, or undefined when none is wrong (or there is none). */
export function sequentialLayersProblem(topology: unknown): string | undefined {
  for (const config of sequentialConfigs(topology)) {
    const problem = configProblem(config);
    if (problem) return problem;
  }
  return undefined;
}
