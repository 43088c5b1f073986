/** The original's training settings, free of TensorFlow.js so the page can show them without loading it. */
export const DEFAULT_BATCH_SIZE = 128;
export const DEFAULT_EPOCHS = 4;

export interface KerasAdadeltaConfig {
  learningRate: number;
  rho: number;
  epsilon: number;
}

/** The original's optimizer settings: Keras 2.2.4's Adadelta defaults, `epsilon=None` meaning K.epsilon() = 1e-7. */
export const KERAS_ADADELTA_DEFAULTS: KerasAdadeltaConfig = { learningRate: 1.0, rho: 0.95, epsilon: 1e-7 };
