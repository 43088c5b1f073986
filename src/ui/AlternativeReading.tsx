/**
 * "7, or a 1?": the second most likely digit, shown beside the reading only while it is close (secondReading.ts).
 * Its digit is a button that keeps the drawing as a sample of that digit, as the correction button "It's a 1"
 * does; once kept it says so and keeps no second copy. Mount it with a key per drawing and digit: a new drawing
 * (or another second digit) starts unkept.
 */
import { useState } from 'react';
import type { SecondReading } from './secondReading';

export interface AlternativeReadingProps {
  reading: SecondReading;
  onKeep(digit: number): void;
}

export function AlternativeReading({ reading: { digit, probability }, onKeep }: AlternativeReadingProps) {
  const [kept, setKept] = useState(false);
  const percent = `${(probability * 100).toFixed(0)}%`;
  return (
    <span className="alternative-reading">
      , or a{' '}
      <button
        type="button"
        data-testid="alternative"
        data-probability={probability.toFixed(4)}
        aria-label={kept ? `Kept as a ${digit}` : `Keep as a ${digit}`}
        aria-disabled={kept}
        title={kept ? `Kept as a sample of a ${digit}` : `Maybe a ${digit} (${percent}): tap to keep this drawing as a ${digit}`}
        onClick={() => {
          if (kept) return;
          setKept(true);
          onKeep(digit);
        }}
      >
        {digit}
      </button>
      ?
    </span>
  );
}
