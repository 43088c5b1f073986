/**
 * The guided round ("Teach it my handwriting") as the page holds it: the round (enrollmentRound.ts), keeping the
 * current drawing as a sample of the asked digit (the same path as a correction), and a request to clear the pad
 * for the next drawing. Learning waits for the round's end (its last drawing, or Stop): learning after every
 * drawing would be redone 20 times in a minute, on the cores that read the next drawing.
 */
import { useCallback, useState } from 'react';
import { type EnrollmentRound, askedDigit, keepDrawing, roundOver, roundSummary, skipDigit, startRound } from './enrollmentRound';

export function useEnrollment(keepSample: (digit: number, relearn: boolean) => void, roundEnded: () => void) {
  const [round, setRound] = useState<EnrollmentRound | undefined>(undefined);
  const [summary, setSummary] = useState<string | undefined>(undefined);
  /** Grows whenever the pad should be emptied for the next drawing. */
  const [clearRequest, setClearRequest] = useState(0);

  const advance = useCallback((next: EnrollmentRound) => {
    setClearRequest((n) => n + 1);
    if (roundOver(next)) {
      setRound(undefined);
      setSummary(roundSummary(next));
    } else setRound(next);
  }, []);

  const start = useCallback(() => {
    setSummary(undefined);
    setRound(startRound());
    setClearRequest((n) => n + 1);
  }, []);

  const keep = useCallback(() => {
    if (!round) return;
    const digit = askedDigit(round);
    if (digit === undefined) return;
    const next = keepDrawing(round);
    // The last drawing's sample learns as a correction does (once it is written).
    keepSample(digit, roundOver(next));
    advance(next);
  }, [round, keepSample, advance]);

  const skip = useCallback(() => {
    if (!round) return;
    const next = skipDigit(round);
    advance(next);
    if (roundOver(next)) roundEnded();
  }, [round, advance, roundEnded]);

  const stop = useCallback(() => {
    if (!round) return;
    setRound(undefined);
    setSummary(roundSummary(round));
    roundEnded();
  }, [round, roundEnded]);

  return { round, summary, clearRequest, start, keep, skip, stop };
}
