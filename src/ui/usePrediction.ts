/**
 * The reading of the current drawing: asks the prediction worker for the newest drawing only (latestOnly), and
 * again whenever what reads changes (another model loaded, the personal model switched or relearnt). `busy`
 * while the shown probabilities are not yet the current drawing's (the UI contract's aria-busy).
 */
import { useEffect, useMemo, useState } from 'react';
import type { LoadedModel } from '../worker/api';
import { latestOnly } from './latestOnly';
import type { Drawing } from './useDrawing';
import type { Predictor } from './workers';

export interface Reading {
  probabilities: number[] | null;
  /** The digit read, or -1. */
  digit: number;
  busy: boolean;
}

/** What reads: the loaded model, the personal model's state (any change of it asks again), and whether a model is ready. */
export interface Reader {
  model: LoadedModel | undefined;
  personal: unknown;
  ready: boolean;
}

export function usePrediction(predictor: Predictor | undefined, drawing: Drawing, { model, personal, ready }: Reader): Reading {
  const [result, setResult] = useState<{ version: number; probabilities: number[] } | null>(null);

  const request = useMemo(
    () =>
      predictor &&
      latestOnly(
        (d: Drawing) => predictor.predict(d.input!),
        (d, prediction) => setResult({ version: d.version, probabilities: prediction.probabilities }),
        () => undefined, // no model yet: the next load asks again
      ),
    [predictor],
  );

  // An empty pad shows nothing, and a new digit never shows the reading of the one before it was cleared (below).
  useEffect(() => {
    if (drawing.input && model && request) request(drawing);
  }, [drawing, model, personal, request]);

  const shown = drawing.input && result && result.version > drawing.since ? result : null;
  const probabilities = ready ? (shown?.probabilities ?? null) : null;
  return {
    probabilities,
    digit: probabilities ? probabilities.indexOf(Math.max(...probabilities)) : -1,
    busy: Boolean(drawing.input) && ready && result?.version !== drawing.version,
  };
}
