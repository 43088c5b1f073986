import { describe, expect, it } from 'vitest';
import type { Memory } from './personalMemory';
import { PERSONAL_METADATA_KEY, memoryFromMetadata, memoryToMetadata, withoutMemory } from './personalMetadata';
import { seededRandom } from './seededRandom';

function memory(count: number, dim: number): Memory {
  const rand = seededRandom(3);
  return {
    dim,
    entries: Float32Array.from({ length: count * dim }, () => rand() - 0.5),
    labels: Uint8Array.from({ length: count }, (_, i) => i % 10),
    radii: Float32Array.from({ length: count }, () => rand() * 0.2),
  };
}

/** What a model.json's user-defined metadata holds after export: plain JSON, as written to and read from the file. */
const throughJson = (m: Memory) => JSON.parse(JSON.stringify({ [PERSONAL_METADATA_KEY]: memoryToMetadata(m) })) as Record<string, unknown>;

describe('a personal memory in model.json', () => {
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
      ['not base64', { ...good, entries: '%%%' }],
      ['do not match its digits', { ...good, entries: good.entries.slice(0, 8) }],
      ['finite', { ...good, entries: memoryToMetadata({ ...memory(3, 4), entries: new Float32Array(12).fill(Number.NaN) }).entries }],
      ['format', 'a string'],
    ];
    for (const [why, value] of cases) expect(() => memoryFromMetadata({ [PERSONAL_METADATA_KEY]: value }), why).toThrow(why);
  });
});
