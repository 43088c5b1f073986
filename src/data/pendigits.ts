/**
 * Pen digits in the UNIPEN format of the UCI "pendigits" data set (scripts/data/pendigits): real digits written
 * with a pen by 30 people, as strokes. Pure: parsing, the split of writers into training and evaluation, and
 * the digits as model inputs made by the app's own preprocessing.
 */
import { strokesToMnistInput } from '../preprocess/mnistInput';
import type { MnistSplit } from './batches';
import { IMAGE_PIXELS } from './mnistFacts';

/** One pen digit: its label, its writer (1-30), and strokes of [x, y] points with y pointing down, in a box of
 * about 500 x 500 tablet units (the writer's box). */
export interface PenDigit {
  label: number;
  writer: number;
  strokes: Array<Array<[number, number]>>;
}

/** The tablet box the writers wrote in (y is flipped into it: y' = TABLET_BOX - y). */
export const TABLET_BOX = 500;

/** Writers whose digits may train a model, and writers kept only for evaluation. */
export const WRITER_SPLIT = { train: range(1, 20), evaluate: range(21, 30) } as const;

/** Writer-level cross-validation (scripts/cv-handwriting.ts): 5 folds of 6 writers, 1-6, 7-12, ..., 25-30. Every
 * choice of recipe or setting is judged on writers held out of it; a figure says the fold its writer is in. */
export const WRITER_FOLDS: readonly number[][] = Array.from({ length: 5 }, (_, k) => range(6 * k + 1, 6 * k + 6));

/** The fold (1-5) a writer is in. */
export const foldOf = (writer: number): number => WRITER_FOLDS.findIndex((f) => f.includes(writer)) + 1;

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

export class PenDigitFormatError extends Error {
  override name = 'PenDigitFormatError';
}

export function parsePenDigits(text: string): PenDigit[] {
  const digits: PenDigit[] = [];
  let current: PenDigit | undefined;
  let stroke: Array<[number, number]> | undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    if (line.startsWith('.SEGMENT')) {
      const m = /^\.SEGMENT\s+DIGIT\s+[\d-]+\s+\S+\s+"(\d)"/.exec(line);
      if (!m) throw new PenDigitFormatError(`line ${i + 1}: unexpected segment "${line}"`);
      current = { label: Number(m[1]), writer: 0, strokes: [] };
      digits.push(current);
    } else if (line.startsWith('.COMMENT') && current) {
      const m = /^\.COMMENT\s+(\d)\s+(\d+)/.exec(line);
      if (!m || Number(m[1]) !== current.label) throw new PenDigitFormatError(`line ${i + 1}: comment does not match its segment`);
      current.writer = Number(m[2]);
    } else if (line === '.PEN_DOWN') {
      if (!current) throw new PenDigitFormatError(`line ${i + 1}: pen down outside a digit`);
      stroke = [];
    } else if (line === '.PEN_UP') {
      if (stroke?.length) current!.strokes.push(stroke);
      stroke = undefined;
    } else if (stroke) {
      const m = /^(-?\d+)\s+(-?\d+)$/.exec(line);
      if (!m) throw new PenDigitFormatError(`line ${i + 1}: expected "x y", got "${line}"`);
      stroke.push([Number(m[1]), TABLET_BOX - Number(m[2])]);
    }
  }
  return digits.filter((d) => d.strokes.length > 0);
}

/** Pen digits as a split of uint8 images, each made from its strokes exactly as the app makes a drawing's input. */
export function penDigitsAsSplit(digits: readonly PenDigit[]): MnistSplit {
  const images = new Uint8Array(digits.length * IMAGE_PIXELS);
  digits.forEach((d, i) => {
    const input = strokesToMnistInput(d.strokes)!;
    for (let p = 0; p < IMAGE_PIXELS; p++) images[i * IMAGE_PIXELS + p] = Math.round(input[p]! * 255);
  });
  return { count: digits.length, images, labels: Uint8Array.from(digits, (d) => d.label) };
}

export const byWriters = (digits: readonly PenDigit[], writers: readonly number[]) => digits.filter((d) => writers.includes(d.writer));
