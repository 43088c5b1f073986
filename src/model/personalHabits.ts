/**
 * What personal learning learnt, in words for the panel: the user's digits that the base model misread and the
 * personal model reads right, grouped by what the base read them as ("your 0s that it read as 8"). Pure.
 */

/** One habit learnt: the user's `digit`, which the base read as `readAs`, in `samples` of their samples. */
export interface LearntHabit {
  digit: number;
  readAs: number;
  samples: number;
}

/**
 * The habits learnt from samples with these labels, read so by the base and so by the personal model: the
 * samples the base misread and the personal model reads right, grouped, most samples first.
 */
export function learntHabits(labels: ArrayLike<number>, baseReads: ArrayLike<number>, personalReads: ArrayLike<number>): LearntHabit[] {
  const groups = new Map<string, LearntHabit>();
  for (let i = 0; i < labels.length; i++) {
    const digit = labels[i]!;
    const readAs = baseReads[i]!;
    if (readAs === digit || personalReads[i] !== digit) continue;
    const key = `${digit}:${readAs}`;
    const group = groups.get(key) ?? { digit, readAs, samples: 0 };
    group.samples++;
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => b.samples - a.samples || a.digit - b.digit || a.readAs - b.readAs);
}

/** "Now reads your 0s that the base model read as 8 (3 samples) and your 1s that it read as 7 (1 sample)." */
export function describeHabits(habits: readonly LearntHabit[], most = 3): string {
  if (habits.length === 0) return '';
  const parts = habits.slice(0, most).map((h, i) => `your ${h.digit}s that ${i === 0 ? 'the base model' : 'it'} read as ${h.readAs} (${h.samples} ${h.samples === 1 ? 'sample' : 'samples'})`);
  const more = habits.length > most ? `, and ${habits.length - most} more` : '';
  const list = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
  return `Now reads ${list}${more}.`;
}
