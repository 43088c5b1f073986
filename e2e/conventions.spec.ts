import { continentalOne, crossedSeven, plainSeven, slashedZero } from '../src/data/conventions';
import { type PenDigit, TABLET_BOX, WRITER_SPLIT, byWriters } from '../src/data/pendigits';
import { seededRandom } from '../src/model/seededRandom';
import { readPenDigits } from '../scripts/pendigits';
import { expect, test } from './fixtures';

/**
 * The ways people elsewhere write digits, read by the served model through the real pad: a slashed zero, a crossed
 * 7 and a continental 1 (a long flag, no base), each made (src/data/conventions.ts) from the real strokes of an
 * evaluation writer (UCI pen digits, writers 21-30, never trained on), drawn with pen pointer events at the
 * writer's natural size. Which digits and which seed were fixed before the model was measured on them: the first
 * digit of each kind of each of the first three evaluation writers, seed 1.
 */
const WRITERS = WRITER_SPLIT.evaluate.slice(0, 3);

function made(label: number, make: (d: PenDigit, random: () => number) => Array<Array<[number, number]>> | undefined): Array<{ writer: number; strokes: Array<Array<[number, number]>> }> {
  const random = seededRandom(1);
  return WRITERS.map((writer) => {
    const d = byWriters(readPenDigits(), [writer]).find((x) => x.label === label)!;
    return { writer, strokes: make(d, random)! };
  });
}

const CASES = [
  { name: 'slashed zero', digit: '0', drawings: made(0, (d, r) => slashedZero(d.strokes, r)) },
  // A writer who crosses their 7s already draws them so; one who does not gets a bar.
  { name: 'crossed 7', digit: '7', drawings: made(7, (d, r) => crossedSeven(plainSeven(d.strokes) ?? d.strokes, r)) },
  { name: 'continental 1', digit: '1', drawings: made(1, (d, r) => continentalOne(d.strokes, r, false)) },
];

test.describe('reads the conventions people write', () => {
  for (const { name, digit, drawings } of CASES)
    test(`a ${name} made from evaluation writers' real strokes reads as ${digit}`, async ({ app, modelStatus, drawing }) => {
      await app.goto();
      await modelStatus.waitForModel('pretrained');
      for (const { writer, strokes } of drawings) {
        await drawing.drawPen(strokes, TABLET_BOX, { left: 0, top: 0, size: 1 });
        expect(await drawing.reading(), `writer ${writer}'s ${name}`).toBe(digit);
        await drawing.clear();
      }
    });
});
