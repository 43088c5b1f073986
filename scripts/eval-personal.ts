/**
 * Learning a writer's handwriting, simulated in Node (a fast stand-in for `npm run bench:personal`, which draws
 * through the real pad in Chromium). Per writer: their pen digits in a shuffled order (seeded), made into inputs
 * by the app's own preprocessing; the first 100 are "drawn" one by one and each misreading is corrected (at most
 * 20), learning after each correction as the app does; then 60 other digits of theirs are read by the base model
 * and by what reads after learning. Prints JSON per writer and the mean.
 * --enrol: the guided round ("Teach it my handwriting") instead of corrections: the first DRAWINGS_PER_DIGIT of
 * each digit among the 100 drawn are kept as samples (20 in all, whatever the base reads), then it learns.
 * --convention-writers: each writer as one who slashes every 0, flags every 1 and crosses every 7 (conventions.ts).
 * --no-head: the memory alone, without the personal head (personalHead.ts; --head-l2, --head-weight, --head-steps,
 * --head-rate, --head-replay change its settings; where the samples show every digit, --whole-hand-weight and
 * --whole-hand-l2 change WHOLE_HAND_HEAD's, --whole-hand-copies the copies there, --one-head uses the settings
 * above there too).
 * Usage: npx tsx scripts/eval-personal.ts [--writers 26-30] [--model public/models/pretrained] [--enrol] [--convention-writers]
 */
import type * as tf from '@tensorflow/tfjs';
import { WRITER_SPLIT, byWriters, penDigitsAsSplit } from '../src/data/pendigits';
import { featureReader, readFeatures } from '../src/model/featureReader';
import type { PersonalSample } from '../src/model/personal';
import { type Features, type Memory, readRow } from '../src/model/personalMemory';
import { HEAD, WHOLE_HAND_HEAD } from '../src/model/personalHead';
import { LEARNER, type LearnerSettings, PersonalLearner } from '../src/model/personalLearner';
import { seededRandom } from '../src/model/seededRandom';
import { asConventionWriter } from '../src/data/conventions';
import { DRAWINGS_PER_DIGIT } from '../src/ui/enrollmentRound';
import { arg } from './cliArgs';
import { loadModelDir } from './eval-pendigits';
import { startWasmBackend } from './nodeBackend';
import { readPenDigits } from './pendigits';
import { mnistDataDir, readSplit } from './prepare-data';

export const DRAWN = 100;
export const OTHERS = 60;
export const MAX_CORRECTIONS = 20;

/** "21-25" or "21,23" -> writer numbers. */
export function writersArg(value: string): number[] {
  return value.split(',').flatMap((part) => {
    const [a, b] = part.split('-').map(Number);
    return b === undefined ? [a!] : Array.from({ length: b - a! + 1 }, (_, i) => a! + i);
  });
}

/** The writer's digits in a seeded shuffled order: the first 100 drawn, the next 60 the others. */
export function writerSession<T extends { writer: number }>(all: readonly T[], writer: number): { drawn: T[]; others: T[] } {
  const mine = all.filter((d) => d.writer === writer);
  const random = seededRandom(writer * 104729);
  const order = mine.map((d) => ({ d, k: random() })).sort((a, b) => a.k - b.k).map((x) => x.d);
  return { drawn: order.slice(0, DRAWN), others: order.slice(DRAWN, DRAWN + OTHERS) };
}

export interface PersonalResult {
  writer: number;
  drawnReadRight: number;
  corrections: number;
  before: number;
  after: number;
  personal: boolean;
  /** Whether the personal model reads through a head (personalHead.ts). */
  head: boolean;
  mnistBase?: number;
  mnistPersonal?: number;
  lastLearningSeconds: number;
  reason?: string;
}

/** Each writer's session on one model: corrections (or the guided round), learning as the app does, then their
 * other digits read by the base and by what reads after learning. */
