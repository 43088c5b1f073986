/**
 * The committed pre-trained model (public/models/pretrained, made by scripts/train-pretrained.ts): its accuracy
 * on the 10,000 MNIST test images and on real pen digits of writers it never saw, measured here in Node, reaches
 * the bars and matches its model card, and the card states the recipe that made it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CNN_PARAMETER_COUNT } from '../src/model/cnn';
import { evaluateModel } from '../src/model/evaluate';
import type { ModelCard } from '../src/model/modelCard';
import { artifactsFromFiles } from '../src/model/modelFiles';
import { concatSplits } from '../src/data/batches';
import { WRITER_SPLIT, byWriters } from '../src/data/pendigits';
import { evaluatePenDigits } from './eval-pendigits';
import { startWasmBackend } from './nodeBackend';
import { readPenDigits } from './pendigits';
import { mnistDataDir, readSplit } from './prepare-data';
import { PRETRAINED_DIR, recipePenDigits, recipeRandom } from './train-pretrained';

beforeAll(startWasmBackend);

describe('the committed pre-trained model', () => {
  it('is there, with its card', () => {
    expect(existsSync(join(PRETRAINED_DIR, 'model.json'))).toBe(true);
    expect(existsSync(join(PRETRAINED_DIR, 'model-card.json'))).toBe(true);
  });

  it('scores at least 99.0% on the 10,000 MNIST test images and 97% on pen digits of unseen writers, as its card says', async () => {
    const card = JSON.parse(readFileSync(join(PRETRAINED_DIR, 'model-card.json'), 'utf8')) as ModelCard;
    const json = JSON.parse(readFileSync(join(PRETRAINED_DIR, 'model.json'), 'utf8')) as tf.io.ModelJSON;
    const shards = new Map(
      readdirSync(PRETRAINED_DIR)
        .filter((f) => f.endsWith('.bin'))
        .map((f) => [f, new Uint8Array(readFileSync(join(PRETRAINED_DIR, f)))]),
    );
    const model = await tf.loadLayersModel(tf.io.fromMemory(artifactsFromFiles(json, shards)));
    expect(model.countParams()).toBe(CNN_PARAMETER_COUNT);
    const test = { count: 10_000, ...readSplit(mnistDataDir(), 'test') };
    const result = await evaluateModel(model, test);
    console.log(`pre-trained model: test accuracy ${(result.accuracy * 100).toFixed(2)}%, loss ${result.loss.toFixed(4)}`);
    // Reading drawings better must not cost MNIST: at least 99.0% (the original reached 99.25% after 12 epochs).
    expect(result.accuracy).toBeGreaterThanOrEqual(0.99);
    expect(card.testAccuracy).toBeCloseTo(result.accuracy, 3);
    expect(card.testLoss).toBeCloseTo(result.loss, 2);
    const pen = await evaluatePenDigits(model);
    console.log(`pre-trained model: pen digits of writers ${pen.writers.join(',')} ${(pen.accuracy * 100).toFixed(2)}%`);
    expect(pen.accuracy).toBeGreaterThanOrEqual(0.97);
    expect(card.penDigitsAccuracy).toBeCloseTo(pen.accuracy, 3);
    expect(card.parameters).toBe(CNN_PARAMETER_COUNT);
    expect(card.recipe).toBe('handwriting');
    expect(card.recipeDetails).toMatch(/augmented/);
    // Trained on MNIST's training images and the training writers' pen digits (each possibly several times an
    // epoch, and possibly renderings of them from varied strokes), nothing else: no evaluation writer. The data is
    // made again here from the command on the card, as trainRecipe made it (its seeded random, used for the varied
    // strokes first).
    const command = card.trainedBy!.split(/[;(]/)[0]!;
    const flag = (name: string, fallback: number) => Number(new RegExp(`--${name} (\\d+)`).exec(command)?.[1] ?? fallback);
    const random = recipeRandom(flag('seed', 1));
    const mnist = readSplit(mnistDataDir(), 'train');
    const penTrain = recipePenDigits(byWriters(readPenDigits(), WRITER_SPLIT.train), flag('pen-repeat', 1), flag('stroke-copies', 0), random, flag('conventions', 0), / --device-variation\b/.test(command));
    expect(card.trainImages).toBe(60_000 + penTrain.count);
    const data = concatSplits({ count: 60_000, ...mnist }, penTrain);
    expect(card.dataSha256).toBe(createHash('sha256').update(data.images).digest('hex'));
    model.dispose();
  });
});
