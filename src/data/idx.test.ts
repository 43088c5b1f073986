import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mnistDataDir, readSplit } from '../../scripts/prepare-data';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, IdxFormatError, decodeIdx } from './idx';
import { LABEL_COUNTS, labelHistogram } from './mnistFacts';

const dataDir = mnistDataDir();
const read = (name: string) => new Uint8Array(readFileSync(join(dataDir, name)));

describe('decodeIdx on the real MNIST files', () => {
  it('reads the training images: 60,000 of 28x28 with known pixels', () => {
    const images = decodeIdx(read('train-images-idx3-ubyte'), IDX_IMAGES_MAGIC, 'train images');
    expect(images.dims).toEqual([60000, 28, 28]);
    expect(images.data.byteLength).toBe(47_040_000);
    // The first training image is the famous 5: its top stroke starts at row 5, column 12.
    expect(images.data[5 * 28 + 12]).toBe(3);
    expect(images.data[6 * 28 + 12]).toBe(170);
    expect(images.data[0]).toBe(0);
  });

  it('reads the labels with MNIST’s published histogram', () => {
    const train = decodeIdx(read('train-labels-idx1-ubyte'), IDX_LABELS_MAGIC, 'train labels');
    const test = decodeIdx(read('t10k-labels-idx1-ubyte'), IDX_LABELS_MAGIC, 'test labels');
    expect(train.dims).toEqual([60000]);
    expect(test.dims).toEqual([10000]);
    expect(labelHistogram(train.data)).toEqual(LABEL_COUNTS.train);
    expect(labelHistogram(test.data)).toEqual(LABEL_COUNTS.test);
    expect(Array.from(train.data.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
    expect(Array.from(test.data.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
  });

  it('readSplit checks a whole split', () => {
    const test = readSplit(dataDir, 'test');
    expect(test.images.byteLength).toBe(7_840_000);
    expect(test.labels.byteLength).toBe(10_000);
  });
});

describe('decodeIdx on bad input', () => {
  const labels = read('t10k-labels-idx1-ubyte');

  it('refuses a truncated file and says so', () => {
    expect(() => decodeIdx(labels.subarray(0, 5000), IDX_LABELS_MAGIC, 'labels')).toThrowError(
      /labels: header promises 10000 values .* holds 4992 \(truncated download\?\)/,
    );
  });

  it('refuses a file shorter than a header', () => {
    expect(() => decodeIdx(labels.subarray(0, 3), IDX_LABELS_MAGIC, 'labels')).toThrowError(IdxFormatError);
  });

  it('refuses a wrong magic number, naming both', () => {
    expect(() => decodeIdx(labels, IDX_IMAGES_MAGIC, 'images')).toThrowError(
      /images: wrong magic number 0x00000801, expected 0x00000803/,
    );
  });

  it('refuses trailing bytes', () => {
    const longer = new Uint8Array(labels.byteLength + 1);
    longer.set(labels);
    expect(() => decodeIdx(longer, IDX_LABELS_MAGIC, 'labels')).toThrowError(/trailing bytes/);
  });

  it('refuses a label that is not a digit', () => {
    expect(() => labelHistogram(new Uint8Array([1, 2, 10]))).toThrowError(/label 10 at index 2/);
  });
});