export async function personalSessions(
  model: tf.LayersModel,
  writers: readonly number[],
  settings: LearnerSettings,
  options: { enrol?: boolean; conventionWriters?: boolean; log?: (r: PersonalResult) => void } = {},
): Promise<PersonalResult[]> {
  const reader = featureReader(model);
  const test = { count: 10_000, ...readSplit(mnistDataDir(), 'test') };
  const own = byWriters(readPenDigits(), writers);
  // --convention-writers: each writer as one who slashes every 0, flags every 1 and crosses every 7 (seeded per writer).
  const all = options.conventionWriters ? writers.flatMap((w) => asConventionWriter(own.filter((d) => d.writer === w), seededRandom(w * 7919))) : own;
  const learner = new PersonalLearner(settings);
  const results: PersonalResult[] = [];
  const enrol = options.enrol ?? false;
  for (const writer of writers) {
    const { drawn, others } = writerSession(all, writer);
    const drawnSplit = penDigitsAsSplit(drawn);
    const othersSplit = penDigitsAsSplit(others);
    const toFloat = (images: Uint8Array) => Float32Array.from(images, (v) => v / 255);
    const drawnRead = await readFeatures(reader, toFloat(drawnSplit.images), drawn.length);
    const otherRead = await readFeatures(reader, toFloat(othersSplit.images), others.length);
    const drawnRows: Features = { dim: reader.dim, x: drawnRead.features, y: drawnSplit.labels, base: drawnRead.probabilities };
    const otherRows: Features = { dim: reader.dim, x: otherRead.features, y: othersSplit.labels, base: otherRead.probabilities };
    let memory: Memory | undefined;
    const samples: PersonalSample[] = [];
    let lastLearning: Awaited<ReturnType<PersonalLearner['learn']>> | undefined;
    let drawnRight = 0;
    const sample = (i: number): PersonalSample => ({
      id: `s${i}`,
      label: drawn[i]!.label,
      pixels: drawnSplit.images.slice(i * 784, (i + 1) * 784),
      createdAt: '',
    });
    if (enrol) {
      const perDigit = new Array<number>(10).fill(0);
      drawn.forEach((d, i) => {
        if (perDigit[d.label]! < DRAWINGS_PER_DIGIT) samples.push(sample(i));
        perDigit[d.label]!++;
      });
      lastLearning = await learner.learn('served', async () => model, test, samples);
      memory = lastLearning.accepted ? lastLearning.memory : undefined;
    }
    for (let i = 0; i < drawn.length && !enrol; i++) {
      const label = drawn[i]!.label;
      const read = readRow(memory, drawnRows, i, settings.memory);
      if (read === label) {
        drawnRight++;
        continue;
      }
      if (samples.length >= MAX_CORRECTIONS) continue;
      samples.push(sample(i));
      lastLearning = await learner.learn('served', async () => model, test, samples);
      memory = lastLearning.accepted ? lastLearning.memory : undefined;
    }
    const accuracy = (m: Memory | undefined) =>
      others.filter((d, i) => readRow(m, otherRows, i, settings.memory) === d.label).length / others.length;
    const result: PersonalResult = {
      writer,
      drawnReadRight: drawnRight,
      corrections: samples.length,
      before: +accuracy(undefined).toFixed(4),
      after: +accuracy(memory).toFixed(4),
      personal: memory !== undefined,
      head: memory?.head !== undefined,
      lastLearningSeconds: lastLearning ? +lastLearning.seconds.toFixed(2) : 0,
      ...(lastLearning && { mnistBase: lastLearning.checks.mnistBase, mnistPersonal: lastLearning.checks.mnistPersonal, reason: lastLearning.reason }),
    };
    results.push(result);
    options.log?.(result);
  }
  learner.forget();
  return results;
}

/** Mean and worst writer, before and after, and how many got worse. */
export function personalSummary(results: readonly PersonalResult[]) {
  const mean = (f: (r: PersonalResult) => number) => +(results.reduce((a, r) => a + f(r), 0) / results.length).toFixed(4);
  return {
    meanBefore: mean((r) => r.before),
    meanAfter: mean((r) => r.after),
    worstBefore: Math.min(...results.map((r) => r.before)),
    worstAfter: Math.min(...results.map((r) => r.after)),
    worse: results.filter((r) => r.after < r.before).length,
  };
}

export function learnerSettingsFromArgs(): LearnerSettings {
  return {
    ...LEARNER,
    copies: Number(arg('copies', String(LEARNER.copies))),
    wholeHandCopies: Number(arg('whole-hand-copies', String(LEARNER.wholeHandCopies ?? LEARNER.copies))),
    head: undefined,
    stride: Number(arg('stride', String(LEARNER.stride))),
    memory: {
      reach: Number(arg('reach', String(LEARNER.memory.reach))),
      weight: Number(arg('weight', String(LEARNER.memory.weight))),
      edge: Number(arg('edge', String(LEARNER.memory.edge))),
    },
    ...(!process.argv.includes('--no-head') && {
      head: {
        ...HEAD,
        steps: Number(arg('head-steps', String(HEAD.steps))),
        rate: Number(arg('head-rate', String(HEAD.rate))),
        l2: Number(arg('head-l2', String(HEAD.l2))),
        userWeight: Number(arg('head-weight', String(HEAD.userWeight))),
        replayRows: Number(arg('head-replay', String(HEAD.replayRows))),
      },
      // Where the samples show every digit; --one-head: the settings above there too.
      wholeHandHead: process.argv.includes('--one-head')
        ? undefined
        : { ...WHOLE_HAND_HEAD, l2: Number(arg('whole-hand-l2', String(WHOLE_HAND_HEAD.l2))), userWeight: Number(arg('whole-hand-weight', String(WHOLE_HAND_HEAD.userWeight))) },
    }),
  };
}

async function main(): Promise<void> {
  await startWasmBackend();
  const writers = writersArg(arg('writers', `${WRITER_SPLIT.evaluate[0]}-${WRITER_SPLIT.evaluate.at(-1)}`));
  const modelDir = arg('model', 'public/models/pretrained');
  const model = await loadModelDir(modelDir);
  const settings = learnerSettingsFromArgs();
  const enrol = process.argv.includes('--enrol');
  const conventionWriters = process.argv.includes('--convention-writers');
  const results = await personalSessions(model, writers, settings, { enrol, conventionWriters, log: (r) => console.error(JSON.stringify(r)) });
  console.log(JSON.stringify({ model: modelDir, mode: enrol ? 'guided round' : 'corrections', conventionWriters, settings, writers, ...personalSummary(results), results }, null, 2));
  model.dispose();
}

if (process.argv[1]?.endsWith('eval-personal.ts')) await main();
