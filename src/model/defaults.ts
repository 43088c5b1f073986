/** The original's training settings, free of TensorFlow.js so the page can show them without loading it. */
export const DEFAULT_BATCH_SIZE = 128;
export const DEFAULT_EPOCHS = 4;
