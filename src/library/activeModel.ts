/**
 * The model that reads the drawings, in the prediction worker: made active only once it is warmed up, the one
 * before it disposed then. Predicts one 28x28 input at a time (under a millisecond on wasm), through the user's
 * personal memory when one is set for this model (personalMemory.ts): the base model itself never changes.
 */
import * as tf from '@tensorflow/tfjs';
import { type LayerSummary, summarise } from '../model/architecture';
import { type InputLayout, inputLayoutOf } from '../model/compatibility';
import { type FeatureReader, featureReader, unitRows } from '../model/featureReader';
import type { StoredModel } from '../model/modelCard';
import { type Memory, recallProbabilities } from '../model/personalMemory';
import { type ModelFile, modelArtifacts, modelFilesFromArtifacts } from '../model/modelFiles';

export class ActiveModel {
  private current: { model: tf.LayersModel; layout: InputLayout; stored: StoredModel } | undefined;
  private personal: { memory: Memory; reader: FeatureReader } | undefined;

  get stored(): StoredModel | undefined {
    return this.current?.stored;
  }

  /** Makes a loaded model the active one, disposing the previous only once the new one is ready. */
  activate(model: tf.LayersModel, stored: StoredModel): LayerSummary[] {
    const layout = inputLayoutOf(model);
    // Warm up: the first call compiles kernels and allocates; do it now, not on the user's first stroke.
    tf.tidy(() => model.predict(layout === 'image' ? tf.zeros([1, 28, 28, 1]) : tf.zeros([1, 784])));
    this.current?.model.dispose();
    this.personal = undefined; // a memory belongs to the model it was learnt on
    this.current = { model, layout, stored };
    return summarise(model.layers);
  }

  /** A card changed (renamed, say): the same model under its new card. */
  updateCard(stored: StoredModel): void {
    if (this.current?.stored.id === stored.id) this.current.stored = stored;
  }

  /** Reads through `memory` from now on (undefined: the base model alone). */
  setMemory(memory: Memory | undefined): void {
    if (!this.current || !memory) {
      this.personal = undefined;
      return;
    }
    this.personal = { memory, reader: featureReader(this.current.model) };
  }

  get personalReads(): boolean {
    return this.personal !== undefined;
  }

  /** The ten probabilities, and whether the personal memory changed them. */
  predict(input: Float32Array): { probabilities: number[]; personal: boolean } {
    if (!this.current) throw new Error('no model is loaded');
    const { model, layout } = this.current;
    const personal = this.personal;
    return tf.tidy(() => {
      const x = layout === 'image' ? tf.tensor4d(input, [1, 28, 28, 1]) : tf.tensor2d(input, [1, 784]);
      if (!personal) return { probabilities: Array.from((model.predict(x) as tf.Tensor).dataSync()), personal: false };
      const [features, probabilities] = personal.reader.model.predict(x) as tf.Tensor[];
      const unit = unitRows(features!).dataSync() as Float32Array;
      const base = probabilities!.dataSync();
      const read = recallProbabilities(personal.memory, unit, 0, base);
      return { probabilities: read, personal: read.some((p, i) => p !== base[i]) };
    });
  }

  async files(): Promise<ModelFile[]> {
    if (!this.current) throw new Error('no model is loaded');
    return modelFilesFromArtifacts(await modelArtifacts(this.current.model));
  }
}
