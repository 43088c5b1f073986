/** The current drawing, held here only: the pad's strokes turned into the model's 28x28 input, with a version. */
import { useCallback, useState } from 'react';
import { type Stroke, strokesToMnistInput } from '../preprocess/mnistInput';

export interface Drawing {
  /** Grows with every change of the pad. */
  version: number;
  /** The model's input, or null for an empty pad. */
  input: Float32Array | null;
  /** The version when the pad was last empty: readings of drawings before it belong to another digit. */
  since: number;
}

export function useDrawing() {
  const [drawing, setDrawing] = useState<Drawing>({ version: 0, input: null, since: 0 });
  const onStrokes = useCallback((strokes: readonly Stroke[], version: number) => {
    const input = strokesToMnistInput(strokes);
    setDrawing((d) => ({ version, input, since: input ? d.since : version }));
  }, []);
  return { drawing, onStrokes };
}
