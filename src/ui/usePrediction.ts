/**
 * The reading of the current drawing: asks the prediction worker for the newest drawing only (latestOnly), and
 * again whenever another model is loaded. `busy` while the shown probabilities are not yet the current
 * drawing's (the UI contract's aria-busy).
 */
import { useEffect, useMemo, useState } from 'react';
import type { LoadedModel } from '../worker/api';
import { latestOnly } from './latestOnly';
import type { Drawing } from './useDrawing';
import type { Predictor } from './workers';

export interface Reading {
  probabilities: number[] | null;
  busy: boolean;
}

export function usePrediction(predictor: Predictor | undefined, drawing: Drawing, model: LoadedModel | undefined, ready: boolean): Reading {
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
  }, [drawing, model, request]);

  const shown = drawing.input && result && result.version > drawing.since ? result : null;
  return {
    probabilities: ready ? (shown?.probabilities ?? null) : null,
    busy: Boolean(drawing.input) && ready && result?.version !== drawing.version,
  };
}
