import '../testing/browserStorage';
import { beforeEach, describe, expect, it } from 'vitest';
import { learningOf as learning, resetBrowserStorage } from '../testing/browserStorage';
import { forgetHandwriting, getPersonal, listSamples, putPersonalIfSamplesKept, putSample } from './personalStore';

const sample = (id: string, label: number) => ({ id, label, pixels: new Uint8Array(784), createdAt: `2026-12-07T10:00:0${label}.000Z` });
beforeEach(async () => {
  await resetBrowserStorage();
  await putSample(sample('a', 3));
  await putSample(sample('b', 7));
});

describe('Forget my handwriting and a memory being saved', () => {
  it('a memory is recorded only while every sample it learnt from is kept: checked and written in one transaction', async () => {
    expect(await putPersonalIfSamplesKept(learning(['a', 'b', 'gone']))).toBe(false);
    expect(await putPersonalIfSamplesKept(learning([]))).toBe(false);
    expect(await getPersonal()).toBeUndefined();
    expect(await putPersonalIfSamplesKept(learning(['a', 'b']))).toBe(true);
    expect((await getPersonal())?.sampleIds).toEqual(['a', 'b']);
  });

  it('in whichever order the two transactions run, no memory of forgotten samples is left', async () => {
    for (const first of ['record', 'forget'] as const) {
      await resetBrowserStorage();
      await putSample(sample('a', 3));
      await putSample(sample('b', 7));
      const record = () => putPersonalIfSamplesKept(learning(['a', 'b']));
      // Both begun before either ends, as a save from one tab and Forget in another.
      const [recorded] = first === 'record' ? await Promise.all([record(), forgetHandwriting()]) : (await Promise.all([forgetHandwriting(), record()])).reverse();
      expect(recorded, `${first} first`).toBe(first === 'record');
      expect(await listSamples()).toEqual([]);
      expect(await getPersonal(), `${first} first`).toBeUndefined();
    }
  });

});
