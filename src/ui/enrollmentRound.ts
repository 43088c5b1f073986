/**
 * "Teach it my handwriting": a short guided round that gives the personal model data without waiting for mistakes.
 * The app asks for each digit in turn, DRAWINGS_PER_DIGIT times; each drawing kept becomes a sample with the
 * digit asked for; a digit can be skipped (all its drawings left), the round stopped at any time. Pure: the page
 * holds the round and keeps the samples.
 */

export const DRAWINGS_PER_DIGIT = 2;

/** A reading this sure of the digit asked for means the base model reads it already: the page says so. */
export const READS_WELL_CONFIDENCE = 0.9;

export interface EnrollmentRound {
  /** The drawings still to ask for, in order, one entry (its digit) per drawing. */
  readonly queue: readonly number[];
  /** Drawings kept so far. */
  readonly kept: number;
  /** Digits skipped. */
  readonly skipped: readonly number[];
}

export function startRound(perDigit = DRAWINGS_PER_DIGIT): EnrollmentRound {
  return { queue: Array.from({ length: 10 * perDigit }, (_, i) => Math.floor(i / perDigit)), kept: 0, skipped: [] };
}

/** The digit asked for now; undefined once the round is over. */
export function askedDigit(round: EnrollmentRound): number | undefined {
  return round.queue[0];
}

/** Which drawing of the asked digit this is, e.g. 1 of 2. */
export function drawingOfDigit(round: EnrollmentRound, perDigit = DRAWINGS_PER_DIGIT): { index: number; of: number } {
  const digit = askedDigit(round);
  const left = round.queue.filter((d) => d === digit).length;
  return { index: perDigit - left + 1, of: perDigit };
}

/** The current drawing was kept as a sample of the asked digit: the next drawing is asked for. */
export function keepDrawing(round: EnrollmentRound): EnrollmentRound {
  if (round.queue.length === 0) return round;
  return { ...round, queue: round.queue.slice(1), kept: round.kept + 1 };
}

/** Leaves the rest of the asked digit's drawings. */
export function skipDigit(round: EnrollmentRound): EnrollmentRound {
  const digit = askedDigit(round);
  if (digit === undefined) return round;
  return { ...round, queue: round.queue.filter((d) => d !== digit), skipped: [...round.skipped, digit] };
}

export function roundOver(round: EnrollmentRound): boolean {
  return round.queue.length === 0;
}

/** Whether the base model reads this drawing as the asked digit with confidence: that digit may be skipped. */
export function readsWell(probabilities: readonly number[] | null, asked: number | undefined): boolean {
  if (!probabilities || asked === undefined) return false;
  const best = Math.max(...probabilities);
  return probabilities.indexOf(best) === asked && best >= READS_WELL_CONFIDENCE;
}

/** What the round did, in words, once it is over or stopped. */
export function roundSummary(round: EnrollmentRound): string {
  const kept = round.kept === 1 ? '1 drawing' : `${round.kept} drawings`;
  const skipped = round.skipped.length ? `; skipped ${round.skipped.join(', ')}` : '';
  return round.kept ? `Teaching round: ${kept} kept${skipped}. The app learns from them in the background.` : `Teaching round: nothing kept${skipped}.`;
}
