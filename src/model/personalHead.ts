/**
 * A personal head: a small learnt change of the base model's last reading, for habits the memory's balls do not
 * reach. The base's log-probabilities plus a linear term of the unit penultimate features,
 *   personal logits = log p_base(x) + u(x) V + c,
 * trained on the user's samples and their augmented copies, with replayed MNIST digits read as the base reads
 * them (their loss keeps other people's digits where they were) and a pull of V and c toward zero, where the
 * head is the base exactly. A habit the base misreads (a slashed 0 read as 8) moves a whole region of feature
 * space, not only small balls around the samples. Convex (a softmax regression on fixed inputs), so the same
 * samples give the same head. Pure: plain Float32Arrays, no TensorFlow.js.
 */
import type { Features } from './personalMemory';

export interface Head {
  dim: number;
  /** dim x 10, row-major. */
  v: Float32Array;
  c: Float32Array;
}

export interface HeadSettings {
  /** Adam steps over all rows at once. */
  steps: number;
  rate: number;
  /** Pull toward the base: l2 / 2 * (|V|^2 + |c|^2). */
  l2: number;
  /** The user's rows weigh this much, all together, against the replayed rows' 1. */
  userWeight: number;
  /** At most this many replayed rows (every k-th). */
  replayRows: number;
}

/**
 * Chosen on convention writers 1-10 against the MNIST-only base (README "Learning your handwriting"): a pull of
 * 0.01 cost MNIST a point and every head was refused; 0.1 and 0.3 kept MNIST within 0.3 points.
 */
export const HEAD: HeadSettings = { steps: 60, rate: 0.05, l2: 0.1, userWeight: 1, replayRows: 600 };

/**
 * Where the samples show every digit (a guided round does): they show the whole hand, not a few misreadings, so
 * they weigh three times as much and the pull toward the base is five times weaker. Chosen on writers 1-10
 * against the MNIST-only base (README "Learning your handwriting"): the guided round's convention writers 94.83%
 * -> 95.83% (their slashed zeros on the TrustAI file 88 -> 92 of 100), its ordinary writers 96.83% -> 97.00%; for
 * corrections the same settings read worse (95.83% -> 95.33%, 97.50% -> 97.17%), so those keep HEAD.
 */
export const WHOLE_HAND_HEAD: HeadSettings = { ...HEAD, l2: 0.02, userWeight: 3 };

/** Whether every digit is among these labels, as in a guided round's samples: the whole hand. */
export function coversEveryDigit(labels: ArrayLike<number>): boolean {
  return new Set(Array.from(labels)).size === 10;
}

/** The head's settings for these labels: WHOLE_HAND_HEAD's where every digit is among them, else HEAD's. */
export function headSettingsFor(labels: ArrayLike<number>, some: HeadSettings = HEAD, whole: HeadSettings = WHOLE_HAND_HEAD): HeadSettings {
  return coversEveryDigit(labels) ? whole : some;
}

const LOG_FLOOR = Math.log(1e-30);

/** The base's log-probabilities of row i (floored where a probability is 0). */
function baseLogits(base: Float32Array, i: number, out: Float32Array): void {
  for (let k = 0; k < 10; k++) {
    const p = base[i * 10 + k]!;
    out[k] = p > 0 ? Math.max(LOG_FLOOR, Math.log(p)) : LOG_FLOOR;
  }
}

/** softmax(z) into out. */
function softmax(z: Float32Array, out: Float32Array): void {
  let max = -Infinity;
  for (let k = 0; k < 10; k++) max = Math.max(max, z[k]!);
  let sum = 0;
  for (let k = 0; k < 10; k++) {
    out[k] = Math.exp(z[k]! - max);
    sum += out[k]!;
  }
  for (let k = 0; k < 10; k++) out[k]! /= sum;
}

/** The head's logits for unit row i of x with base log-probabilities `logits` (added into them). */
function addHead(head: Head, x: Float32Array, i: number, logits: Float32Array): void {
  const { dim, v, c } = head;
  for (let k = 0; k < 10; k++) logits[k]! += c[k]!;
  for (let d = 0; d < dim; d++) {
    const u = x[i * dim + d]!;
    if (u === 0) continue;
    for (let k = 0; k < 10; k++) logits[k]! += u * v[d * 10 + k]!;
  }
}

