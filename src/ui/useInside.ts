/**
 * "Look inside" as the page holds it: open or closed; while open, the prediction worker's view (PredictorApi.inside)
 * of the newest drawing only (latestOnly), asked once the reading of that drawing has arrived, so the reading
 * never waits behind the view. While a run trains and the view is open, the training worker sends its weights a
 * few times a second (TrainerApi.shareWeights); they go to the prediction worker, which looks at them on a copy of
 * the run's architecture, and the view follows them, after a pause in proportion to what the last such view cost
 * (the weights' delivery, the view in the worker, its painting here: liveInterval). Closed, it computes nothing
 * and asks for no weights.
 */
import { transfer } from 'comlink';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { InsideView } from '../model/inside';
import { LiveViewCost, liveInterval } from '../model/liveViewPace';
import type { LiveWeights } from '../training/liveWeights';
import type { InsideSource, LoadedModel } from '../worker/api';
import { latestOnly } from './latestOnly';
import type { Drawing } from './useDrawing';
import type { Predictor, Trainer } from './workers';

export interface InsideShown {
  view: InsideView;
  /** The drawing's version: the view's data-drawing. */
  version: number;
  source: InsideSource;
}

export interface InsideContext {
  model: LoadedModel | undefined;
  /** The reading of the current drawing is still on its way: the view waits for it. */
  readingBusy: boolean;
  /** A run trains now. */
  training: boolean;
  /** Its latest weights, once sent. */
  live: LiveWeights | undefined;
}

/**
 * How long a drawing rests before its view is asked for. Views asked mid-stroke (about 11 a digit) took the
 * prediction worker's time just before the pen lifted: pointer-up to the reading went from p95 18-25 ms to
 * 75 ms with the view open (20 draws, Chromium, 2026-12-04).
 */
const SETTLE_MS = 150;

interface Request {
  drawing: Drawing;
  source: InsideSource;
}

export function useInside(predictor: Predictor | undefined, trainer: Trainer | undefined, drawing: Drawing, { model, readingBusy, training, live }: InsideContext) {
  const [open, setOpen] = useState(false);
  const [shown, setShown] = useState<InsideShown | undefined>(undefined);
  const [message, setMessage] = useState<string | undefined>(undefined);
  /** The live weights the prediction worker holds now (the object sent). */
  const [liveHeld, setLiveHeld] = useState<LiveWeights | undefined>(undefined);
  const toggle = useCallback(() => setOpen((o) => !o), []);

  /** What a view of a run's weights costs here: its delivery, the view, its painting. */
  const [cost] = useState(() => new LiveViewCost());

  // The training worker copies its weights only while someone looks (and, below, no more often than their view costs).
  const wantWeights = open && training;
  useEffect(() => {
    if (trainer) void trainer.shareWeights(wantWeights).catch(() => undefined);
  }, [trainer, wantWeights]);

  // A run's weights go to the prediction worker (a copy of the run's architecture there); none once it ends.
  // Transferred, not copied: the page has no use for them (4.8 MB for the app's CNN), so each is sent once.
  const sent = useRef(new WeakSet<LiveWeights>());
  useEffect(() => {
    if (!predictor || !open) return;
    const current = training ? live : undefined;
    let cancelled = false;
    const wasSent = current !== undefined && sent.current.has(current);
    if (current) sent.current.add(current);
    const delivered = wasSent
      ? Promise.resolve()
      : cost.delivery(() => predictor.setTrainingWeights(current ? transfer(current, current.weights.map((w) => w.buffer as ArrayBuffer)) : undefined));
    delivered.then(
      () => cancelled || setLiveHeld(current),
      (error: unknown) => cancelled || setMessage(`The training run's weights could not be shown: ${(error as Error).message}`),
    );
    return () => {
      cancelled = true;
    };
  }, [predictor, open, training, live, cost]);

  const request = useMemo(
    () =>
      predictor &&
      latestOnly(
        ({ drawing: d, source }: Request) => (source === 'training' ? cost.view(() => predictor.inside(d.input!, source)) : predictor.inside(d.input!, source)),
        ({ drawing: d, source }, view) => {
          setShown({ view, version: d.version, source });
          setMessage(undefined);
        },
        (_r, error) => setMessage(`Looking inside failed: ${(error as Error).message}`),
      ),
    [predictor, cost],
  );

  const source: InsideSource = training && liveHeld ? 'training' : 'active';
  useEffect(() => {
    if (!open || !request || !model || !drawing.input || readingBusy) return;
    // Once the drawing has rested a moment: a view computed mid-stroke would hold up the next reading.
    const timer = setTimeout(() => request({ drawing, source }), SETTLE_MS);
    return () => clearTimeout(timer);
  }, [open, request, model, drawing, readingBusy, source, liveHeld]);

  // Once a view of a run's weights is painted: what it cost, for the pause before the next copy.
  useEffect(() => {
    if (shown?.source !== 'training') return;
    const total = cost.painted();
    if (total !== undefined && trainer && wantWeights) void trainer.shareWeights(true, liveInterval(total)).catch(() => undefined);
  }, [shown, cost, trainer, wantWeights]);

  // A view of a drawing from before the pad was last cleared belongs to another digit.
  const current = open && drawing.input && shown && shown.version > drawing.since ? shown : undefined;
  return { open, toggle, shown: current, message };
}
