/**
 * Learns a user's handwriting on top of a frozen base model: the user's samples, each with augmented copies
 * (as handwriting varies), become a personal memory in the base's feature space (personalMemory.ts); leaving
 * each sample out in turn and an MNIST check decide whether it may read. The replayed and check MNIST features
 * are computed once per base model and kept. No DOM, any backend; shared by the training worker and the Node
 * script that measures it.
 */
import type * as tf from '@tensorflow/tfjs';
import { Augmenter, HANDWRITING_AUGMENTATION } from '../data/augment';
import type { MnistSplit } from '../data/batches';
import { type FeatureReader, featureReader, readFeatures } from './featureReader';
import type { PersonalLearning, PersonalSample } from './personal';
import { seededRandom } from './seededRandom';
import { learntHabits } from './personalHabits';
import { HEAD, type Head, type HeadSettings, WHOLE_HAND_HEAD, coversEveryDigit, headSettingsFor, trainHead, withHead } from './personalHead';
import { type Features, MEMORY, type MemorySettings, type PersonalChecks, accuracyWith, buildMemory, crossValidate, judgePersonal, readRow, rows, selectRows } from './personalMemory';

export interface LearnerSettings {
  /** Augmented copies of each sample kept in the memory, besides the sample itself. */
  copies: number;
  /** The same where the samples show every digit (coversEveryDigit); `copies` where unset. */
  wholeHandCopies?: number;
  /** MNIST test images before `checkFrom`: the other digits a ball must keep away from; from it on: the check. */
  checkFrom: number;
  /** Every `stride`-th of them (computing their features is most of a first learning's time). */
  stride: number;
  memory: MemorySettings;
  /** A personal head under the memory (personalHead.ts), where set. */
  head?: HeadSettings;
  /** The head's settings where the samples show every digit (headSettingsFor); `head`'s where unset. */
  wholeHandHead?: HeadSettings;
}

/**
 * A guided round's samples (every digit) get 20 copies each: on writers 1-10 (README "Learning your handwriting")
 * its convention writers read 95.83% -> 96.67% with them and its ordinary writers 97.00% -> 98.17%; corrections
 * read no better with more (95.83% -> 95.83%, 97.50% -> 97.33%) and keep 10.
 */
export const LEARNER: LearnerSettings = { copies: 10, wholeHandCopies: 20, checkFrom: 5000, stride: 2, memory: MEMORY, head: HEAD, wholeHandHead: WHOLE_HAND_HEAD };

interface BaseFeatures {
  baseId: string;
  reader: FeatureReader;
  replay: Features;
  check: Features;
}

/** Every `stride`-th image from `from` to `to` (0..1) and its label. */
function imagesOf(split: MnistSplit, from: number, to: number, stride: number): { images: Float32Array; labels: Uint8Array } {
  const count = Math.ceil((to - from) / stride);
  const images = new Float32Array(count * 784);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const index = from + i * stride;
    for (let p = 0; p < 784; p++) images[i * 784 + p] = split.images[index * 784 + p]! / 255;
    labels[i] = split.labels[index]!;
  }
  return { images, labels };
}

export class PersonalLearner {
  private base: BaseFeatures | undefined;

  constructor(
    private readonly settings: LearnerSettings = LEARNER,
    /** Runs between batches of feature computation (yield to other work in a worker). */
    private readonly between?: () => Promise<void>,
  ) {}

  /** The MNIST features of a base model, computed once and kept while the base stays the same. */
  private async featuresFor(baseId: string, loadBase: () => Promise<tf.LayersModel>, test: MnistSplit): Promise<BaseFeatures> {
    if (this.base?.baseId === baseId) return this.base;
    this.forget();
    const reader = featureReader(await loadBase());
    const { checkFrom, stride } = this.settings;
    const replayImages = imagesOf(test, 0, checkFrom, stride);
    const checkImages = imagesOf(test, checkFrom, test.count, stride);
    const replay = await readFeatures(reader, replayImages.images, replayImages.labels.length, this.between);
    const check = await readFeatures(reader, checkImages.images, checkImages.labels.length, this.between);
    this.base = {
      baseId,
      reader,
      replay: { dim: reader.dim, x: replay.features, y: replayImages.labels, base: replay.probabilities },
      check: { dim: reader.dim, x: check.features, y: checkImages.labels, base: check.probabilities },
    };
    return this.base;
  }

  /** Lets go of the kept base model's features (the model itself belongs to whoever loaded it). */
  forget(): void {
    this.base = undefined;
  }

