/**
 * The user's handwriting in IndexedDB, on this device only: the samples they gave by correcting readings, the
 * personal model learnt from them (its last layer, for one base model), and whether it may read. Written only
 * by the prediction worker, the library's writer, in every tab. Forgetting and recording a personal model each
 * take one transaction over the samples and the model, so neither can slip between the other's read and write.
 * Every record read is checked (records.ts).
 */
import type { PersonalLearning, PersonalSample } from '../model/personal';
import { SAMPLES, SETTINGS, run, transaction } from './database';
import { toPersonalLearning, toSamples } from './records';

const PERSONAL_KEY = 'personal';

/** Every readable sample, oldest first. */
export const listSamples = (): Promise<PersonalSample[]> => run<unknown[]>(SAMPLES, 'readonly', (s) => s.getAll()).then(toSamples);
export const putSample = (sample: PersonalSample) => run(SAMPLES, 'readwrite', (s) => s.put(sample)).then(() => undefined);
export const removeSample = (id: string) => run(SAMPLES, 'readwrite', (s) => s.delete(id)).then(() => undefined);

export const getPersonal = () => run<unknown>(SETTINGS, 'readonly', (s) => s.get(PERSONAL_KEY)).then(toPersonalLearning);

/** Deletes every sample and the personal model, in one transaction. */
export function forgetHandwriting(): Promise<void> {
  return transaction([SAMPLES, SETTINGS], 'readwrite', (tx) => {
    tx.objectStore(SAMPLES).clear();
    tx.objectStore(SETTINGS).delete(PERSONAL_KEY);
    return () => undefined;
  });
}

/**
 * Records what learning produced, if every sample it learnt from is still kept: the check and the write in one
 * transaction, so samples forgotten meanwhile (in this tab or another) never live on in a memory. Whether it was.
 */
export function putPersonalIfSamplesKept(learning: PersonalLearning): Promise<boolean> {
  let recorded = false;
  return transaction([SAMPLES, SETTINGS], 'readwrite', (tx) => {
    const kept = tx.objectStore(SAMPLES).getAllKeys();
    kept.onsuccess = () => {
      const ids = new Set(kept.result.map(String));
      if (learning.sampleIds.length === 0 || !learning.sampleIds.every((id) => ids.has(id))) return;
      tx.objectStore(SETTINGS).put(learning, PERSONAL_KEY);
      recorded = true;
    };
    return () => recorded;
  });
}

/** The user's choice to let the personal model read (on unless they switched it off). */
export const getPersonalEnabled = () => run<unknown>(SETTINGS, 'readonly', (s) => s.get('personalEnabled')).then((v) => v !== false);
export const setPersonalEnabled = (enabled: boolean) => run(SETTINGS, 'readwrite', (s) => s.put(enabled, 'personalEnabled')).then(() => undefined);
