import { describe, expect, it } from 'vitest';
import { seededRandom } from './seededRandom';
import { type Features, accuracyWith, buildMemory, crossValidate, judgePersonal, recall, recallProbabilities, rows } from './personalMemory';

const DIM = 12;
const random = seededRandom;

/** The rows of `f` scaled to unit length (a zero row stays zero). */
export function normalised(f: Features): Features {
  const x = f.x.slice();
  for (let i = 0; i < rows(f); i++) {
    let sum = 0;
    for (let d = 0; d < f.dim; d++) sum += x[i * f.dim + d]! ** 2;
    const scale = sum > 0 ? 1 / Math.sqrt(sum) : 0;
    for (let d = 0; d < f.dim; d++) x[i * f.dim + d]! *= scale;
  }
  return { ...f, x };
}

/** Digit c's features lie around axis c (or wherever `at` puts them), non-negative like ReLU outputs, unit length. */
function digits(labels: number[], rand: () => number, at: (label: number) => number = (l) => l, group?: number[]): Features {
  const x = new Float32Array(labels.length * DIM);
  labels.forEach((label, i) => {
    for (let d = 0; d < DIM; d++) x[i * DIM + d] = Math.max(0, (d === at(label) ? 3 : 0) + rand() * 0.5);
  });
  const f = normalised({ dim: DIM, x, y: Uint8Array.from(labels), ...(group ? { group: Uint32Array.from(group) } : {}) });
  // The base model's probabilities: sure (0.9) of what it reads.
  const reads = baseReads(f);
  f.base = Float32Array.from({ length: labels.length * 10 }, (_, k) => (reads[Math.floor(k / 10)] === k % 10 ? 0.91 : 0.01));
  return f;
}
const someDigits = (n: number, rand: () => number) => Array.from({ length: n }, () => Math.floor(rand() * 10));
/** What a base model reads: the axis a row is nearest (axis 10 looks like a 1 to it, axis 11 like a 4). */
function baseReads(f: Features): Uint8Array {
  return Uint8Array.from({ length: f.y.length }, (_, i) => {
    let best = 0;
    for (let d = 1; d < DIM; d++) if (f.x[i * DIM + d]! > f.x[i * DIM + best]!) best = d;
    return best === 10 ? 1 : best === 11 ? 4 : best;
  });
}

describe('the personal memory', () => {
  it("reads a writer's 7 that the base reads as 1, and leaves everyone else's digits as the base reads them", () => {
    const rand = random(2);
    const replay = digits(someDigits(500, rand), rand);
    const habit = (n: number) => digits(Array(n).fill(7), rand, () => 10);
    const memory = buildMemory(habit(8), replay);
    const theirs = habit(50);
    expect(accuracyWith(undefined, theirs)).toBe(0);
    expect(accuracyWith(memory, theirs)).toBe(1);
    const everyone = digits(someDigits(1000, rand), rand);
    expect(accuracyWith(memory, everyone)).toBe(accuracyWith(undefined, everyone));
  });

  it('claims no more than part of the way to the nearest digit of another kind', () => {
    const rand = random(4);
    const replay = digits([1], rand, () => 10); // a real 1 that looks exactly like the habit
    const memory = buildMemory(digits([7], rand, () => 10), replay);
    expect(recall(memory, replay.x, 0)).toBeUndefined();
    expect(memory.radii[0]).toBeLessThan(0.05);
  });

  it('mixes its claim into the probabilities: nearly all of the reading at its centre', () => {
    const rand = random(5);
    const sample = digits([7], rand, () => 10);
    const memory = buildMemory(sample, digits(someDigits(200, rand), rand));
    const base = Array.from({ length: 10 }, (_, d) => (d === 1 ? 0.91 : 0.01));
    const p = recallProbabilities(memory, sample.x, 0, base);
    expect(p[7]).toBeGreaterThan(0.9);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it('leaves each sample out in turn, with its augmented copies', () => {
    const rand = random(3);
    const replay = digits(someDigits(300, rand), rand);
    // Two habits seen once each (a 7 the base reads as 1, a 3 it reads as 4): nothing else shows either.
    const originals = digits([7, 3], rand, (l) => (l === 7 ? 10 : 11));
    const copies = digits([7, 7, 7, 3, 3, 3], rand, (l) => (l === 7 ? 10 : 11), [0, 0, 0, 1, 1, 1]);
    expect(crossValidate(originals, copies, replay)).toEqual({ personal: 0, base: 0 });
    // The same habit twice: each is read right from the other.
    const twice = digits([7, 7], rand, () => 10);
    const twiceCopies = digits([7, 7, 7, 7], rand, () => 10, [0, 0, 1, 1]);
    expect(crossValidate(twice, twiceCopies, replay)).toEqual({ personal: 1, base: 0 });
  });

  it('reads for the user only when no worse on their digits, also each left out, and within 0.3 points on MNIST', () => {
    const checks = { samples: 10, ownPersonal: 0.8, ownBase: 0.2, ownSeen: 1, mnistPersonal: 0.99, mnistBase: 0.992 };
    expect(judgePersonal(checks).accepted).toBe(true);
    // Two one-off slips corrected: neither is read from the other (a tie held out), both are read right now.
    expect(judgePersonal({ ...checks, samples: 2, ownPersonal: 0, ownBase: 0 }).accepted).toBe(true);
    // A habit learnt wrong (a mis-tap): a sample the base read right is read wrong once left out.
    expect(judgePersonal({ ...checks, ownPersonal: 0.1 })).toMatchObject({ accepted: false, reason: expect.stringMatching(/worse/) });
    // Only confirmations (a guided round the base read right): as well read, each left out too; it may read.
    expect(judgePersonal({ ...checks, ownPersonal: 1, ownBase: 1, ownSeen: 1 })).toMatchObject({ accepted: true, reason: expect.stringMatching(/read as well as with the base model.*guide digits drawn like them/) });
    // A whole memory that reads a sample worse than the base does not.
    expect(judgePersonal({ ...checks, ownPersonal: 0.9, ownBase: 0.9, ownSeen: 0.8 })).toMatchObject({ accepted: false, reason: expect.stringMatching(/worse/) });
    expect(judgePersonal({ ...checks, mnistPersonal: 0.988 })).toMatchObject({ accepted: false, reason: expect.stringMatching(/MNIST/) });
    // A record from before the whole memory's own reading was kept is judged on the left-out reading alone.
    const { ownSeen: _dropped, ...older } = checks;
    expect(judgePersonal({ ...older, ownPersonal: 0.1 }).accepted).toBe(false);
    expect(judgePersonal({ ...older, ownPersonal: 0.2 }).accepted).toBe(true);
  });
});
