/**
 * The weights of a run while it trains, for "Look inside": after a batch, at most every LIVE_WEIGHTS_INTERVAL_MS
 * and only while the page asks for them (the view is open), a copy of the model's weights with its topology goes
 * out through the run's progress reports, transferred, not copied again. The prediction worker runs them on a copy
 * of the architecture; the model that reads the drawings is not touched. One copy costs about 2 ms for the app's
 * CNN (1.2 M weights, measured in Node on wasm); what costs is the view that follows them, in the prediction
 * worker and the page, on the cores that train: twice a second it cost training 9-15% of its speed, once a
 * second 6-12%, every two seconds 8-33% in alternated runs (2 cores, Chromium, 2026-12-04/05: with every core
 * training, a view's 20-40 ms in the prediction worker and its painting in the page stall a step split over two
 * workers for several times that). So the page asks for the next copy only after a pause in proportion to what
 * the last view cost it (model/liveViewPace.ts): the view's work stays a small share of the time on any device.
 */
import * as tf from '@tensorflow/tfjs';
import { transfer } from 'comlink';
import { LIVE_WEIGHTS_INTERVAL_MS } from '../model/liveViewPace';
import { floatValues } from './gradients';

export interface LiveWeights {
  /** The model's topology (`model.toJSON()`), to build a copy of the architecture. */
  topology: string;
  /** In the order of `model.getWeights()`. */
  weights: Float32Array[];
  epoch: number;
  batch: number;
}

let wanted = false;
let interval = LIVE_WEIGHTS_INTERVAL_MS;
/** Whether the page wants the weights of a run while it trains, and how often (set by the training worker's API). */
export function wantLiveWeights(on: boolean, intervalMs = LIVE_WEIGHTS_INTERVAL_MS): void {
  wanted = on;
  interval = Math.max(LIVE_WEIGHTS_INTERVAL_MS, intervalMs);
}

/** Sends a run's weights after a batch when they are wanted and the last copy is old enough. */
export class LiveWeightsSender {
  private last = -Infinity;
  private topology: string | undefined;
  /** Time spent copying, in ms, and copies made: the cost, for the benchmark. */
  readonly cost = { ms: 0, copies: 0 };

  constructor(
    private readonly model: tf.LayersModel,
    private readonly send: (report: { type: 'weights'; live: LiveWeights }) => void,
    private readonly now: () => number = () => performance.now(),
    private readonly isWanted: () => boolean = () => wanted,
    private readonly intervalMs: () => number = () => interval,
  ) {}

  afterBatch(epoch: number, batch: number): void {
    const started = this.now();
    if (!this.isWanted() || started - this.last < this.intervalMs()) return;
    this.last = started;
    this.topology ??= this.model.toJSON() as string;
    // The cpu backend hands out its own arrays, which must not be transferred away; the others hand out copies.
    const own = tf.getBackend() === 'cpu';
    const weights = this.model.getWeights().map((w) => (own ? floatValues(w).slice() : floatValues(w)));
    const report = { type: 'weights' as const, live: { topology: this.topology, weights, epoch, batch } };
    this.send(transfer(report, weights.map((w) => w.buffer as ArrayBuffer)));
    this.cost.ms += this.now() - started;
    this.cost.copies++;
  }
}