  async learn(baseId: string, loadBase: () => Promise<tf.LayersModel>, test: MnistSplit, samples: readonly PersonalSample[]): Promise<PersonalLearning> {
    const started = performance.now();
    const base = await this.featuresFor(baseId, loadBase, test);
    const { reader } = base;
    const s = this.settings;
    const n = samples.length;
    const copies = coversEveryDigit(samples.map((sample) => sample.label)) ? (s.wholeHandCopies ?? s.copies) : s.copies;
    const rowsPerSample = copies + 1;
    // Each sample, then `copies` augmented copies of it (the same ones for the same samples).
    const images = new Float32Array(n * rowsPerSample * 784);
    const augmenter = new Augmenter({ ...HANDWRITING_AUGMENTATION, probability: 1 }, seededRandom(n * 7919 + (samples[0]?.label ?? 0)));
    samples.forEach((sample, i) => {
      for (let p = 0; p < 784; p++) images[i * rowsPerSample * 784 + p] = sample.pixels[p]! / 255;
      for (let c = 1; c <= copies; c++) augmenter.augment(sample.pixels, images, (i * rowsPerSample + c) * 784);
    });
    const read = await readFeatures(reader, images, n * rowsPerSample, this.between);
    const labels = Uint8Array.from(samples, (sample) => sample.label);
    const augmented: Features = {
      dim: reader.dim,
      x: read.features,
      y: Uint8Array.from({ length: n * rowsPerSample }, (_, r) => labels[Math.floor(r / rowsPerSample)]!),
      group: Uint32Array.from({ length: n * rowsPerSample }, (_, r) => Math.floor(r / rowsPerSample)),
      base: read.probabilities,
    };
    const originals: Features = { dim: reader.dim, x: new Float32Array(n * reader.dim), y: labels, base: new Float32Array(n * 10) };
    for (let i = 0; i < n; i++) {
      const row = i * rowsPerSample;
      originals.x.set(read.features.subarray(row * reader.dim, (row + 1) * reader.dim), i * reader.dim);
      originals.base!.set(read.probabilities.subarray(row * 10, (row + 1) * 10), i * 10);
    }

    const memory = buildMemory(augmented, base.replay, s.memory);
    const headSettings = s.head && headSettingsFor(labels, s.head, s.wholeHandHead ?? s.head);
    const mnistBase = accuracyWith(undefined, base.check, s.memory);
    const checksWith = (head: Head | undefined) => {
      const own = head && headSettings ? crossValidateWithHead(originals, augmented, base.replay, s.memory, headSettings) : crossValidate(originals, augmented, base.replay, s.memory);
      return {
        samples: n,
        ownPersonal: own.personal,
        ownBase: own.base,
        ownSeen: accuracyWith(memory, withHead(head, originals), s.memory),
        mnistPersonal: accuracyWith(memory, withHead(head, base.check), s.memory),
        mnistBase,
      };
    };
    const done = (head: Head | undefined, checks: PersonalChecks, judged: { accepted: boolean; reason: string }): PersonalLearning => {
      const personal = head ? { ...memory, head } : memory;
      const baseReads = Array.from({ length: n }, (_, i) => readRow(undefined, originals, i, s.memory));
      const personalReads = Array.from({ length: n }, (_, i) => readRow(personal, originals, i, s.memory));
      return {
        baseId,
        sampleIds: samples.map((sample) => sample.id),
        memory: personal,
        checks,
        learnt: learntHabits(labels, baseReads, personalReads),
        ...judged,
        seconds: (performance.now() - started) / 1000,
      };
    };
    // With a head where it passes the checks; else the memory alone, judged as ever.
    if (headSettings) {
      const head = trainHead(augmented, base.replay, headSettings);
      const checks = checksWith(head);
      const judged = judgePersonal(checks);
      if (judged.accepted) return done(head, checks, judged);
    }
    const checks = checksWith(undefined);
    return done(undefined, checks, judgePersonal(checks));
  }
}

/** Folds of the user's samples for the head's cross-validation: at most this many heads are trained. */
export const HEAD_FOLDS = 5;

/**
 * crossValidate's measure with a head under the memory: the samples in HEAD_FOLDS folds, each fold's head learnt
 * without them, and each sample read by that head and a memory without it.
 */
export function crossValidateWithHead(originals: Features, augmented: Features, replay: Features, memorySettings: MemorySettings, headSettings: HeadSettings): { personal: number; base: number } {
  const n = rows(originals);
  if (n === 0) return { personal: 0, base: 0 };
  const folds = Math.min(HEAD_FOLDS, n);
  let right = 0;
  for (let fold = 0; fold < folds; fold++) {
    const head: Head = trainHead(selectRows(augmented, (i) => augmented.group![i]! % folds !== fold), replay, headSettings);
    for (let sample = fold; sample < n; sample += folds) {
      const memory = buildMemory(selectRows(augmented, (i) => augmented.group![i] !== sample), replay, memorySettings);
      const one = withHead(head, selectRows(originals, (i) => i === sample));
      if (readRow(memory, one, 0, memorySettings) === originals.y[sample]) right++;
    }
  }
  return { personal: right / n, base: accuracyWith(undefined, originals, memorySettings) };
}
