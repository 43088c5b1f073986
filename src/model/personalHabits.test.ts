import { describe, expect, it } from 'vitest';
import { describeHabits, learntHabits } from './personalHabits';

describe('what personal learning learnt, in words', () => {
  it('groups the samples the base misread and the personal model reads right by what the base read', () => {
    const labels = [0, 0, 0, 1, 7, 7, 4];
    const base = [8, 8, 9, 7, 7, 1, 4];
    const personal = [0, 0, 0, 1, 7, 1, 4];
    expect(learntHabits(labels, base, personal)).toEqual([
      { digit: 0, readAs: 8, samples: 2 },
      { digit: 0, readAs: 9, samples: 1 },
      { digit: 1, readAs: 7, samples: 1 },
    ]);
    // A sample the personal model still misreads (the second 7) taught nothing it can claim.
    expect(learntHabits([7], [1], [1])).toEqual([]);
  });

  it('says it in a sentence, the most common first, and nothing when nothing changed', () => {
    expect(describeHabits([{ digit: 0, readAs: 8, samples: 3 }])).toBe('Now reads your 0s that the base model read as 8 (3 samples).');
    expect(describeHabits([
      { digit: 0, readAs: 8, samples: 3 },
      { digit: 1, readAs: 7, samples: 1 },
    ])).toBe('Now reads your 0s that the base model read as 8 (3 samples) and your 1s that it read as 7 (1 sample).');
    const many = [0, 1, 2, 3, 4].map((digit) => ({ digit, readAs: 9, samples: 1 }));
    expect(describeHabits(many)).toBe(
      'Now reads your 0s that the base model read as 9 (1 sample), your 1s that it read as 9 (1 sample) and your 2s that it read as 9 (1 sample), and 2 more.',
    );
    expect(describeHabits([])).toBe('');
  });
});
