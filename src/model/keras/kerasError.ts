/**
 * Why a Keras file cannot be read, for people. The Keras modules have their own error class so that their chunk
 * (loaded only when a Keras file is picked) shares no module with the prediction worker's own: the importer turns
 * it into an ImportError. `code` is what the worker boundary reports (worker/bridge.ts's FailureCode).
 */
export class KerasFileError extends Error {
  override name = 'KerasFileError';
  readonly code = 'invalid-model';
}
