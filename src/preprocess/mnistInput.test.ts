import { describe, expect, it } from 'vitest';
import { mnistDataDir, readSplit } from '../../scripts/prepare-data';
import { readPenDigits } from '../../scripts/pendigits';
import { DIGIT_BOX, MNIST_SIZE, type Stroke, centreOfMass, drawStrokes, inkBounds, strokesToMnistInput } from './mnistInput';
import { strokeWidth } from './strokeWidth';

const mse = (a: Float32Array, b: Float32Array) => a.reduce((sum, v, i) => sum + (v - b[i]!) ** 2, 0) / a.length;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const image = (data: Float32Array) => ({ width: MNIST_SIZE, height: MNIST_SIZE, data });

/** Strokes scaled by s and moved by (dx, dy), as a user draws the same digit smaller or elsewhere. */
const transform = (strokes: Stroke[], s: number, dx: number, dy: number): Stroke[] => strokes.map((st) => st.map(([x, y]) => [x * s + dx, y * s + dy] as const));

// A real writer's 4 and 8 (training writers' pen digits, in tablet units of about 500 x 500).
const pen = readPenDigits();
const realFour = pen.find((d) => d.label === 4 && d.strokes.length === 2)!.strokes;
const realEight = pen.find((d) => d.label === 8)!.strokes;

describe('strokesToMnistInput', () => {
  it('an empty pad gives no input (no prediction, never a random digit)', () => {
    expect(strokesToMnistInput([])).toBeNull();
    expect(strokesToMnistInput([[], []])).toBeNull();
  });

  for (const [name, strokes] of [
    ['a two-stroke 4', realFour],
    ['an 8', realEight],
  ] as const) {
    it(`${name} drawn at 3 sizes and 3 positions gives nearly the same input`, () => {
      const reference = strokesToMnistInput(transform(strokes, 1, 0, 0))!;
      for (const size of [0.15, 0.5, 2]) {
        const positions: Array<[number, number]> = [
          [0, 0],
          [900, 40],
          [-300, 1200],
        ];
        for (const [dx, dy] of positions) {
          const input = strokesToMnistInput(transform(strokes, size, dx, dy))!;
          expect(mse(input, reference), `size ${size} at ${dx},${dy}`).toBeLessThan(0.002);
        }
      }
      // For scale: a different digit is far away.
      expect(mse(strokesToMnistInput(realFour)!, strokesToMnistInput(realEight)!)).toBeGreaterThan(0.05);
    });
  }

  it('fits the ink into MNIST’s 20-px box, aspect kept, centre of mass at the centre', () => {
    const input = strokesToMnistInput(realEight)!;
    const box = inkBounds(image(input), 0.05)!;
    expect(Math.max(box.width, box.height)).toBeGreaterThanOrEqual(DIGIT_BOX - 1);
    expect(Math.max(box.width, box.height)).toBeLessThanOrEqual(DIGIT_BOX + 1);
    const com = centreOfMass(input, MNIST_SIZE, MNIST_SIZE);
    expect(Math.abs(com.x - 14)).toBeLessThan(0.15);
    expect(Math.abs(com.y - 14)).toBeLessThan(0.15);
    expect(Math.max(...input)).toBeLessThanOrEqual(1);
    expect(Math.min(...input)).toBeGreaterThanOrEqual(0);
  });

  it('strokes are as wide as MNIST’s (within 20%), measured the same way on both', () => {
    const test = readSplit(mnistDataDir(), 'test');
    const mnist = median(Array.from({ length: 2000 }, (_, i) => strokeWidth(test.images.subarray(i * 784, (i + 1) * 784), 28, 255)));
    const drawn = median(pen.slice(0, 500).map((d) => strokeWidth(strokesToMnistInput(d.strokes)!)));
    expect(mnist).toBeGreaterThan(1.5);
    expect(mnist).toBeLessThan(2.5);
    expect(Math.abs(drawn - mnist) / mnist).toBeLessThan(0.2);
    // And it does not depend on how large the digit was drawn.
    const small = median(pen.slice(0, 200).map((d) => strokeWidth(strokesToMnistInput(transform(d.strokes, 0.1, 0, 0))!)));
    const large = median(pen.slice(0, 200).map((d) => strokeWidth(strokesToMnistInput(transform(d.strokes, 3, 0, 0))!)));
    expect(Math.abs(small - large)).toBeLessThan(0.05);
  });

  it('a dot is a small round dot at the centre', () => {
    const input = strokesToMnistInput([[[100, 100]]])!;
    const box = inkBounds(image(input), 0.05)!;
    expect(box.width).toBeLessThanOrEqual(4);
    expect(box.height).toBeLessThanOrEqual(4);
    const com = centreOfMass(input, MNIST_SIZE, MNIST_SIZE);
    expect(com.x).toBeCloseTo(14, 1);
    expect(com.y).toBeCloseTo(14, 1);
  });

  it('a single vertical line is a centred 1, 20 px tall and thin', () => {
    const input = strokesToMnistInput([[[50, 10], [50, 300]]])!;
    const box = inkBounds(image(input), 0.05)!;
    expect(box.height).toBeGreaterThanOrEqual(DIGIT_BOX - 1);
    expect(box.width).toBeLessThanOrEqual(4);
    expect(Math.abs(box.x + box.width / 2 - 14)).toBeLessThanOrEqual(1);
  });
});

describe('drawStrokes', () => {
  it('draws a horizontal segment with a full core and a soft one-pixel edge', () => {
    const out = drawStrokes([[[4, 14], [24, 14]]], 2.45);
    expect(out[14 * 28 + 14]).toBe(1);
    expect(out[13 * 28 + 14]).toBe(1);
    expect(out[12 * 28 + 14]).toBeGreaterThan(0);
    expect(out[12 * 28 + 14]).toBeLessThan(1);
    expect(out[10 * 28 + 14]).toBe(0);
  });

  it('overlapping strokes do not add up', () => {
    const out = drawStrokes([[[4, 14], [24, 14]], [[4, 14], [24, 14]]], 2.45);
    expect(Math.max(...out)).toBe(1);
  });
});
