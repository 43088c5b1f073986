import { type PenDigit, TABLET_BOX, byWriters } from '../src/data/pendigits';
import { DRAWINGS_PER_DIGIT } from '../src/ui/enrollmentRound';
import { writerSession } from '../scripts/eval-personal';
import { readPenDigits } from '../scripts/pendigits';
import { type DrawingPanel, expect, test } from './fixtures';

/**
 * "Teach it my handwriting", the guided round, through the real pad with the real pen strokes of an evaluation
 * writer (UCI pen digits, writer 28, whose 9s the served model often misreads): the app asks for each digit in turn,
 * the writer draws one of theirs and keeps it. The writer's digits in the order `npm run bench:personal` and
 * scripts/eval-personal.ts use: the round takes the first two of each digit among the 100 "drawn", and the writer's
 * other digits (never drawn in the round) are read before and after, and the figure printed.
 */
const WRITER = 28;
const OTHERS = 30;

async function readEach(drawing: DrawingPanel, digits: readonly PenDigit[]) {
  const readings: Array<{ digit: string; probabilities: string[] }> = [];
  for (const d of digits) {
    await drawing.drawPen(d.strokes, TABLET_BOX, { left: 0, top: 0, size: 1 });
    readings.push({ digit: await drawing.reading(), probabilities: await drawing.probabilityValues() });
    await drawing.clear();
  }
  return readings;
}

test('the guided round: each digit asked for and kept through the pad with its label; what reads afterwards survives a reload; Forget returns to the base exactly', async ({
  app,
  modelStatus,
  drawing,
  handwriting,
}) => {
  test.setTimeout(420_000);
  const { drawn, others: rest } = writerSession(byWriters(readPenDigits(), [WRITER]), WRITER);
  const others = rest.slice(0, OTHERS);
  const right = (readings: Array<{ digit: string }>) => readings.filter((r, i) => r.digit === String(others[i]!.label)).length;
  await app.goto();
  await modelStatus.waitForModel('pretrained');
  const before = await readEach(drawing, others);

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
    await drawing.drawPen(pen.strokes, TABLET_BOX, { left: 0, top: 0, size: 1 });
    await drawing.reading();
    await handwriting.keepDrawing();
    // The pad is emptied for the next drawing.
    await expect(drawing.prediction).toHaveText('');
  }
  expect(asked).toEqual(Array.from({ length: 10 * DRAWINGS_PER_DIGIT }, (_, i) => Math.floor(i / DRAWINGS_PER_DIGIT)));
  await expect(handwriting.status).toHaveAttribute('data-samples', String(asked.length));
  await expect(handwriting.teachButton).toBeEnabled();
  await handwriting.waitUntilLearnt();
  // Two samples of every digit, each with the digit asked for.
  await expect(app.page.getByRole('table', { name: 'Samples per digit' }).getByRole('cell')).toHaveText(Array.from({ length: 10 }, () => String(DRAWINGS_PER_DIGIT)));
  const state = await handwriting.status.getAttribute('data-state');
  const after = await readEach(drawing, others);
  // Whether the personal model reads is the learner's judgement (better on the writer's own samples, MNIST kept):
  // today's memory is refused for this writer after the round (issue 24), so the figure is printed, not asserted.
  console.log(`writer ${WRITER}'s other ${others.length} digits read right: ${right(before)} before, ${right(after)} after the guided round (${asked.length} drawings; ${state} reads)`);
  if (state === 'base') expect(after).toEqual(before);
  else expect(right(after)).toBeGreaterThanOrEqual(right(before));

  await app.reload();
  await modelStatus.waitForModel('pretrained');
  await expect(handwriting.status).toHaveAttribute('data-samples', String(asked.length));
  await handwriting.expectState(state as 'base' | 'personal');
  expect(await readEach(drawing, others.slice(0, 6))).toEqual(after.slice(0, 6));

  await handwriting.forget();
  await handwriting.expectState('base');
  expect(await readEach(drawing, others)).toEqual(before);
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
