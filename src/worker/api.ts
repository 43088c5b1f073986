/**
 * The workers' APIs: each written once, implemented by its worker (`serve`) and called by the page
 * (`connect`, bridge.ts), so "go to definition" follows a call across the boundary. The page talks to two
 * workers, each with its own TensorFlow.js:
 *  - the prediction worker holds the active model and answers predictions, and is the one writer of the model
 *    library (model cards and the active model's id);
 *  - the training worker trains, checkpoints and evaluates; it saves a trained model's weights and hands the
 *    result to the page, which gives it to the library. It starts gradient helpers of its own (GradientApi) so
 *    that every core trains.
 * Failures arrive as a WorkerError (bridge.ts) with a code and a message for people.
 */
import type { BackendInfo, BackendName } from '../backend/backendChoice';
import type { LayerSummary } from '../model/architecture';
import type { TestEvaluation } from '../model/evaluate';
import type { HandwritingStatus } from '../library/handwriting';
import type { InsideView } from '../model/inside';
import type { LiveWeights } from '../training/liveWeights';
import type { StoredModel } from '../model/modelCard';
import type { PersonalLearning, PersonalSample } from '../model/personal';
import type { ModelFile } from '../model/modelFiles';
import type { ExportFormat } from '../model/exportFormat';
import type { TrainSettings } from '../model/trainSettings';
import type { CheckpointInfo } from '../storage/modelStore';
import type { ModelList } from '../storage/records';
import type { RunList } from '../storage/runStore';
import type { BenchRequest, BenchResult, NetworkBenchResult, NetworksBenchRequest } from '../training/benchmark';
import type { BatchArrays, GradientPart } from '../training/gradients';
import type { TrainOutcome, TrainProgress } from '../training/trainingRun';

/** A model loaded in the prediction worker, ready to predict. */
export interface LoadedModel {
  model: StoredModel;
  summary: LayerSummary[];
}

/** How start-up went: the model it loaded, and what the user should know about how it got there. */
export interface StartOutcome {
  loaded?: LoadedModel;
  message?: { kind: 'error' | 'info'; text: string };
  /** The user chose, imported or trained a model meanwhile, and that one reads (library/activeChoice.ts). */
  superseded?: true;
}

/**
 * What a step that may make a model active did. `loaded` when the model is now the one in use; without it the
 * model is kept in the library, but something the user asked for later reads (library/activeChoice.ts).
 */
export interface Activation {
  model: StoredModel;
  loaded?: LoadedModel;
}

/** What changed in the library without this page asking: another tab chose a model, or changed the library. */
/** What changed in the library (another tab's choice, the list), or whether storage waits for another tab. */
export type LibraryChange = { kind: 'active'; loaded: LoadedModel } | { kind: 'list' } | { kind: 'storage-blocked'; blocked: boolean };

/** Whose weights "Look inside" shows: the model in use, or the run that trains. */
export type InsideSource = 'active' | 'training';

export interface Prediction {
  probabilities: number[];
  /** Whether the user's personal model changed this reading. */
  personal: boolean;
  ms: number;
}

export interface PredictorApi {
  /**
   * Loads the saved active model; if there is none or it fails, the server's pre-trained model (kept for offline
   * use). `onLoading` hears which it is loading. Whatever the user chooses meanwhile wins over it.
   */
  start(pretrainedUrl: string, onLoading?: (what: 'saved' | 'pretrained') => void): Promise<StartOutcome>;
  /** Hears what other tabs change: their choice of model (followed here too) and their changes to the library. */
  watch(onChange: (change: LibraryChange) => void): void;
  /** Makes a saved model the active one. */
  use(id: string): Promise<Activation>;
  predict(input: Float32Array): Prediction;
  /**
   * "Look inside" the model for a drawing (model/inside.ts): every layer's output, the filters, the saliency.
   * `source` 'training' looks at the weights of the run that trains (setTrainingWeights), on a copy of its
   * architecture; the model that reads the drawings is not touched.
   */
  inside(input: Float32Array, source: InsideSource): InsideView;
  /** The weights of the run that trains, for `inside(..., 'training')`; undefined drops them. */
  setTrainingWeights(live: LiveWeights | undefined): Promise<void>;
  /** Checks, stores and activates a model the user picked (model.json and weight files, not yet read). */
  importFiles(files: File[]): Promise<Activation>;
  /** The active model as model.json and weight files (`tfjs`, the default), or as one Keras `.keras` or `.h5` file. */
  exportActive(format?: ExportFormat): Promise<ModelFile[]>;
  list(): Promise<ModelList>;
  rename(id: string, name: string): Promise<StoredModel>;
  /** Deletes a saved model that is not the active one. */
  remove(id: string): Promise<void>;
  /**
   * A model the training worker saved: records its card and makes it active, unless the user chose another model
   * after `askedAt` (when Train was clicked).
   */
  adoptTrained(model: StoredModel, askedAt: number): Promise<Activation>;
  /** Puts a test-set result on a model's card when the card has none; the card as it now is. */
  recordEvaluation(id: string, result: { accuracy: number; loss: number }): Promise<StoredModel | undefined>;

