/**
 * Training steps shared by every core (data parallelism). The training worker keeps the model and its optimizer;
 * each step it cuts the batch into one part per worker, sends every helper worker the current weights and its
 * part, computes the gradient of its own part meanwhile, averages the parts' gradients weighted by their sizes
 * (the whole batch's gradient, gradients.ts) and applies one Keras Adadelta step. The helpers keep no state of
 * their own, so every step starts from the very same weights everywhere, and a helper that fails costs one
 * recomputed part, not the run.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendName } from '../model/modelCard';
import { type BatchArrays, type GradientPart, combineGradients, floatValues, partGradients, slicePart, splitPoints, trainableVariables } from './gradients';

/** A worker that computes gradients for part of a batch (src/worker/gradient.worker.ts). */
export interface GradientHelper {
  gradients(weights: Float32Array[], part: BatchArrays): Promise<GradientPart>;
  close(): void;
}

/** Starts helper workers for a model: as many as asked for that start; none where they cannot. */
export type StartHelpers = (count: number, topology: string, backend: BackendName) => Promise<GradientHelper[]>;

/** The most workers that train together: beyond that the parts get too small to keep a core busy. */
export const MAX_TRAINING_WORKERS = 8;

/**
 * How many workers train (this one included): one per core on wasm, where each is a single-threaded CPU
 * backend; one on WebGL (one GPU, which one worker keeps busy) and on the plain-JavaScript fallback.
 * `requested` (e.g. `?workers=1`) wins within 1..MAX_TRAINING_WORKERS, except on WebGL.
 */
export function trainingWorkers(backend: BackendName, cores: number, requested?: number): number {
  const clamp = (n: number) => Math.max(1, Math.min(MAX_TRAINING_WORKERS, Math.floor(n)));
  if (backend === 'webgl' || backend === 'webgpu') return 1; // a GPU backend trains in one worker
  if (requested !== undefined && Number.isFinite(requested)) return clamp(requested);
  return backend === 'wasm' ? clamp(cores || 1) : 1;
}

export interface StepResult {
  loss: number;
  accuracy: number;
}

/** Where a step's time goes in this worker, summed over the steps so far (milliseconds). */
export interface StepTimings {
  steps: number;
  /** Reading the weights and sending them and the parts to the helpers. */
  sendMs: number;
  /** This worker's own part: forward and backward pass, and its other work for the step (`meanwhile`). */
  ownMs: number;
  /** Waiting for the helpers once the own part is done (their part takes longer than this one's). */
  waitMs: number;
  /** Averaging the gradients and the optimizer step (the helpers idle meanwhile). */
  applyMs: number;
  /** Images this worker computed itself. */
  ownImages: number;
  /** The helpers' own time for their parts, by their clocks, summed over helpers. */
  helperMs: number;
}

/** The smallest part a worker gets, and how fast the split follows the workers' measured speeds. */
const LEAST_PART = 8;
const SPEED_SMOOTHING = 0.3;

export class ParallelSteps {
  readonly timings: StepTimings = { steps: 0, sendMs: 0, ownMs: 0, waitMs: 0, applyMs: 0, ownImages: 0, helperMs: 0 };
  /**
   * Images per millisecond of each worker (this one first), measured step by step (a helper's includes taking
   * in the weights and handing out its gradients), so that the parts end together and nobody waits long.
   */
  private speeds: number[] = [];
  /**
   * Per helper, what its replies take beyond its own clock (handing the message over both ways, waking up),
   * measured on steps where this worker was already waiting for it: the split counts it as the helper's time.
   */
  private overheads: number[] = [];

  constructor(
    private readonly model: tf.LayersModel,
    private helpers: GradientHelper[],
    /** Told when a helper fails and training carries on without it. */
    private readonly onHelperLost: (error: unknown, remaining: number) => void = () => {},
  ) {}

  /** Workers computing each step, this one included. */
  get workers(): number {
    return this.helpers.length + 1;
  }

