/** The page's side of the training worker. */
import type { BackendName, TrainEvent, TrainRequest, TrainSettings } from '../worker/protocol';

export class TrainerClient {
  private readonly worker: Worker;

  constructor(onEvent: (event: TrainEvent) => void) {
    this.worker = new Worker(new URL('../worker/train.worker.ts', import.meta.url), { type: 'module', name: 'train' });
    this.worker.onmessage = (event: MessageEvent<TrainEvent>) => onEvent(event.data);
    this.worker.onerror = (event) => onEvent({ type: 'error', message: `The training worker failed: ${event.message}` });
  }

  private send(request: TrainRequest): void {
    this.worker.postMessage(request);
  }

  probe(backend?: BackendName): void {
    this.send(backend ? { type: 'probe', backend } : { type: 'probe' });
  }

  train(settings: TrainSettings, resume = false): void {
    this.send({ type: 'train', settings, resume });
  }

  evaluate(modelId: string): void {
    this.send({ type: 'evaluate', modelId });
  }

  testImages(requestId: number, indices: number[]): void {
    this.send({ type: 'test-images', requestId, indices });
  }

  cancel(): void {
    this.send({ type: 'cancel' });
  }

  terminate(): void {
    this.worker.terminate();
  }
}
