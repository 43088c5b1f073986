/**
 * Every limit an imported model is held to, in one place: what its files may weigh, what a Keras file may unpack
 * to, how large and how deep its config may be, and what reading one digit with it may cost in memory. Each is
 * checked before the step it bounds costs anything (README, "Keras interoperability"). The Keras reader gets its
 * limits from the importer (KerasReadOptions), so its chunk shares no module with the prediction worker's.
 */

const MiB = 1024 * 1024;

/** A model.json (topology and weights manifest). The app's own is 5 KB. */
export const MAX_MODEL_JSON_BYTES = 5 * MiB;

/** All of a model's weights together. The app's CNN has 4.8 MB. */
export const MAX_WEIGHT_BYTES = 64 * MiB;

/**
 * A Keras file, and all that a .keras zip's entries unpack to together: a full-model file carries optimizer state
 * too (Adadelta's doubles the weights), so room for that, within reason.
 */
export const MAX_KERAS_FILE_BYTES = 4 * MAX_WEIGHT_BYTES;

/** A Keras model config: an .h5 file's model_config attribute, a .keras file's config.json. Real ones: 2-5 KB. */
export const MAX_KERAS_CONFIG_BYTES = 1 * MiB;

/**
 * How deep arrays and objects may nest in a model config (model.json, model_config, config.json), counted on the
 * text before it is parsed: real ones nest 6 to 8 deep; the walks over a parsed config (tfjs's deserialisation,
 * the Keras translation) recurse, and 200,000 levels overflowed the stack.
 */
export const MAX_CONFIG_DEPTH = 100;

/**
 * What reading one digit may take in activations (float32): every layer's output for one image and the largest
 * working buffer one layer needs besides (activationCost.ts). The app's CNN needs 1.0 MB; this leaves room for
 * models far larger, and still fits a phone.
 */
export const MAX_ACTIVATION_BYTES = 64 * MiB;
