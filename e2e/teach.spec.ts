import { type PenDigit, TABLET_BOX, byWriters } from '../src/data/pendigits';
import { DRAWINGS_PER_DIGIT } from '../src/ui/enrollmentRound';
import { join } from 'node:path';
import { writerSession } from '../scripts/eval-personal';
import { KERAS_MODELS_DIR, REAL_KERAS_FILES } from '../src/testing/keras/reference';
import { readPenDigits } from '../scripts/pendigits';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { asConventionWriter } from '../src/data/conventions';
import { seededRandom } from '../src/model/seededRandom';
import { type DrawingPanel, type HandwritingPanel, expect, freshProfileImporting, test } from './fixtures';

/**
 * "Teach it my handwriting", the guided round, through the real pad with the real pen strokes of an evaluation
 * writer (UCI pen digits, writer 23), on a model a user brings: a real Keras 2.1 .h5 file someone else trained on
 * MNIST alone (TrustAI/DeepGame, src/testing/keras-models), which misreads some of this writer's digits where the
 * served model, trained on other writers' pen digits too, reads nearly all of them. The app asks for each digit in
 * turn, the writer draws one of theirs (pen pointer events on the pad) and keeps it. The writer's digits in the order `npm run bench:personal` and
 * scripts/eval-personal.ts use: the round takes the first two of each digit among the 100 "drawn", and the writer's
 * other digits (never drawn in the round) are read before and after, and the figure printed.
 */
const WRITER = 23;
const OTHERS = 40;

async function readEach(drawing: DrawingPanel, digits: readonly PenDigit[]) {
  const readings: Array<{ digit: string; probabilities: string[] }> = [];
  for (const d of digits) {
    await drawing.drawPenEvents(d.strokes, TABLET_BOX);
    readings.push({ digit: await drawing.reading(), probabilities: await drawing.probabilityValues() });
    await drawing.clear();
  }
  return readings;
}

/**
 * The guided round as the writer goes through it: for each digit the app asks for, the writer draws the next of
 * their `drawn` digits with that label (pen events on the pad) and keeps it. Returns the digits asked for, in order.
 */
async function teachRound(drawing: DrawingPanel, handwriting: HandwritingPanel, drawn: readonly PenDigit[]): Promise<number[]> {
  await handwriting.teachButton.click();
  await expect(handwriting.teachButton).toBeDisabled();
  const asked: number[] = [];
  const used = new Set<PenDigit>();
  for (let digit = await handwriting.askedDigit(); digit !== undefined; digit = await handwriting.askedDigit()) {
    asked.push(digit);
    // Keep waits for a drawing.
    await expect(handwriting.keepButton).toBeDisabled();
    const pen = drawn.find((d) => d.label === digit && !used.has(d))!;
    used.add(pen);
    await drawing.drawPenEvents(pen.strokes, TABLET_BOX);
    await drawing.reading();
    await handwriting.keepDrawing();
    // The pad is emptied for the next drawing.
    await expect(drawing.prediction).toHaveText('');
  }
  return asked;
}

test('the guided round on an imported Keras model: each digit asked for and kept with its label; the writer\'s other digits read better, also after a reload; Forget returns to the base exactly', async ({
  app,
  modelStatus,
  drawing,
  handwriting,
  library,
}) => {
  test.setTimeout(420_000);
  const { drawn, others: rest } = writerSession(byWriters(readPenDigits(), [WRITER]), WRITER);
  const others = rest.slice(0, OTHERS);
  const right = (readings: Array<{ digit: string }>) => readings.filter((r, i) => r.digit === String(others[i]!.label)).length;
  await app.goto();
  await modelStatus.waitForModel('pretrained');
  await library.importFiles(join(KERAS_MODELS_DIR, REAL_KERAS_FILES[0]!));
  await modelStatus.waitForModel('imported');
  const before = await readEach(drawing, others);
  expect(right(before), 'the imported model misreads some of this writer\'s digits').toBeLessThan(others.length);

  const asked = await teachRound(drawing, handwriting, drawn);
  expect(asked).toEqual(Array.from({ length: 10 * DRAWINGS_PER_DIGIT }, (_, i) => Math.floor(i / DRAWINGS_PER_DIGIT)));
  await expect(handwriting.status).toHaveAttribute('data-samples', String(asked.length));
  await expect(handwriting.teachButton).toBeEnabled();
  await handwriting.waitUntilLearnt();
  // Two samples of every digit, each with the digit asked for.
  await expect(app.page.getByRole('table', { name: 'Samples per digit' }).getByRole('cell')).toHaveText(Array.from({ length: 10 }, () => String(DRAWINGS_PER_DIGIT)));
  await handwriting.expectState('personal');
  const after = await readEach(drawing, others);
  console.log(`writer ${WRITER}'s other ${others.length} digits read right: ${right(before)} before, ${right(after)} after the guided round (${asked.length} drawings)`);
  expect(right(after), `read right before ${right(before)}, after ${right(after)} of ${others.length}`).toBeGreaterThan(right(before));

  await app.reload();
  await modelStatus.waitForModel('imported');
  await expect(handwriting.status).toHaveAttribute('data-samples', String(asked.length));
  await handwriting.expectState('personal');
  expect(await readEach(drawing, others.slice(0, 6))).toEqual(after.slice(0, 6));

  await handwriting.forget();
  await handwriting.expectState('base');
  // The base model's very probabilities again (the first 12 digits: each drawing through the pad takes a second).
  expect(await readEach(drawing, others.slice(0, 12))).toEqual(before.slice(0, 12));
});

