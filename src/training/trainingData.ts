/**
 * MNIST for the training worker: downloaded once per worker and kept in memory; a failed download (offline,
 * say) is tried afresh by the next caller. Everyone waiting hears the download's progress.
 */
import type { MnistSplit } from '../data/batches';
import { type LoadProgress, fetchSplits } from '../data/fetchMnist';

export interface TrainingData {
  train: MnistSplit;
  test: MnistSplit;
}

export class TrainingDataLoader {
  private loading: Promise<TrainingData> | undefined;
  private testOnly: Promise<MnistSplit> | undefined;
  private readonly listeners = new Set<(progress: LoadProgress) => void>();

  constructor(private readonly baseUrl: string) {}

  async get(onProgress?: (progress: LoadProgress) => void): Promise<TrainingData> {
    if (onProgress) this.listeners.add(onProgress);
    try {
      this.loading ??= fetchSplits(this.baseUrl, ['train', 'test'], (p) => this.listeners.forEach((listener) => listener(p))).then(
        (splits) => ({ train: splits.train!, test: splits.test! }),
        (error: unknown) => {
          this.loading = undefined; // let the next attempt try again (e.g. back online)
          throw error;
        },
      );
      return await this.loading;
    } finally {
      if (onProgress) this.listeners.delete(onProgress);
    }
  }

  /** Only the test split (1.6 MB instead of 11), unless all of MNIST is here already or on its way. */
  async test(): Promise<MnistSplit> {
    if (this.loading) return (await this.get()).test;
    this.testOnly ??= fetchSplits(this.baseUrl, ['test']).then(
      (splits) => splits.test!,
      (error: unknown) => {
        this.testOnly = undefined;
        throw error;
      },
    );
    return this.testOnly;
  }
}
