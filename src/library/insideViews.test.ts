/**
 * A training run's weights as "Look inside" gets them: sent after a batch only while wanted and at most every
 * LIVE_WEIGHTS_INTERVAL_MS, and shown on a copy of the run's architecture exactly as the run's model would show
 * them, while the view of the model in use stays what it was.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadModelDir } from '../../scripts/eval-pendigits';
import { startWasmBackend } from '../../scripts/nodeBackend';
import { readPenDigits } from '../../scripts/pendigits';
import { byWriters } from '../data/pendigits';
import { buildCnn } from '../model/cnn';
import { Inspector } from '../model/inside';
import { strokesToMnistInput } from '../preprocess/mnistInput';
import { LIVE_WEIGHTS_INTERVAL_MS, LIVE_WEIGHTS_MAX_INTERVAL_MS, LiveViewCost, liveInterval } from '../model/liveViewPace';
import { type LiveWeights, LiveWeightsSender } from '../training/liveWeights';
import { InsideViews } from './insideViews';

let drawn: Float32Array;
beforeAll(async () => {
  await startWasmBackend();
  drawn = strokesToMnistInput(byWriters(readPenDigits(), [22]).find((d) => d.label === 5)!.strokes)!;
});

describe('a run’s weights for the view', () => {
  it('go out after a batch only while wanted, at most every interval, as the model’s own weights', () => {
    const model = buildCnn(3);
    const sent: LiveWeights[] = [];
    let now = 0;
    let wanted = false;
    const sender = new LiveWeightsSender(model, (r) => sent.push(r.live), () => now, () => wanted);
    sender.afterBatch(1, 1);
    expect(sent).toHaveLength(0);
    wanted = true;
    sender.afterBatch(1, 2);
    now += LIVE_WEIGHTS_INTERVAL_MS - 1;
    sender.afterBatch(1, 3);
    now += 1;
    sender.afterBatch(1, 4);
    expect(sent.map((s) => s.batch)).toEqual([2, 4]);
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
    expect(sent[1]!.weights.map((w) => Array.from(w))).toEqual(weights);
    expect((JSON.parse(sent[1]!.topology) as { class_name: string }).class_name).toBe('Sequential');
    model.dispose();
  });

  it('wait longer between copies the more their view cost, within bounds, and the sender keeps to the pause asked', () => {
    expect(liveInterval(undefined)).toBe(LIVE_WEIGHTS_INTERVAL_MS);
    expect(liveInterval(5)).toBe(LIVE_WEIGHTS_INTERVAL_MS);
    expect(liveInterval(45)).toBe(4500);
    expect(liveInterval(1e6)).toBe(LIVE_WEIGHTS_MAX_INTERVAL_MS);
    const model = buildCnn(3);
    const sent: number[] = [];
    let now = 0;
    const sender = new LiveWeightsSender(model, (r) => sent.push(r.live.batch), () => now, () => true, () => 4500);
    for (let batch = 1; batch <= 10; batch++, now += 1000) sender.afterBatch(1, batch);
    expect(sent).toEqual([1, 6]);
    model.dispose();
  });

  it('what a view of the run cost: delivery, the view and its painting, counted once', async () => {
    let now = 0;
    const cost = new LiveViewCost(() => now);
    expect(cost.painted()).toBeUndefined();
    await cost.delivery(async () => (now += 4));
    await cost.view(async () => (now += 25));
    now += 11;
    expect(cost.painted()).toBe(40);
    expect(cost.painted()).toBeUndefined();
  });

  it('show on a copy of the run’s architecture what the run’s model shows; the view of the model in use is unchanged', async () => {
    const served = await loadModelDir('public/models/pretrained');
    const run = buildCnn(7);
    const views = new InsideViews();
    const before = views.ofActive(served, drawn);
    let live: LiveWeights | undefined;
    new LiveWeightsSender(run, (r) => (live = r.live), () => 0, () => true).afterBatch(2, 17);
    await views.setTraining(live);
    const ofRun = views.ofTraining(drawn);
    const direct = new Inspector(run).look(drawn, { saliency: false });
    expect(ofRun.trainedTo).toEqual({ epoch: 2, batch: 17 });
    expect(ofRun.layers.map((l) => Array.from(l.values))).toEqual(direct.layers.map((l) => Array.from(l.values)));
    expect(Array.from(ofRun.filters[0]!.kernel)).toEqual(Array.from(direct.filters[0]!.kernel));
    expect(ofRun.saliency).toEqual([]);
    // New weights of the same run: the copy takes them.
    tf.tidy(() => run.setWeights(run.getWeights().map((w) => w.mul(0.5))));
    new LiveWeightsSender(run, (r) => (live = r.live), () => 0, () => true).afterBatch(2, 18);
    await views.setTraining(live);
    expect(Array.from(views.ofTraining(drawn).filters[0]!.kernel)).toEqual(Array.from(run.getWeights()[0]!.dataSync()));
    const after = views.ofActive(served, drawn);
    expect(after.layers.map((l) => Array.from(l.values))).toEqual(before.layers.map((l) => Array.from(l.values)));
    await views.setTraining(undefined);
    expect(views.hasTraining).toBe(false);
    expect(() => views.ofTraining(drawn)).toThrow(/no weights/);
    run.dispose();
    served.dispose();
  });
});
