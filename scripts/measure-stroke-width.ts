/**
 * Measures MNIST's stroke width (strokeWidth.ts's estimate) on the 10,000 test images and the same estimate of
 * the app's own inputs for the training writers' pen digits, so the preprocessing can draw strokes as thick as
 * MNIST's. Usage: npx tsx scripts/measure-stroke-width.ts
 */
import { SPLIT_COUNTS } from '../src/data/mnistFacts';
import { WRITER_SPLIT } from '../src/data/pendigits';
import { strokesToMnistInput } from '../src/preprocess/mnistInput';
import { strokeWidth } from '../src/preprocess/strokeWidth';
import { readPenDigits } from './pendigits';
import { mnistDataDir, readSplit } from './prepare-data';

const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return { n: values.length, mean: +mean.toFixed(3), median: +sorted[Math.floor(sorted.length / 2)]!.toFixed(3), p10: +sorted[Math.floor(sorted.length * 0.1)]!.toFixed(3), p90: +sorted[Math.floor(sorted.length * 0.9)]!.toFixed(3) };
};

const test = readSplit(mnistDataDir(), 'test');
const mnist = Array.from({ length: SPLIT_COUNTS.test }, (_, i) => strokeWidth(test.images.subarray(i * 784, (i + 1) * 784), 28, 255));
const pen = readPenDigits()
  .filter((d) => (WRITER_SPLIT.train as readonly number[]).includes(d.writer))
  .map((d) => strokeWidth(strokesToMnistInput(d.strokes)!));
console.log(JSON.stringify({ mnistTest: summary(mnist), appInputOfPenDigits: summary(pen) }, null, 2));