test('the guided round can skip a digit and stop; it says what it kept', async ({ app, modelStatus, drawing, handwriting }) => {
  await app.goto();
  await modelStatus.waitForModel('pretrained');
  await handwriting.teachButton.click();
  await expect(handwriting.enrollment).toHaveAttribute('data-digit', '0');
  await drawing.draw('0');
  await drawing.reading();
  await handwriting.keepDrawing();
  await expect(handwriting.enrollment).toHaveAttribute('data-digit', '0');
  await handwriting.skipButton.click();
  await expect(handwriting.enrollment).toHaveAttribute('data-digit', '1');
  await handwriting.stopButton.click();
  await expect(handwriting.enrollment).toHaveCount(0);
  await expect(app.page.getByText('Teaching round: 1 drawing kept; skipped 0.')).toBeVisible();
  await expect(handwriting.status).toHaveAttribute('data-samples', '1');
});

/**
 * The promise tested where it is hardest: a writer who slashes every zero (and flags every 1, crosses every 7),
 * made (src/data/conventions.ts, seeded as scripts/eval-personal.ts --convention-writers makes them) from the real
 * strokes of the evaluation writer whose slashed zeros the imported MNIST-only model misreads most (writer 28: 3 of
 * 10, chosen by the base's readings alone). The guided round keeps two of their zeros; at least 9 of their other
 * ten zeros then read as 0, the same through a reload and in a browser that imports the exported model, until
 * Forget.
 */
const SLASHING_WRITER = 28;

test('a writer who slashes their zeros teaches two in the guided round; 9 of 10 of their other slashed zeros then read as 0, the same after a reload and exported; Forget returns to the base exactly', async ({
  app,
  modelStatus,
  drawing,
  handwriting,
  library,
  browser,
}) => {
  test.setTimeout(420_000);
  const digits = asConventionWriter(byWriters(readPenDigits(), [SLASHING_WRITER]), seededRandom(SLASHING_WRITER * 7919));
  const { drawn } = writerSession(digits, SLASHING_WRITER);
  // The round takes the first two zeros among those drawn; ten of the writer's other zeros are read.
  const taughtZeros = drawn.filter((d) => d.label === 0).slice(0, DRAWINGS_PER_DIGIT);
  const zeros = digits.filter((d) => d.label === 0 && !taughtZeros.includes(d)).slice(0, 10);
  const zerosRead = (readings: Array<{ digit: string }>) => readings.filter((r) => r.digit === '0').length;
  await app.goto();
  await modelStatus.waitForModel('pretrained');
  await library.importFiles(join(KERAS_MODELS_DIR, REAL_KERAS_FILES[0]!));
  await modelStatus.waitForModel('imported');
  const before = await readEach(drawing, zeros);
  expect(zerosRead(before), 'the imported model misreads this writer\'s slashed zeros').toBeLessThanOrEqual(5);

  await teachRound(drawing, handwriting, drawn);
  await handwriting.waitUntilLearnt();
  await handwriting.expectState('personal');
  await expect(handwriting.status).toContainText(/Now reads your 0s that the base model read as/);
  const after = await readEach(drawing, zeros);
  console.log(`writer ${SLASHING_WRITER}'s other slashed zeros read as 0: ${zerosRead(before)} of ${zeros.length} before, ${zerosRead(after)} after the guided round`);
  // 9 of 10, as the issue asks: through the pad this writer went from 3 to 8 with the corrections' settings, to 9
  // with the round's (WHOLE_HAND_HEAD, 20 copies a sample).
  expect(zerosRead(after), `slashed zeros read as 0 before ${zerosRead(before)}, after ${zerosRead(after)} of ${zeros.length}`).toBeGreaterThanOrEqual(9);

  await app.reload();
  await modelStatus.waitForModel('imported');
  await handwriting.expectState('personal');
  expect(await readEach(drawing, zeros)).toEqual(after);

  // model.json, the imported model's weights in one shard, and its card: the personal model travels in them.
  const files = await library.exportFiles(mkdtempSync(join(tmpdir(), 'digit-lab-slashed-')), 3);
  const elsewhere = await freshProfileImporting(browser, files);
  await elsewhere.handwriting.expectState('personal');
  expect(await readEach(elsewhere.drawing, zeros)).toEqual(after);
  await elsewhere.close();

  await handwriting.forget();
  await handwriting.expectState('base');
  expect(await readEach(drawing, zeros)).toEqual(before);
});