/** The personal probabilities of unit row i of x, whose ten base probabilities are `base`. */
export function headProbabilities(head: Head, x: Float32Array, i: number, base: Float32Array): Float32Array {
  const z = new Float32Array(10);
  baseLogits(base, 0, z);
  addHead(head, x, i, z);
  const p = new Float32Array(10);
  softmax(z, p);
  return p;
}

/** `f` as the head reads it: the same rows with the head's probabilities as their base. */
export function withHead(head: Head | undefined, f: Features): Features {
  if (!head) return f;
  const n = f.y.length;
  const base = new Float32Array(n * 10);
  for (let i = 0; i < n; i++) base.set(headProbabilities(head, f.x, i, f.base!.subarray(i * 10, (i + 1) * 10)), i * 10);
  return { ...f, base };
}

/** Every k-th row, at most `limit` of them. */
function thinned(f: Features, limit: number): number[] {
  const n = f.y.length;
  const step = Math.max(1, Math.ceil(n / limit));
  const picked: number[] = [];
  for (let i = 0; i < n; i += step) picked.push(i);
  return picked;
}

/**
 * Learns a head from the user's rows (unit features, labels, the base's probabilities) and replayed rows (the
 * same, of MNIST digits, whose target is the base's own reading: soft labels, so the head leaves them be).
 */
export function trainHead(user: Features, replay: Features, settings: HeadSettings = HEAD): Head {
  const dim = user.dim;
  const head: Head = { dim, v: new Float32Array(dim * 10), c: new Float32Array(10) };
  const userRows = Array.from({ length: user.y.length }, (_, i) => i);
  const replayRows = thinned(replay, settings.replayRows);
  if (userRows.length === 0) return head;
  const userScale = settings.userWeight / userRows.length;
  const replayScale = replayRows.length ? 1 / replayRows.length : 0;

  // Adam on V and c together.
  const size = dim * 10 + 10;
  const m = new Float32Array(size);
  const s = new Float32Array(size);
  const grad = new Float32Array(size);
  const z = new Float32Array(10);
  const q = new Float32Array(10);
  const b1 = 0.9;
  const b2 = 0.999;
  const accumulate = (f: Features, i: number, scale: number, target: (k: number) => number) => {
    baseLogits(f.base!, i, z);
    addHead(head, f.x, i, z);
    softmax(z, q);
    for (let k = 0; k < 10; k++) {
      const g = (q[k]! - target(k)) * scale;
      if (g === 0) continue;
      grad[dim * 10 + k]! += g;
      for (let d = 0; d < dim; d++) {
        const u = f.x[i * dim + d]!;
        if (u !== 0) grad[d * 10 + k]! += u * g;
      }
    }
  };
  for (let step = 1; step <= settings.steps; step++) {
    for (let j = 0; j < dim * 10; j++) grad[j] = settings.l2 * head.v[j]!;
    for (let k = 0; k < 10; k++) grad[dim * 10 + k] = settings.l2 * head.c[k]!;
    for (const i of userRows) accumulate(user, i, userScale, (k) => (k === user.y[i] ? 1 : 0));
    for (const i of replayRows) {
      const base = replay.base!;
      accumulate(replay, i, replayScale, (k) => base[i * 10 + k]!);
    }
    const c1 = 1 - b1 ** step;
    const c2 = 1 - b2 ** step;
    for (let j = 0; j < size; j++) {
      m[j] = b1 * m[j]! + (1 - b1) * grad[j]!;
      s[j] = b2 * s[j]! + (1 - b2) * grad[j]! * grad[j]!;
      const delta = (settings.rate * (m[j]! / c1)) / (Math.sqrt(s[j]! / c2) + 1e-8);
      if (j < dim * 10) head.v[j]! -= delta;
      else head.c[j - dim * 10]! -= delta;
    }
  }
  return head;
}
