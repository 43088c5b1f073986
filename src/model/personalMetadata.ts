/**
 * A personal memory (personalMemory.ts) carried in a model's own files: in model.json's `userDefinedMetadata`,
 * the field TensorFlow.js keeps for what its format has no place for. An exported personal model is then the base
 * network, which any TensorFlow.js tool loads as it is, plus the memory that Digit Lab reads through on import.
 * A file can bring anything, so a memory is read only when it is one the app could have written: every vector
 * finite and of unit length (or zero: a feature row of zeros stays zero), every radius a cosine distance
 * (0 to 2), every digit 0-9, and as many vectors as digits and radii.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Memory } from './personalMemory';

/** A model's user-defined metadata, as tfjs types it. */
export type ModelMetadata = NonNullable<tf.io.ModelArtifacts['userDefinedMetadata']>;

/** The key under `userDefinedMetadata`. */
export const PERSONAL_METADATA_KEY = 'digitLabPersonalMemory';
const FORMAT = 'digit-lab-personal-memory';
const VERSION = 1;
/** A sanity bound on what a file may bring: about 900 samples with their augmented copies. */
const MAX_ENTRIES = 10_000;
/** How far from 1 a vector's length may be: float32 rounding is about 1e-7 per element, far below this. */
export const UNIT_TOLERANCE = 1e-3;
/** The largest cosine distance, so the largest radius that means anything. */
const MAX_RADIUS = 2;

export interface PersonalMetadata {
  format: typeof FORMAT;
  version: typeof VERSION;
  dim: number;
  labels: number[];
  radii: number[];
  /** The unit-length feature vectors, float32 little-endian, base64. */
  entries: string;
  /** The personal head, where there is one (personalHead.ts): V (dim x 10, float32, base64) and c (10). */
  head?: { v: string; c: number[] };
}

/** The largest weight of a head a file may bring: learnt ones stay well under 10 (their pull toward zero). */
const MAX_HEAD_WEIGHT = 100;

const bytesOf = (floats: Float32Array) => new Uint8Array(floats.buffer, floats.byteOffset, floats.byteLength);

export function memoryToMetadata(memory: Memory): PersonalMetadata {
  return {
    format: FORMAT,
    version: VERSION,
    dim: memory.dim,
    labels: Array.from(memory.labels),
    radii: Array.from(memory.radii),
    entries: toBase64(bytesOf(memory.entries)),
    ...(memory.head && { head: { v: toBase64(bytesOf(memory.head.v)), c: Array.from(memory.head.c) } }),
  };
}

/**
 * The memory in a model's user-defined metadata: undefined when there is none; an Error saying what is wrong
 * when there is one that cannot be read (another version, a damaged file), so that nothing half-read ever reads.
 */
export function memoryFromMetadata(metadata: unknown): Memory | undefined {
  const value = (metadata as Record<string, unknown> | undefined)?.[PERSONAL_METADATA_KEY];
  if (value === undefined) return undefined;
  const fail = (why: string) => new Error(`the personal memory in this model's files cannot be read: ${why}`);
  const m = value as Partial<PersonalMetadata>;
  if (typeof m !== 'object' || m === null || m.format !== FORMAT) throw fail('it is not in Digit Lab’s format');
  if (m.version !== VERSION) throw fail(`it is of version ${String(m.version)}, this app reads version ${VERSION}`);
  const { dim, labels, radii, entries } = m;
  if (!Number.isInteger(dim) || dim! < 1 || dim! > 4096) throw fail('its feature size is not a whole number from 1 to 4096');
  if (!Array.isArray(labels) || !Array.isArray(radii) || labels.length !== radii.length || labels.length === 0 || labels.length > MAX_ENTRIES) {
    throw fail('its digits and radii do not match');
  }
  if (!labels.every((l) => Number.isInteger(l) && l >= 0 && l <= 9)) throw fail('a digit is not 0-9');
  if (!radii.every((r) => typeof r === 'number' && Number.isFinite(r) && r >= 0 && r <= MAX_RADIUS)) throw fail(`a radius is not a number from 0 to ${MAX_RADIUS}`);
  if (typeof entries !== 'string') throw fail('its features are missing');
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(entries);
  } catch {
    throw fail('its features are not base64');
  }
  if (bytes.byteLength !== labels.length * dim! * 4) throw fail('its features do not match its digits');
  const vectors = new Float32Array(bytes.slice().buffer);
  if (!vectors.every(Number.isFinite)) throw fail('a feature is not a finite number');
  const row = firstNotUnit(vectors, dim!);
  if (row !== undefined) throw fail(`feature vector ${row + 1} is not of unit length`);
  const memory: Memory = { dim: dim!, entries: vectors, labels: Uint8Array.from(labels), radii: Float32Array.from(radii) };
  if (m.head !== undefined) memory.head = headFrom(m.head, dim!, fail);
  return memory;
}

/** A head as a file brings it, checked as the memory is: its sizes, and every weight a finite number of sane size. */
function headFrom(value: unknown, dim: number, fail: (why: string) => Error): Memory['head'] {
  const head = value as { v?: unknown; c?: unknown } | null;
  if (typeof head !== 'object' || head === null || typeof head.v !== 'string' || !Array.isArray(head.c)) throw fail('its head is not a head');
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(head.v);
  } catch {
    throw fail('its head is not base64');
  }
  if (bytes.byteLength !== dim * 10 * 4 || head.c.length !== 10) throw fail('its head does not match its features');
  const v = new Float32Array(bytes.slice().buffer);
  const c = head.c as unknown[];
  const sane = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && Math.abs(x) <= MAX_HEAD_WEIGHT;
  if (!v.every(sane) || !c.every(sane)) throw fail(`a weight of its head is not a number from -${MAX_HEAD_WEIGHT} to ${MAX_HEAD_WEIGHT}`);
  return { dim, v, c: Float32Array.from(c as number[]) };
}

/** The first row of `vectors` (rows of `dim`) whose length is neither 1 (within UNIT_TOLERANCE) nor 0. */
function firstNotUnit(vectors: Float32Array, dim: number): number | undefined {
  for (let row = 0; row * dim < vectors.length; row++) {
    let squares = 0;
    for (let d = row * dim; d < (row + 1) * dim; d++) squares += vectors[d]! * vectors[d]!;
    const length = Math.sqrt(squares);
    if (length !== 0 && !(Math.abs(length - 1) <= UNIT_TOLERANCE)) return row;
  }
  return undefined;
}

/** The metadata without the memory (undefined if nothing else is left). */
export function withoutMemory(metadata: object | undefined): ModelMetadata | undefined {
  if (!metadata) return undefined;
  const { [PERSONAL_METADATA_KEY]: _memory, ...rest } = metadata as ModelMetadata;
  return Object.keys(rest).length > 0 ? rest : undefined;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}
