/**
 * How the second reading ("7, or a 1?", src/ui/secondReading.ts) behaves on real pen digits of writers the served
 * model never saw (writers 21-30, their strokes made into inputs by the app's own preprocessing, read in Node as
 * in scripts/eval-pendigits.ts): for the app's rule and a few others, how often a second digit is offered on digits
 * read right, on digits read wrong, and how often, offered on a wrong reading, it is the digit really written.
 * The app's rule was chosen before this was run; the other rules are shown for comparison, not to pick from.
 * Usage: npx tsx scripts/eval-second-reading.ts [model dir, default public/models/pretrained]
 */
import * as tf from '@tensorflow/tfjs';
import { WRITER_SPLIT, byWriters } from '../src/data/pendigits';
import { strokesToMnistInput } from '../src/preprocess/mnistInput';
import { CLOSE_RULE, type CloseRule, secondReading } from '../src/ui/secondReading';
import { loadModelDir } from './eval-pendigits';
import { startWasmBackend } from './nodeBackend';
import { readPenDigits } from './pendigits';

const RULES: CloseRule[] = [
  { ratio: 0.1, floor: 0.05 },
  { ratio: 0.1, floor: 0.1 },
  CLOSE_RULE,
  { ratio: 0.5, floor: 0.1 },
  { ratio: 0.25, floor: 0.2 },
];

/** The ten probabilities of each input, as the app's prediction worker reads a drawing (float pixels 0..1). */
function readAll(model: tf.LayersModel, inputs: Float32Array[]): Float32Array[] {
  const image = model.inputs[0]!.shape.length !== 2;
  return inputs.map((input) => tf.tidy(() => (model.predict(image ? tf.tensor4d(input, [1, 28, 28, 1]) : tf.tensor2d(input, [1, 784])) as tf.Tensor).dataSync() as Float32Array));
}

const percent = (n: number, of: number) => (of ? `${((100 * n) / of).toFixed(1)}% (${n}/${of})` : 'n/a (0/0)');

export function secondReadingFigures(probabilities: readonly Float32Array[], labels: readonly number[], rule: CloseRule) {
  let right = 0;
  let shownRight = 0;
  let wrong = 0;
  let shownWrong = 0;
  let trueWhenShownWrong = 0;
  probabilities.forEach((p, i) => {
    const top = p.indexOf(Math.max(...p));
    const second = secondReading(p, rule);
    if (top === labels[i]) {
      right++;
      if (second) shownRight++;
    } else {
      wrong++;
      if (second) shownWrong++;
      if (second?.digit === labels[i]) trueWhenShownWrong++;
    }
  });
  return {
    rule: `p2 >= ${rule.ratio} * p1 and p2 >= ${rule.floor}${rule === CLOSE_RULE ? ' (the app)' : ''}`,
    shownOnRight: percent(shownRight, right),
    shownOnWrong: percent(shownWrong, wrong),
    alternativeIsTrueWhenShownOnWrong: percent(trueWhenShownWrong, shownWrong),
  };
}

if (process.argv[1]?.endsWith('eval-second-reading.ts')) {
  await startWasmBackend();
  const model = await loadModelDir(process.argv[2] ?? 'public/models/pretrained');
  const digits = byWriters(readPenDigits(), WRITER_SPLIT.evaluate);
  const probabilities = readAll(model, digits.map((d) => strokesToMnistInput(d.strokes)!));
  const labels = digits.map((d) => d.label);
  const right = probabilities.filter((p, i) => p.indexOf(Math.max(...p)) === labels[i]).length;
  console.log(`writers ${WRITER_SPLIT.evaluate[0]}-${WRITER_SPLIT.evaluate.at(-1)}: ${digits.length} pen digits, ${right} read right, ${digits.length - right} wrong`);
  console.table(RULES.map((rule) => secondReadingFigures(probabilities, labels, rule)));
}
