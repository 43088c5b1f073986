/**
 * The user's handwriting in the prediction worker, its one writer: samples kept and deleted, the personal model
 * learnt from them recorded, and which memory the active model reads through: the stored one when it was learnt
 * on this very model, passed its checks, and the user has not switched it off.
 */
import type { PersonalLearning, PersonalSample } from '../model/personal';
import { newModelId } from '../storage/modelStore';
import {
  forgetHandwriting,
  getPersonal,
  getPersonalEnabled,
  listSamples,
  putPersonalIfSamplesKept,
  putSample,
  removeSample,
  setPersonalEnabled,
} from '../storage/personalStore';
import type { ActiveModel } from './activeModel';
import { saveWeights } from './modelLibrary';

/** Everything the page shows about the user's handwriting. */
export interface HandwritingStatus {
  samples: PersonalSample[];
  /** The last personal model learnt (for any base model), without its memory. */
  personal?: Omit<PersonalLearning, 'memory'>;
  /** The user's switch. */
  enabled: boolean;
  /** Whether the personal model reads now. */
  reading: boolean;
  /** Why it cannot read for the model in use, when it cannot (e.g. a model without features to learn on). */
  unavailable?: string;
  /** A memory the model in use brought in its own files (an imported personal model): its size, or why it is unreadable. */
  carried?: { entries?: number; problem?: string };
}

export class Handwriting {
  private unavailable: string | undefined;

  constructor(private readonly active: ActiveModel) {}

  /** Points the active model at the stored memory, if it may read; call after every change of model or record. */
  async apply(): Promise<void> {
    const [personal, enabled] = await Promise.all([getPersonal(), getPersonalEnabled()]);
    const fits = personal && personal.accepted && personal.baseId === this.active.stored?.id;
    try {
      this.active.setMemory(fits ? personal.memory : undefined, enabled);
      this.unavailable = undefined;
    } catch (error) {
      this.active.setMemory(undefined, false);
      this.unavailable = (error as Error).message;
    }
  }

  async status(): Promise<HandwritingStatus> {
    const [samples, personal, enabled] = await Promise.all([listSamples(), getPersonal(), getPersonalEnabled()]);
    const status: HandwritingStatus = { samples, enabled, reading: this.active.personalReads };
    if (personal) {
      const { memory: _memory, ...rest } = personal;
      status.personal = rest;
    }
    if (this.unavailable) status.unavailable = this.unavailable;
    const carried = this.active.carriedMemory;
    if (carried.entries !== undefined || carried.problem) status.carried = carried;
    return status;
  }

  async add(pixels: Uint8Array, label: number): Promise<{ id: string; status: HandwritingStatus }> {
    if (!Number.isInteger(label) || label < 0 || label > 9 || pixels.length !== 784) throw new Error('a sample is a 28x28 drawing and a digit 0-9');
    const id = newModelId();
    await putSample({ id, label, pixels, createdAt: new Date().toISOString() });
    return { id, status: await this.status() };
  }

  async remove(id: string): Promise<HandwritingStatus> {
    await removeSample(id);
    if ((await listSamples()).length === 0) await this.forget();
    return this.status();
  }

  /**
   * Deletes every sample and the personal model, also one the model in use brought in its files (the stored copy
   * is saved again without it): the base model reads again.
   */
  async forget(): Promise<HandwritingStatus> {
    await forgetHandwriting();
    const id = this.active.stored?.id;
    const model = this.active.forgetCarried();
    if (model && id) await saveWeights(id, model);
    await this.apply();
    return this.status();
  }

  async setEnabled(enabled: boolean): Promise<HandwritingStatus> {
    await setPersonalEnabled(enabled);
    await this.apply();
    return this.status();
  }

  /**
   * Records what learning produced, unless the samples it learnt from are gone meanwhile (forgotten, here or in
   * another tab): checked and written in one transaction.
   */
  async record(learning: PersonalLearning): Promise<HandwritingStatus> {
    if (await putPersonalIfSamplesKept(learning)) await this.apply();
    return this.status();
  }
}
