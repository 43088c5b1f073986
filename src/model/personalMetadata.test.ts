import { describe, expect, it } from 'vitest';
import type { Memory } from './personalMemory';
import { PERSONAL_METADATA_KEY, memoryFromMetadata, memoryToMetadata, withoutMemory } from './personalMetadata';
import { seededRandom } from './seededRandom';

/** A memory as the app learns one: unit-length rows, radii that are cosine distances. */
function memory(count: number, dim: number): Memory {
  const rand = seededRandom(3);
  const entries = Float32Array.from({ length: count * dim }, () => rand() - 0.5);
  for (let row = 0; row < count; row++) {
    const v = entries.subarray(row * dim, (row + 1) * dim);
    const length = Math.hypot(...v);
    v.forEach((x, d) => (v[d] = x / length));
  }
  return {
    dim,
    entries,
    labels: Uint8Array.from({ length: count }, (_, i) => i % 10),
    radii: Float32Array.from({ length: count }, () => rand() * 0.2),
  };
}

/** The memory's metadata with its entries replaced by `entries`. */
const withEntries = (m: Memory, entries: number[]) => memoryToMetadata({ ...m, entries: Float32Array.from(entries) });

/** What a model.json's user-defined metadata holds after export: plain JSON, as written to and read from the file. */
const throughJson = (m: Memory) => JSON.parse(JSON.stringify({ [PERSONAL_METADATA_KEY]: memoryToMetadata(m) })) as Record<string, unknown>;

/** The memory with a head of small seeded weights (personalHead.ts). */
function withHead(m: Memory): Memory {
  const rand = seededRandom(5);
  return { ...m, head: { dim: m.dim, v: Float32Array.from({ length: m.dim * 10 }, () => rand() - 0.5), c: Float32Array.from({ length: 10 }, () => rand() - 0.5) } };
}

describe('a personal memory in model.json', () => {
  it('keeps its head exactly, and reads a memory without one as before', () => {
    const m = withHead(memory(220, 128));
    const read = memoryFromMetadata(throughJson(m))!;
    expect(Array.from(read.head!.v)).toEqual(Array.from(m.head!.v));
    expect(Array.from(read.head!.c)).toEqual(Array.from(m.head!.c));
    expect(memoryFromMetadata(throughJson(memory(3, 4)))!.head).toBeUndefined();
  });

  it('refuses a head that does not fit its features or holds weights no learning makes', () => {
    const m = withHead(memory(3, 4));
    const metadata = (head: unknown) => ({ [PERSONAL_METADATA_KEY]: { ...memoryToMetadata(m), head } });
    const good = memoryToMetadata(m).head!;
    expect(() => memoryFromMetadata(metadata({ ...good, c: good.c.slice(1) }))).toThrowError(/its head does not match its features/);
    expect(() => memoryFromMetadata(metadata({ ...good, c: good.c.map(() => 1e30) }))).toThrowError(/a weight of its head is not a number from -100 to 100/);
    expect(() => memoryFromMetadata(metadata({ ...good, v: '!!' }))).toThrowError(/its head is not base64/);
    expect(() => memoryFromMetadata(metadata('head'))).toThrowError(/its head is not a head/);
    const nan = memoryToMetadata({ ...m, head: { ...m.head!, v: new Float32Array(40).fill(Number.NaN) } }).head;
    expect(() => memoryFromMetadata(metadata(nan))).toThrowError(/a weight of its head/);
  });

  it('comes back exactly from JSON, for a memory the size of 20 samples with their copies (220 x 128)', () => {
    const m = memory(220, 128);
    const read = memoryFromMetadata(throughJson(m))!;
    expect(read.dim).toBe(128);
    expect(Array.from(read.entries)).toEqual(Array.from(m.entries));
    expect(Array.from(read.labels)).toEqual(Array.from(m.labels));
    expect(Array.from(read.radii)).toEqual(Array.from(m.radii));
    // 220 samples' worth stays well under tfjs's 1 MB advice for metadata.
    expect(JSON.stringify(throughJson(m)).length).toBeLessThan(200_000);
  });

  it('is absent from a model that has none, and other metadata is kept when it is taken out', () => {
    expect(memoryFromMetadata(undefined)).toBeUndefined();
    expect(memoryFromMetadata({ author: 'someone' })).toBeUndefined();
    expect(withoutMemory({ author: 'someone', ...throughJson(memory(2, 4)) })).toEqual({ author: 'someone' });
    expect(withoutMemory(throughJson(memory(2, 4)))).toBeUndefined();
  });

  it('refuses, with a reason, whatever a damaged or foreign file brings', () => {
    const good = memoryToMetadata(memory(3, 4));
    const cases: Array<[string, unknown]> = [
      ['not in Digit Lab’s format', { ...good, format: 'something-else' }],
      ['version 2', { ...good, version: 2 }],
      ['feature size', { ...good, dim: 0 }],
      ['do not match', { ...good, radii: [0.1] }],
      ['0-9', { ...good, labels: [1, 2, 12] }],
      ['radius', { ...good, radii: [0.1, -1, 0.2] }],
      ['radius is not a number from 0 to 2', { ...good, radii: [0.1, 2.5, 0.2] }],
      ['radius', { ...good, radii: [0.1, 1e30, 0.2] }],
      ['not base64', { ...good, entries: '%%%' }],
      ['do not match its digits', { ...good, entries: good.entries.slice(0, 8) }],
      ['finite', { ...good, entries: memoryToMetadata({ ...memory(3, 4), entries: new Float32Array(12).fill(Number.NaN) }).entries }],
      ['format', 'a string'],
    ];
    for (const [why, value] of cases) expect(() => memoryFromMetadata({ [PERSONAL_METADATA_KEY]: value }), why).toThrow(why);
  });

  it('refuses vectors that are not of unit length: entries of 1e30 would read as probabilities of -1e59', () => {
    const m = memory(3, 4);
    const entries = Array.from(m.entries);
    const huge = entries.map((v, i) => (i < 4 ? v * 1e30 : v));
    expect(() => memoryFromMetadata({ [PERSONAL_METADATA_KEY]: withEntries(m, huge) })).toThrow('feature vector 1 is not of unit length');
    const long = entries.map((v, i) => (i >= 8 ? v * 1.01 : v));
    expect(() => memoryFromMetadata({ [PERSONAL_METADATA_KEY]: withEntries(m, long) })).toThrow('feature vector 3 is not of unit length');
    const short = entries.map((v, i) => (i >= 4 && i < 8 ? v * 0.5 : v));
    expect(() => memoryFromMetadata({ [PERSONAL_METADATA_KEY]: withEntries(m, short) })).toThrow('feature vector 2 is not of unit length');
  });

  it('reads what the app itself writes: rows within float rounding of unit length, a row of zeros, radii of 0 and 2', () => {
    const m = memory(3, 4);
    const entries = Array.from(m.entries).map((v, i) => (i < 4 ? v * (1 + 5e-4) : i < 8 ? 0 : v));
    const read = memoryFromMetadata({ [PERSONAL_METADATA_KEY]: { ...withEntries(m, entries), radii: [0, 2, 0.3] } })!;
    expect(read.labels.length).toBe(3);
    expect(Array.from(read.radii)).toEqual([0, 2, Math.fround(0.3)]);
  });
});
