/**
 * The user's handwriting in IndexedDB, on this device only: the samples they gave by correcting readings, the
 * personal model learnt from them (its last layer, for one base model), and whether it may read. Written only
 * by the prediction worker, the library's writer. Every record read is checked (records.ts).
 */
import type { PersonalLearning, PersonalSample } from '../model/personal';
import { SAMPLES, SETTINGS, run } from './database';
import { toPersonalLearning, toSamples } from './records';

/** Every readable sample, oldest first. */
export const listSamples = (): Promise<PersonalSample[]> => run<unknown[]>(SAMPLES, 'readonly', (s) => s.getAll()).then(toSamples);
export const putSample = (sample: PersonalSample) => run(SAMPLES, 'readwrite', (s) => s.put(sample)).then(() => undefined);
export const removeSample = (id: string) => run(SAMPLES, 'readwrite', (s) => s.delete(id)).then(() => undefined);
export const clearSamples = () => run(SAMPLES, 'readwrite', (s) => s.clear()).then(() => undefined);

export const getPersonal = () => run<unknown>(SETTINGS, 'readonly', (s) => s.get('personal')).then(toPersonalLearning);
export const putPersonal = (learning: PersonalLearning) => run(SETTINGS, 'readwrite', (s) => s.put(learning, 'personal')).then(() => undefined);
export const clearPersonal = () => run(SETTINGS, 'readwrite', (s) => s.delete('personal')).then(() => undefined);

/** The user's choice to let the personal model read (on unless they switched it off). */
export const getPersonalEnabled = () => run<unknown>(SETTINGS, 'readonly', (s) => s.get('personalEnabled')).then((v) => v !== false);
export const setPersonalEnabled = (enabled: boolean) => run(SETTINGS, 'readwrite', (s) => s.put(enabled, 'personalEnabled')).then(() => undefined);
