import '../testing/browserStorage';
import { beforeEach, describe, expect, it } from 'vitest';
import { getPersonal, putSample } from '../storage/personalStore';
import { learningOf as learning, resetBrowserStorage } from '../testing/browserStorage';
import type { ActiveModel } from './activeModel';
import { Handwriting } from './handwriting';

/** The model in use, as far as the handwriting needs it: none that reads through a memory. */
const noModel = {
  stored: undefined,
  personalReads: false,
  carriedMemory: {},
  setMemory: () => undefined,
  forgetCarried: () => undefined,
} as unknown as ActiveModel;

async function twoSamples(): Promise<void> {
  await resetBrowserStorage();
  for (const [id, label] of [['a', 3], ['b', 7]] as const) await putSample({ id, label, pixels: new Uint8Array(784), createdAt: '2026-12-07T10:00:00.000Z' });
}

beforeEach(twoSamples);

describe('the user’s handwriting in the library', () => {
  it('Forget and recording a memory, started together, leave neither the samples nor a memory of them', async () => {
    for (const forgetFirst of [false, true]) {
      await twoSamples();
      const handwriting = new Handwriting(noModel);
      const record = () => handwriting.record(learning(['a', 'b']));
      await (forgetFirst ? Promise.all([handwriting.forget(), record()]) : Promise.all([record(), handwriting.forget()]));
      const status = await handwriting.status();
      expect(status.samples).toEqual([]);
      expect(status.personal).toBeUndefined();
      expect(await getPersonal()).toBeUndefined();
    }
  });

  it('a memory learnt from samples that are all kept is recorded', async () => {
    const status = await new Handwriting(noModel).record(learning(['a', 'b']));
    expect(status.personal?.sampleIds).toEqual(['a', 'b']);
  });
});
