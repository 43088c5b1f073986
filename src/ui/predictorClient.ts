/**
 * The page's side of the prediction worker: loads models and asks for predictions, latest drawing first.
 * While one prediction is being computed, only the newest later request waits; older ones are dropped.
 */
import type { BackendName, LayerSummary, ModelFile, PredictEvent, PredictRequest, StoredModel } from '../worker/protocol';

export interface PredictorCallbacks {
  onLoaded(model: StoredModel, backend: BackendName, summary: LayerSummary[]): void;
  onImportFailed(message: string): void;
  onExported(files: ModelFile[]): void;
  onDeleted(id: string): void;
  onLoadFailed(message: string, missing: boolean): void;
  onPrediction(version: number, probabilities: number[], ms: number): void;
  onError(message: string): void;
}

export class PredictorClient {
  private readonly worker: Worker;
  private inFlight: number | undefined;
  private queued: { version: number; input: Float32Array } | undefined;

  constructor(private readonly callbacks: PredictorCallbacks) {
    this.worker = new Worker(new URL('../worker/predict.worker.ts', import.meta.url), { type: 'module', name: 'predict' });
    this.worker.onmessage = (event: MessageEvent<PredictEvent>) => this.handle(event.data);
    this.worker.onerror = (event) => callbacks.onError(`The prediction worker failed: ${event.message}`);
  }

  private send(request: PredictRequest, transfer: Transferable[] = []): void {
    this.worker.postMessage(request, transfer);
  }

  load(id: string): void {
    this.send({ type: 'load', id });
  }

  loadPretrained(url: string): void {
    this.send({ type: 'load-pretrained', url });
  }

  /** The files go over unread: the worker checks their sizes before it reads a byte. */
  import(files: File[]): void {
    this.send({ type: 'import', files });
  }

  export(): void {
    this.send({ type: 'export' });
  }

  delete(id: string): void {
    this.send({ type: 'delete', id });
  }

  predict(version: number, input: Float32Array): void {
    if (this.inFlight !== undefined) {
      this.queued = { version, input };
      return;
    }
    this.inFlight = version;
    const copy = input.slice();
    this.send({ type: 'predict', id: version, input: copy }, [copy.buffer]);
  }

  private handle(event: PredictEvent): void {
    switch (event.type) {
      case 'loaded':
        this.callbacks.onLoaded(event.model, event.backend, event.summary);
        break;
      case 'import-failed':
        this.callbacks.onImportFailed(event.message);
        break;
      case 'exported':
        this.callbacks.onExported(event.files);
        break;
      case 'deleted':
        this.callbacks.onDeleted(event.id);
        break;
      case 'load-failed':
        this.callbacks.onLoadFailed(event.message, event.missing);
        break;
      case 'prediction':
      case 'error': {
        if (event.type === 'prediction') this.callbacks.onPrediction(event.id, event.probabilities, event.ms);
        else this.callbacks.onError(event.message);
        if (event.type === 'error' && event.id === undefined) break;
        this.inFlight = undefined;
        const next = this.queued;
        this.queued = undefined;
        if (next) this.predict(next.version, next.input);
        break;
      }
    }
  }

  terminate(): void {
    this.worker.terminate();
  }
}
