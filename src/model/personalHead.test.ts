import { describe, expect, it } from 'vitest';
import { HEAD, WHOLE_HAND_HEAD, headProbabilities, headSettingsFor, trainHead, withHead } from './personalHead';
import { type Features, recallProbabilities } from './personalMemory';
import { seededRandom } from './seededRandom';

const DIM = 8;

/** Unit rows around a direction per digit (digit d near axis d % DIM), with the base reading `reads(d)` surely. */
function cluster(digits: number[], random: () => number, reads: (digit: number) => number, axis: (digit: number) => number = (d) => d % DIM): Features {
  const x = new Float32Array(digits.length * DIM);
  const base = new Float32Array(digits.length * 10);
  digits.forEach((digit, i) => {
    let norm = 0;
    for (let d = 0; d < DIM; d++) {
      const v = (d === axis(digit) ? 1 : 0) + 0.15 * (random() - 0.5);
      x[i * DIM + d] = v;
      norm += v * v;
    }
    for (let d = 0; d < DIM; d++) x[i * DIM + d]! /= Math.sqrt(norm);
    for (let k = 0; k < 10; k++) base[i * 10 + k] = k === reads(digit) ? 0.91 : 0.01;
  });
  return { dim: DIM, x, y: Uint8Array.from(digits), base };
}

const argmax = (p: ArrayLike<number>) => Array.from(p).indexOf(Math.max(...Array.from(p)));

describe('personal head', () => {
  it('is the base exactly before it learns anything', () => {
    const random = seededRandom(1);
    const f = cluster([0, 1, 2, 3], random, (d) => d);
    const head = { dim: DIM, v: new Float32Array(DIM * 10), c: new Float32Array(10) };
    for (let i = 0; i < 4; i++) {
      const p = headProbabilities(head, f.x, i, f.base!.subarray(i * 10, i * 10 + 10));
      p.forEach((value, k) => expect(value).toBeCloseTo(f.base![i * 10 + k]!, 6));
    }
    expect(withHead(undefined, f)).toBe(f);
  });

  it('learns a habit the base misreads from a few samples, reads the writer’s other drawings of it, and leaves other digits be', () => {
    const random = seededRandom(2);
    // The writer's 0s lie near axis 7, where the base reads 8 (a slashed zero read as 8).
    const habit = (d: number) => (d === 0 ? 7 : d % DIM);
    const user = cluster([0, 0, 0], random, (d) => (d === 0 ? 8 : d), habit);
    // Replayed digits elsewhere in feature space, read right by the base.
    const replay = cluster(Array.from({ length: 200 }, (_, i) => 1 + (i % 6)), random, (d) => d);
    const head = trainHead(user, replay, HEAD);

    const otherZeros = cluster([0, 0, 0, 0, 0], random, () => 8, habit);
    const read = withHead(head, otherZeros);
    for (let i = 0; i < 5; i++) expect(argmax(read.base!.subarray(i * 10, i * 10 + 10))).toBe(0);

    const others = cluster(Array.from({ length: 60 }, (_, i) => 1 + (i % 6)), random, (d) => d);
    const readOthers = withHead(head, others);
    for (let i = 0; i < 60; i++) expect(argmax(readOthers.base!.subarray(i * 10, i * 10 + 10))).toBe(others.y[i]);
  });

  it('gives the same head for the same rows, and none for no rows', () => {
    const make = () => {
      const random = seededRandom(3);
      return [cluster([4, 5], random, () => 9), cluster([1, 2, 3], random, (d) => d)] as const;
    };
    const [userA, replayA] = make();
    const [userB, replayB] = make();
    expect(trainHead(userA, replayA).v).toEqual(trainHead(userB, replayB).v);
    const empty: Features = { dim: DIM, x: new Float32Array(0), y: new Uint8Array(0), base: new Float32Array(0) };
    expect(Array.from(trainHead(empty, replayA).v).every((v) => v === 0)).toBe(true);
  });

  it('reads through a memory that carries it: the head first, then the balls', () => {
    const random = seededRandom(4);
    const user = cluster([0, 0, 0], random, () => 8, () => 7);
    const head = trainHead(user, cluster(Array.from({ length: 60 }, (_, i) => 1 + (i % 6)), random, (d) => d));
    const memory = { dim: DIM, entries: new Float32Array(DIM), labels: new Uint8Array([1]), radii: new Float32Array([0]), head };
    const probe = cluster([0], random, () => 8, () => 7);
    expect(recallProbabilities(memory, probe.x, 0, probe.base!)).toEqual(Array.from(headProbabilities(head, probe.x, 0, probe.base!)));
    expect(argmax(recallProbabilities(memory, probe.x, 0, probe.base!))).toBe(0);
  });

  it('weighs samples that show every digit (a guided round) more, and pulls them less toward the base, than a few corrections', () => {
    const round = Array.from({ length: 20 }, (_, i) => i % 10);
    expect(headSettingsFor(round)).toBe(WHOLE_HAND_HEAD);
    expect(headSettingsFor(round.filter((d) => d !== 7))).toBe(HEAD);
    expect(headSettingsFor([0, 0, 9])).toBe(HEAD);
    expect(WHOLE_HAND_HEAD.userWeight).toBeGreaterThan(HEAD.userWeight);
    expect(WHOLE_HAND_HEAD.l2).toBeLessThan(HEAD.l2);
  });
});
