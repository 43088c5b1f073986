/**
 * Saving a model so that it really is kept: saved, loaded back, and found to predict as the model in memory.
 * The check matters: tfjs's IndexedDB handler reports success when its write request succeeds, even if the
 * transaction is then aborted (for example when the quota is exceeded), so a "successful" save can leave nothing.
 */
import * as tf from '@tensorflow/tfjs';
import type { MnistSplit } from '../data/batches';
import { StorageError, storageError, storageHasRoomFor } from '../storage/modelStore';


export async function saveChecked(model: tf.LayersModel, url: string, includeOptimizer: boolean, test: MnistSplit): Promise<void> {
  try {
    await model.save(url, { includeOptimizer });
  } catch (error) {
    throw new StorageError(`${storageError(error).message} Your previous model is unchanged.`, { cause: error });
  }
  let loaded: tf.LayersModel;
  try {
    loaded = await tf.loadLayersModel(url);
  } catch {
    // Weights, plus Adadelta's two accumulators per weight in a checkpoint.
    const bytes = model.countParams() * 4 * (includeOptimizer ? 3 : 1);
    throw new StorageError(
      (await storageHasRoomFor(bytes))
        ? 'The browser did not keep the saved model. Your previous model is unchanged.'
        : `The browser has no storage space left for this site, so the model (${(bytes / 1e6).toFixed(1)} MB) could not be saved. Free some space (or delete saved models) and try again. Your previous model is unchanged.`,
    );
  }
  try {
    const [a, b] = tf.tidy(() => {
      const xs = tf.tensor4d(Float32Array.from(test.images.subarray(0, 16 * 784), (v) => v / 255), [16, 28, 28, 1]);
      return [model.predict(xs) as tf.Tensor, loaded.predict(xs) as tf.Tensor];
    });
    const diff = tf.tidy(() => a.sub(b).abs().max().dataSync()[0]!);
    tf.dispose([a, b]);
    if (!(diff < 1e-4)) throw new StorageError(`The saved model differs from the trained one (max difference ${diff}); it was not kept.`);
  } finally {
    loaded.dispose();
  }
}