  // The user's handwriting (library/handwriting.ts): this worker keeps the samples and the personal model.
  handwriting(): Promise<HandwritingStatus>;
  /** Keeps a drawing (the model's 28x28 input, 0..255) as a sample of `label`; its id, to undo it. */
  addSample(pixels: Uint8Array, label: number): Promise<{ id: string; status: HandwritingStatus }>;
  removeSample(id: string): Promise<HandwritingStatus>;
  /** Deletes every sample and the personal model. */
  forgetHandwriting(): Promise<HandwritingStatus>;
  setPersonalEnabled(enabled: boolean): Promise<HandwritingStatus>;
  /** Records what the training worker learnt; it reads if it passed its checks and fits the model in use. */
  recordPersonal(learning: PersonalLearning): Promise<HandwritingStatus>;
}

export type { TrainOutcome, TrainProgress } from '../training/trainingRun';
export type { HandwritingStatus } from '../library/handwriting';

export interface TrainerApi {
  /** The backend training uses, chosen once per worker (`requested` only counts on the first call). */
  backend(requested?: BackendName): Promise<BackendInfo>;
  /** An unfinished run that can be resumed. */
  checkpoint(): Promise<CheckpointInfo | undefined>;
  /** Trains (or resumes the checkpointed run) and saves the model's weights; aborting `signal` cancels. */
  train(settings: TrainSettings, resume: boolean, onProgress: (progress: TrainProgress) => void, signal: AbortSignal): Promise<TrainOutcome>;
  /** A saved model on the 10,000 test images. */
  evaluate(modelId: string): Promise<TestEvaluation>;
  /** Pixels (784 bytes each) of the given test images. */
  testImages(indices: number[]): Promise<Uint8Array>;
  /** Learns the user's handwriting on top of a saved model (personalLearner.ts). */
  learnHandwriting(baseId: string, samples: PersonalSample[]): Promise<PersonalLearning>;
  /** The network editor's kept runs (storage/runStore.ts), oldest first. */
  runs(): Promise<RunList>;
  /** Forgets a kept run; its model is the library's (the page deletes it through the prediction worker when asked). */
  removeRun(id: string): Promise<void>;
  /** Measures the given backend (the benchmark page). */
  benchmark(request: BenchRequest): Promise<BenchResult>;
  /** Times training steps of editor networks (the benchmark page: the prepared experiments'). */
  benchmarkNetworks(request: NetworksBenchRequest): Promise<NetworkBenchResult[]>;
  /** Whether runs send their weights while they train ("Look inside" is open), at most every `intervalMs`. */
  shareWeights(wanted: boolean, intervalMs?: number): void;
}

/**
 * A helper of the training worker (its own worker, started by it, one per further core): computes the gradient
 * of part of each batch at the weights it is sent (training/parallelSteps.ts).
 */
export interface GradientApi {
  /** Starts `backend` and builds the model from its topology (`model.toJSON()`); the backend really in use. */
  start(topology: string, backend: BackendName): Promise<BackendName>;
  gradients(weights: Float32Array[], part: BatchArrays): Promise<GradientPart>;
}