  /**
   * One optimizer step on `batch`: the same update as `model.trainOnBatch` on the whole batch. `meanwhile` is
   * this worker's other work for the step (cutting the next batch), done while the helpers compute and counted
   * in its own time, so that the split leaves it room.
   */
  async step(batch: BatchArrays, meanwhile?: () => void): Promise<StepResult> {
    const t0 = performance.now();
    if (this.speeds.length !== this.helpers.length + 1) this.speeds = Array<number>(this.helpers.length + 1).fill(1);
    if (this.overheads.length !== this.helpers.length) this.overheads = Array<number>(this.helpers.length).fill(0);
    // Every part at least LEAST_PART images: a short last batch (129 training images leave one) goes to fewer workers.
    const helpers = this.helpers.slice(0, Math.max(0, Math.floor(batch.count / LEAST_PART) - 1));
    const cuts = splitPoints(batch.count, helpers.length + 1, this.speeds.slice(0, helpers.length + 1), LEAST_PART);
    const weights = helpers.length > 0 ? this.readWeights() : [];
    const remote = helpers.map((helper, k) => {
      // Each helper owns what it is sent (the arrays are transferred): copies for all but the last.
      const sent = k === helpers.length - 1 ? weights : weights.map((w) => w.slice());
      const part = slicePart(batch, cuts[k + 1]!, cuts[k + 2]!);
      return helper.gradients(sent, { count: part.count, xs: part.xs.slice(), ys: part.ys.slice() }).then(
        (result) => ({ ok: true as const, result, k: k + 1, arrived: performance.now() }),
        (error: unknown) => ({ ok: false as const, error, helper, from: cuts[k + 1]!, to: cuts[k + 2]! }),
      );
    });

    const t1 = performance.now();
    meanwhile?.();
    const own = await partGradients(this.model, slicePart(batch, cuts[0]!, cuts[1]!));
    const t2 = performance.now();
    const parts: { count: number; loss: number; correct: number; grads: (tf.Tensor | Float32Array)[] }[] = [{ count: cuts[1]! - cuts[0]!, ...own }];
    const computed: tf.Tensor[][] = [own.grads];
    const outcomes = await Promise.all(remote);
    const t3 = performance.now();
    const measured = this.speeds.slice();
    measured[0] = (cuts[1]! - cuts[0]!) / Math.max(t2 - t1, 1e-3);
    for (const outcome of outcomes) {
      if (outcome.ok) {
        parts.push(outcome.result);
        // The helper's own clock: the reply waits in this worker's queue until its own part is done.
        if (outcome.result.ms !== undefined) {
          const h = outcome.k - 1;
          const overhead = helperOverhead(outcome.result, outcome.arrived, t1, t2);
          if (overhead !== undefined) this.overheads[h]! += SPEED_SMOOTHING * (overhead - this.overheads[h]!);
          measured[outcome.k] = outcome.result.count / Math.max(outcome.result.ms + this.overheads[h]!, 1e-3);
          this.timings.helperMs += outcome.result.ms;
        }
        continue;
      }
      // A helper that failed (crashed, out of memory) is dropped; its part is computed here instead.
      this.drop(outcome.helper, outcome.error);
      const mine = await partGradients(this.model, slicePart(batch, outcome.from, outcome.to));
      parts.push({ count: outcome.to - outcome.from, ...mine });
      computed.push(mine.grads);
    }

    if (this.speeds.length === measured.length) this.speeds = this.speeds.map((v, i) => v + SPEED_SMOOTHING * (measured[i]! - v));
    const variables = trainableVariables(this.model);
    const averaged = combineGradients(parts, variables.map((v) => v.shape));
    tf.dispose(computed.flat());
    const optimizer = this.model.optimizer;
    optimizer.applyGradients(Object.fromEntries(variables.map((v, i) => [v.name, averaged[i]!])));
    tf.dispose(averaged);
    const t4 = performance.now();
    const timings = this.timings;
    timings.steps++;
    timings.sendMs += t1 - t0;
    timings.ownMs += t2 - t1;
    timings.waitMs += t3 - t2;
    timings.applyMs += t4 - t3;
    timings.ownImages += cuts[1]! - cuts[0]!;
    const loss = parts.reduce((sum, p) => sum + p.loss * p.count, 0) / batch.count;
    const correct = parts.reduce((sum, p) => sum + p.correct, 0);
    return { loss, accuracy: correct / batch.count };
  }

  /** Stops the helper workers. */
  close(): void {
    for (const helper of this.helpers) helper.close();
    this.helpers = [];
  }

  private drop(helper: GradientHelper, error: unknown): void {
    if (!this.helpers.includes(helper)) return;
    helper.close();
    this.speeds = [this.speeds[0] ?? 1, ...this.speeds.slice(1).filter((_, i) => this.helpers[i] !== helper)];
    this.overheads = this.overheads.filter((_, i) => this.helpers[i] !== helper);
    this.helpers = this.helpers.filter((h) => h !== helper);
    this.onHelperLost(error, this.helpers.length);
  }

  private readWeights(): Float32Array[] {
    return trainableVariables(this.model).map(floatValues);
  }
}

/**
 * What a helper's part took beyond its own clock, from `sent` (this worker's clock, when it went on with its own
 * part) to the reply: the wait before the helper began, and the way back when this worker was already waiting for
 * it (`ownDone`). Measured on the clock every worker shares (performance.timeOrigin + performance.now()); without
 * the helper's start, only on a reply that came while this worker waited. Judging by the reply's arrival alone
 * counted a reply that waited in this worker's queue as late: the estimate grew to 20-80 ms a step where the
 * true one was 0-5, and the helper got too small a part and idled (training through the UI, 2026-12-07).
 */
export function helperOverhead(part: GradientPart, arrived: number, sent: number, ownDone: number): number | undefined {
  if (part.ms === undefined) return undefined;
  if (part.startedAt === undefined) return arrived > ownDone + 0.5 ? Math.max(0, arrived - sent - part.ms) : undefined;
  const origin = performance.timeOrigin;
  const finished = part.startedAt + part.ms;
  const back = finished > origin + ownDone ? Math.max(0, origin + arrived - finished) : 0;
  return Math.max(0, part.startedAt - (origin + sent) + back);
}

/**
 * The shared steps of `model` on `backend`: this worker and, on a backend that shares, helpers for the rest of
 * the device's cores (trainingWorkers), started for the model; without `startHelpers`, this worker alone.
 */
export async function sharedSteps(
  model: tf.LayersModel,
  backend: BackendName,
  { startHelpers, cores, requested }: { startHelpers?: StartHelpers; cores: number; requested?: number },
  onHelperLost?: (error: unknown, remaining: number) => void,
): Promise<ParallelSteps> {
  const workers = trainingWorkers(backend, cores, requested);
  const helpers = workers > 1 && startHelpers ? await startHelpers(workers - 1, model.toJSON() as string, backend) : [];
  return new ParallelSteps(model, helpers, onHelperLost);
}
