/**
 * "Look inside", in the prediction worker: an Inspector (model/inside.ts) for the model in use, made once per
 * model, and one for the run that trains, on a copy of its architecture that takes the weights the training
 * worker sends a few times a second (training/liveWeights.ts). The model that reads the drawings is never
 * touched by either.
 */
import * as tf from '@tensorflow/tfjs';
import { type InsideView, Inspector } from '../model/inside';
import type { LiveWeights } from '../training/liveWeights';

export class InsideViews {
  private active: Inspector | undefined;
  private training: { topology: string; model: tf.LayersModel; inspector: Inspector; epoch: number; batch: number } | undefined;

  /** The view of `model` (the model in use) for a drawing. */
  ofActive(model: tf.LayersModel | undefined, input: Float32Array): InsideView {
    if (!model) throw new Error('no model is loaded');
    if (this.active?.model !== model) this.active = new Inspector(model);
    return this.active.look(input);
  }

  /**
   * The view of the training run's latest weights for a drawing, without the saliency: its two backward passes
   * would take twice the time of the rest from the cores that train, every second.
   */
  ofTraining(input: Float32Array): InsideView {
    if (!this.training) throw new Error('no weights of a training run have arrived yet');
    const { inspector, epoch, batch } = this.training;
    return { ...inspector.look(input, { saliency: false }), trainedTo: { epoch, batch } };
  }

  /** Takes a run's weights (building its architecture once per topology); undefined drops the copy. */
  async setTraining(live: LiveWeights | undefined): Promise<void> {
    if (!live) {
      this.training?.model.dispose();
      this.training = undefined;
      return;
    }
    if (this.training?.topology !== live.topology) {
      this.training?.model.dispose();
      this.training = undefined;
      const model = await tf.models.modelFromJSON(JSON.parse(live.topology) as tf.io.ModelJSON);
      this.training = { topology: live.topology, model, inspector: new Inspector(model), epoch: 0, batch: 0 };
    }
    const { model } = this.training;
    const weights = model.weights;
    if (weights.length !== live.weights.length) throw new Error(`the run sent ${live.weights.length} weight arrays, its model has ${weights.length}`);
    tf.tidy(() => model.setWeights(live.weights.map((w, i) => tf.tensor(w, weights[i]!.shape as number[]))));
    this.training.epoch = live.epoch;
    this.training.batch = live.batch;
  }

  get hasTraining(): boolean {
    return this.training !== undefined;
  }
}
