/**
 * The network editor's TensorFlow.js side, for the training worker: a definition built as a tfjs model
 * (buildNetwork.ts) and compiled with the optimizer its training settings name (optimizerFor.ts); a run's network,
 * the workshop's taking the app's own path (runNetworks.ts). The page imports its types only (eslint.config.js).
 */
export * from './buildNetwork';
export * from './optimizerFor';
export * from './runNetworks';
