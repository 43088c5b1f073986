/** The user's own handwriting: the samples they gave by correcting a reading, and the personal model learnt from them. */
import type { LearntHabit } from './personalHabits';
import type { Memory, PersonalChecks } from './personalMemory';

/** A drawing the user labelled ("It's a 7"), kept on this device only. */
export interface PersonalSample {
  id: string;
  label: number;
  /** The model's 28x28 input, 0..255. */
  pixels: Uint8Array;
  createdAt: string;
}

/** What learning produced for one base model and one set of samples. */
export interface PersonalLearning {
  baseId: string;
  /** The samples it learnt from (ids), so a later change of the samples shows it is out of date. */
  sampleIds: string[];
  memory: Memory;
  checks: PersonalChecks;
  /** The user's digits the base misread and this model reads right (personalHabits.ts); absent in older records. */
  learnt?: LearntHabit[];
  accepted: boolean;
  /** Why it does or does not read, in words. */
  reason: string;
  seconds: number;
}

/** Samples given as the model's input (0..1 floats) are kept as bytes. */
export function inputToPixels(input: Float32Array): Uint8Array {
  return Uint8Array.from(input, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
}
