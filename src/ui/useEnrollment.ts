/**
 * The guided round ("Teach it my handwriting") as the page holds it: the round (enrollmentRound.ts), keeping the
 * current drawing as a sample of the asked digit (the same path as a correction, so learning follows by itself),
 * and a request to clear the pad for the next drawing.
 */
import { useCallback, useState } from 'react';
import { type EnrollmentRound, askedDigit, keepDrawing, roundOver, roundSummary, skipDigit, startRound } from './enrollmentRound';

export function useEnrollment(keepSample: (digit: number) => void) {
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
    keepSample(digit);
    advance(keepDrawing(round));
  }, [round, keepSample, advance]);

  const skip = useCallback(() => round && advance(skipDigit(round)), [round, advance]);

  const stop = useCallback(() => {
    if (!round) return;
    setRound(undefined);
    setSummary(roundSummary(round));
  }, [round]);

  return { round, summary, clearRequest, start, keep, skip, stop };
}
