/**
 * The model that reads the drawings, in the prediction worker: made active only once it is warmed up, the one
 * before it disposed then. Predicts one 28x28 input at a time (under a millisecond on wasm), through the user's
 * personal memory when one is set for this model (personalMemory.ts): the base model itself never changes. A
 * model may also carry a memory in its own files (an exported personal model, personalMetadata.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { type LayerSummary, summarise } from '../model/architecture';
import { type InputLayout, inputLayoutOf } from '../model/compatibility';
import { type FeatureReader, featureReader, unitRows } from '../model/featureReader';
import type { StoredModel } from '../model/modelCard';
import { type Memory, recallProbabilities } from '../model/personalMemory';
import { type ModelMetadata, PERSONAL_METADATA_KEY, memoryFromMetadata, memoryToMetadata, withoutMemory } from '../model/personalMetadata';
import { MODEL_CARD_FILE, type ModelFile, modelArtifacts, modelFilesFromArtifacts } from '../model/modelFiles';
import type { ExportFormat } from '../model/exportFormat';

export class ActiveModel {
  private current: { model: tf.LayersModel; layout: InputLayout; stored: StoredModel } | undefined;
  private personal: { memory: Memory; reader: FeatureReader } | undefined;
  /** The memory the model brought in its files, or why it could not be read. */
  private carried: { memory?: Memory; problem?: string } = {};

  get stored(): StoredModel | undefined {
    return this.current?.stored;
  }

  /** The model that reads, for looking inside it (model/inside.ts); undefined before one is loaded. */
  get model(): tf.LayersModel | undefined {
    return this.current?.model;
  }

  /** Makes a loaded model the active one, disposing the previous only once the new one is ready. */
  activate(model: tf.LayersModel, stored: StoredModel): LayerSummary[] {
    const layout = inputLayoutOf(model);
    // Warm up: the first call compiles kernels and allocates; do it now, not on the user's first stroke.
    tf.tidy(() => {
      // Read back inside the scope, so the warm-up's result is disposed with it (returned, tidy would keep it).
      (model.predict(layout === 'image' ? tf.zeros([1, 28, 28, 1]) : tf.zeros([1, 784])) as tf.Tensor).dataSync();
    });
    this.current?.model.dispose();
    this.personal = undefined; // a memory belongs to the model it was learnt on
    this.current = { model, layout, stored };
    try {
      this.carried = { memory: memoryFromMetadata(model.getUserDefinedMetadata()) };
    } catch (error) {
      this.carried = { problem: (error as Error).message };
    }
    return summarise(model.layers);
  }

  /** A card changed (renamed, say): the same model under its new card. */
  updateCard(stored: StoredModel): void {
    if (this.current?.stored.id === stored.id) this.current.stored = stored;
  }

  /**
   * Reads from now on through `learnt` (a memory learnt on this model), else through the one the model carries,
   * or through none when the user switched the personal model off (`enabled` false).
   */
  setMemory(learnt: Memory | undefined, enabled = true): void {
    const memory = enabled ? (learnt ?? this.carried.memory) : undefined;
    if (!this.current || !memory) {
      this.personal = undefined;
      return;
    }
    const reader = featureReader(this.current.model);
    if (reader.dim !== memory.dim) throw new Error(`its memory holds ${memory.dim} features, the model gives ${reader.dim}`);
    this.personal = { memory, reader };
  }

  get personalReads(): boolean {
    return this.personal !== undefined;
  }

  /** What the model's own files bring: how many memory entries, or why they cannot be read. */
  get carriedMemory(): { entries?: number; problem?: string } {
    const { memory, problem } = this.carried;
    return { ...(memory ? { entries: memory.labels.length } : {}), ...(problem ? { problem } : {}) };
  }

  /** Drops the memory the model carries (the user forgot their handwriting); the model to save in its place. */
  forgetCarried(): tf.LayersModel | undefined {
    if (!this.current || (!this.carried.memory && !this.carried.problem)) return undefined;
    const { model } = this.current;
    const rest = withoutMemory(model.getUserDefinedMetadata());
    // tfjs has no way to clear the metadata; an empty object is harmless, and modelFiles writes it as none.
    model.setUserDefinedMetadata(rest ?? {});
    this.carried = {};
    return model;
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

  /**
   * The model's files as it reads now: with the personal memory in model.json when one reads, else without. The
   * TensorFlow.js files come with the model's card (MODEL_CARD_FILE), so the folder they are saved in can be served
   * as the pre-trained model as it is (the container's SERVED_MODEL, README "Your own model in the image").
   */
  async files(format: ExportFormat = 'tfjs'): Promise<ModelFile[]> {
    if (!this.current) throw new Error('no model is loaded');
    const artifacts = await modelArtifacts(this.current.model);
    if (format !== 'tfjs') {
      if (this.personal) throw new Error('your personal model keeps its memory of your handwriting in TensorFlow.js files only; export it as tfjs, or switch the personal model off to export the base model as a Keras file.');
      // The Keras writer and its HDF5 library load only when a Keras file is asked for.
      const { kerasFiles } = await import('../model/keras/writeKeras');
      return kerasFiles(artifacts, format);
    }
    const rest = withoutMemory(artifacts.userDefinedMetadata);
    const memory = this.personal?.memory;
    const metadata: ModelMetadata | undefined = memory ? { ...rest, [PERSONAL_METADATA_KEY]: memoryToMetadata(memory) } : rest;
    const card: ModelFile = { name: MODEL_CARD_FILE, bytes: new TextEncoder().encode(`${JSON.stringify(this.current.stored.card, null, 2)}\n`) };
    return [...modelFilesFromArtifacts({ ...artifacts, userDefinedMetadata: metadata }), card];
  }
}
