/**
 * Adadelta exactly as Keras 2.2.4 computes it, the optimizer the original workshop trained with.
 *
 * Per weight p with gradient g and accumulators a, d (both starting at 0):
 *   a'     = rho * a + (1 - rho) * g^2
 *   update = g * sqrt(d + eps) / sqrt(a' + eps)
 *   p'     = p - lr * update
 *   d'     = rho * d + (1 - rho) * update^2
 *
 * tfjs-core's AdadeltaOptimizer divides by sqrt(a + eps) with the *old* a, so its first step is plain SGD with
 * step size lr; with lr 1.0 this CNN then never learns (see the README). Registered for serialization under its
 * own class name, so a saved model's training config loads back with this optimizer, not tfjs's.
 */
import * as tf from '@tensorflow/tfjs';
import { KERAS_ADADELTA_DEFAULTS, type KerasAdadeltaConfig } from './defaults';

// The settings live with the original's other training settings, free of TensorFlow.js (the page shows them).
export { KERAS_ADADELTA_DEFAULTS, type KerasAdadeltaConfig };

/**
 * A kernel a backend may register to make one step of a weight tensor in one pass (src/backend registers it for
 * wasm): inputs p, a, d, g; attrs rho, epsilon, learningRate; outputs p', a', d', computed as below.
 */
export const KERAS_ADADELTA_KERNEL = 'DigitLabKerasAdadelta';

/** A named tensor as tfjs-core's optimizers save their state (the type is not re-exported by tfjs). */
interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

interface Slot {
  /** Name of the variable when the slot was made, for saved weights only. */
  name: string;
  accumGrad: tf.Variable;
  accumUpdate: tf.Variable;
}

export class KerasAdadelta extends tf.Optimizer {
  static className = 'KerasAdadelta';
  readonly config: KerasAdadeltaConfig;
  /**
   * One slot per variable, by position in the gradient list (as tfjs-core's own optimizers do): a model's
   * variables always come in the same order, while their engine names change when a saved model is loaded.
   */
  private slots: Slot[] = [];

  constructor(config: Partial<KerasAdadeltaConfig> = {}) {
    super();
    this.config = { ...KERAS_ADADELTA_DEFAULTS, ...config };
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const entries = Array.isArray(variableGradients)
      ? variableGradients.map((v) => [v.name, v.tensor] as const)
      : Object.entries(variableGradients);
    const { learningRate, rho, epsilon } = this.config;
    entries.forEach(([name, gradient], i) => {
      if (gradient == null) return;
      const variable = tf.engine().registeredVariables[name];
      if (!variable) throw new Error(`KerasAdadelta: no variable named ${name}`);
      const slot = (this.slots[i] ??= tf.tidy(() => ({
        name,
        accumGrad: tf.variable(tf.zerosLike(variable), false),
        accumUpdate: tf.variable(tf.zerosLike(variable), false),
      })));
      tf.tidy(() => {
        if (tf.getKernel(KERAS_ADADELTA_KERNEL, tf.getBackend())) {
          const inputs = { p: variable, a: slot.accumGrad, d: slot.accumUpdate, g: gradient };
          const [p, a, d] = tf.engine().runKernel(KERAS_ADADELTA_KERNEL, inputs, { rho, epsilon, learningRate }) as tf.Tensor[];
          slot.accumGrad.assign(a!);
          slot.accumUpdate.assign(d!);
          variable.assign(p!);
          return;
        }
        const a = slot.accumGrad.mul(rho).add(gradient.square().mul(1 - rho));
        const update = gradient.mul(slot.accumUpdate.add(epsilon).sqrt()).div(a.add(epsilon).sqrt());
        const d = slot.accumUpdate.mul(rho).add(update.square().mul(1 - rho));
        slot.accumGrad.assign(a);
        slot.accumUpdate.assign(d);
        variable.assign(variable.sub(update.mul(learningRate)));
      });
    });
    this.incrementIterations();
  }

  override dispose(): void {
    for (const slot of this.slots) {
      slot.accumGrad.dispose();
      slot.accumUpdate.dispose();
    }
    this.slots = [];
  }

  override async getWeights(): Promise<NamedTensor[]> {
    const weights = this.slots.flatMap((slot) => [
      { name: `${slot.name}/accum_grad`, tensor: slot.accumGrad },
      { name: `${slot.name}/accum_var`, tensor: slot.accumUpdate },
    ]);
    return [await this.saveIterations(), ...weights];
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    this.dispose();
    for (let i = 0; i + 1 < rest.length; i += 2) {
      this.slots.push({
        name: rest[i]!.name.replace(/\/accum_grad$/, ''),
        accumGrad: tf.variable(rest[i]!.tensor, false),
        accumUpdate: tf.variable(rest[i + 1]!.tensor, false),
      });
    }
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.config.learningRate, rho: this.config.rho, epsilon: this.config.epsilon };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(config as unknown as Partial<KerasAdadeltaConfig>);
  }
}

tf.serialization.registerClass(KerasAdadelta);
