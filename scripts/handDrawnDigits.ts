/**
 * Hand-made mouse strokes for digits: what the end-to-end tests draw and what the benchmark times from pointer-up
 * to prediction. Data, not test code, so scripts and tests both take them from here.
 */

/** A stroke in pad coordinates from 0 to 1 (left/top to right/bottom). */
export type Stroke = Array<[number, number]>;

/** The digits that have hand-drawn strokes. */
export type HandDrawnDigit = '0' | '1' | '2' | '3' | '4' | '7';

/** Strokes per digit, in pad coordinates; enumerated in digit order. */
export const HAND_DRAWN_DIGITS: Record<HandDrawnDigit, Stroke[]> = {
  '0': [[[0.5, 0.15], [0.32, 0.25], [0.27, 0.5], [0.32, 0.75], [0.5, 0.85], [0.68, 0.75], [0.73, 0.5], [0.68, 0.25], [0.5, 0.15]]],
  '1': [[[0.5, 0.15], [0.5, 0.85]]],
  '2': [[[0.3, 0.3], [0.4, 0.17], [0.55, 0.15], [0.68, 0.25], [0.68, 0.4], [0.3, 0.82], [0.72, 0.82]]],
  '3': [[[0.3, 0.2], [0.5, 0.14], [0.67, 0.22], [0.66, 0.38], [0.48, 0.48], [0.68, 0.58], [0.7, 0.75], [0.52, 0.86], [0.3, 0.8]]],
  '4': [[[0.6, 0.85], [0.6, 0.15], [0.28, 0.62], [0.75, 0.62]]],
  '7': [[[0.28, 0.18], [0.72, 0.18], [0.45, 0.86]]],
};

/**
 * A 1 turning into a 7, for t from 0 to 1: one stroke from the end of a flag up to the top, then down a slanted
 * stem. At 0 the flag is short and steep (a 1 with a flag, 60 degrees below the horizontal); at 1 it is long and
 * horizontal (a 7 without a bar); between them lie shapes that are as much one as the other.
 */
export function oneIntoSeven(t: number): Stroke[] {
  const angle = ((1 - t) * 60 * Math.PI) / 180;
  const flag = 0.15 + 0.2 * t;
  const top: [number, number] = [0.6, 0.18];
  return [[[top[0] - flag * Math.cos(angle), top[1] + flag * Math.sin(angle)], top, [0.45, 0.86]]];
}
