import { describe, expect, it } from 'vitest';
import { type InkImage, centreOfMass, inkBounds, resampleArea, toMnistInput } from './mnistInput';

/** A blank canvas-sized image with thick strokes drawn through the given points (like the pad does). */
function draw(size: number, strokes: Array<Array<[number, number]>>, radius: number): InkImage {
  const data = new Float32Array(size * size);
  for (const stroke of strokes) {
    for (let i = 0; i < stroke.length - 1; i++) {
      const [x0, y0] = stroke[i]!;
      const [x1, y1] = stroke[i + 1]!;
      const steps = Math.ceil(Math.hypot(x1 - x0, y1 - y0)) + 1;
      for (let s = 0; s <= steps; s++) {
        const cx = x0 + ((x1 - x0) * s) / steps;
        const cy = y0 + ((y1 - y0) * s) / steps;
        for (let y = Math.floor(cy - radius); y <= Math.ceil(cy + radius); y++) {
          for (let x = Math.floor(cx - radius); x <= Math.ceil(cx + radius); x++) {
            if (x >= 0 && y >= 0 && x < size && y < size && Math.hypot(x + 0.5 - cx, y + 0.5 - cy) <= radius) data[y * size + x] = 1;
          }
        }
      }
    }
  }
  return { width: size, height: size, data };
}

/** A "7" scaled by s and moved by (dx, dy). */
const seven = (s: number, dx: number, dy: number): Array<Array<[number, number]>> => [
  [
    [dx + 0 * s, dy + 0 * s],
    [dx + 60 * s, dy + 0 * s],
    [dx + 25 * s, dy + 90 * s],
  ],
];

const mse = (a: Float32Array, b: Float32Array) => a.reduce((sum, v, i) => sum + (v - b[i]!) ** 2, 0) / a.length;

describe('toMnistInput', () => {
  it('gives no input for an empty pad', () => {
    expect(toMnistInput({ width: 280, height: 280, data: new Float32Array(280 * 280) })).toBeNull();
  });

  it('gives nearly the same 28x28 input for the same digit at other positions and sizes', () => {
    const reference = toMnistInput(draw(280, seven(2, 40, 40), 10))!;
    const small = toMnistInput(draw(280, seven(1.2, 150, 120), 6))!;
    const moved = toMnistInput(draw(280, seven(2, 120, 80), 10))!;
    expect(mse(reference, moved)).toBeLessThan(0.005);
    expect(mse(reference, small)).toBeLessThan(0.02);
    // A different digit is clearly different.
    const one = toMnistInput(draw(280, [[[140, 40], [140, 230]]], 10))!;
    expect(mse(reference, one)).toBeGreaterThan(0.05);
  });

  it('fits the digit in 20x20 and puts its centre of mass at the centre', () => {
    const input = toMnistInput(draw(280, seven(2.5, 10, 20), 12))!;
    const box = inkBounds({ width: 28, height: 28, data: input }, 0)!;
    expect(Math.max(box.width, box.height)).toBe(20);
    const com = centreOfMass(input, 28, 28);
    expect(Math.abs(com.x - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(com.y - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.max(...input)).toBeLessThanOrEqual(1);
    expect(Math.min(...input)).toBeGreaterThanOrEqual(0);
  });

  it('keeps the aspect ratio: a tall thin "1" stays tall and thin', () => {
    const input = toMnistInput(draw(280, [[[140, 30], [140, 250]]], 8))!;
    const box = inkBounds({ width: 28, height: 28, data: input }, 0)!;
    expect(box.height).toBe(20);
    expect(box.width).toBeLessThanOrEqual(3);
  });

  it('handles a tiny dot and a one-pixel line without error', () => {
    const dot = new Float32Array(100 * 100);
    dot[50 * 100 + 50] = 1;
    const fromDot = toMnistInput({ width: 100, height: 100, data: dot })!;
    expect(fromDot).toHaveLength(784);
    expect(fromDot.every(Number.isFinite)).toBe(true);
    const line = new Float32Array(100 * 100);
    for (let x = 10; x < 90; x++) line[30 * 100 + x] = 0.5;
    const fromLine = toMnistInput({ width: 100, height: 100, data: line })!;
    const box = inkBounds({ width: 28, height: 28, data: fromLine }, 0)!;
    expect([box.width, box.height]).toEqual([20, 1]);
    expect(centreOfMass(fromLine, 28, 28).y).toBeCloseTo(14.5, 5);
  });

  it('ignores faint noise below the ink threshold', () => {
    const image = draw(280, seven(2, 40, 40), 10);
    image.data[5] = 0.01;
    expect(toMnistInput(image)).toEqual(toMnistInput(draw(280, seven(2, 40, 40), 10)));
  });
});

describe('resampleArea', () => {
  it('keeps the mean intensity when shrinking', () => {
    const data = Float32Array.from({ length: 40 * 40 }, (_, i) => (i % 7) / 7);
    const out = resampleArea({ width: 40, height: 40, data }, { x: 0, y: 0, width: 40, height: 40 }, 13, 13);
    const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean(out)).toBeCloseTo(mean(data), 4);
  });
});
