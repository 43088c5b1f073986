/**
 * The one rule for which model reads the drawings: the most recent user intent wins.
 *
 * Every step that ends in "make this model active" offers its model here with the time it was asked for: start-up
 * (when the page opened), Use (when clicked), an import (when the files were picked), a training run (when Train
 * was clicked), another tab's choice (when it was made there). The model becomes active only if nothing asked for
 * later is active already; otherwise the step keeps its result (the model stays in the library, the pre-trained one
 * stays stored for offline use) and its copy in memory is disposed. A step that fails changes nothing, so a bad
 * import during start-up leaves start-up to finish as if it had not been tried.
 *
 * The choice is kept with its time (storage/modelStore.ts claimActiveModel, compare and set in one transaction),
 * so a reload and every tab agree on it, and it is told to the other tabs (libraryChannel.ts), which follow it.
 * Times are capped at now, here and in the store: a choice stored while the clock was ahead (and since put right)
 * would otherwise outrank every Use, import and training result until real time caught up with it.
 * No DOM: runs in the prediction worker; unit-tested in Node.
 */

/** When something is asked for: milliseconds since the epoch, comparable between the page, workers and tabs. */
export const choiceTime = (): number => performance.timeOrigin + performance.now();

export interface ChoiceStore {
  /** Records `id` as chosen at `at` unless a later choice is recorded; whether it was. */
  claim(id: string, at: number): Promise<boolean>;
}

/**
 * `claim`: this tab's own choice (recorded, then told to the other tabs). `follow`: a choice already recorded (the
 * saved one at start-up, or another tab's): taken on in this tab only.
 */
export type ChoiceKind = 'claim' | 'follow';

export class ActiveChoice {
  /** When what is active now was asked for; nothing is active yet. */
  private activeAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly store: ChoiceStore,
    private readonly announce: (id: string, at: number) => void,
    /** The clock that `at` is read on (choiceTime; tests pass their own). */
    private readonly now: () => number = choiceTime,
  ) {}

  /** When the active model was asked for (-Infinity before any). */
  get chosenAt(): number {
    return this.activeAt;
  }

  /** Whether a step asked for at `at` could still make its model active. */
  mayActivate(at: number): boolean {
    return this.capped(at) > this.activeAt;
  }

  /** `at`, or now if `at` is still to come: nothing can have been asked for later than now. */
  private capped(at: number): number {
    return Math.min(at, this.now());
  }

  /**
   * Makes `model` (library id `id`, asked for at `asked`, capped at now) active through `activate`, unless
   * something asked for later is active, or (for a claim) recorded, already. `activate`'s synchronous part runs
   * right after the last check, so no other offer can come between them. Its result, or undefined when the offer
   * lost (the model is then disposed).
   */
  async offer<R>(id: string, asked: number, model: { dispose(): void }, kind: ChoiceKind, activate: () => Promise<R>): Promise<R | undefined> {
    const at = this.capped(asked);
    try {
      if (!this.mayActivate(at) || (kind === 'claim' && !(await this.store.claim(id, at))) || !this.mayActivate(at)) {
        model.dispose();
        return undefined;
      }
    } catch (error) {
      model.dispose();
      throw error;
    }
    this.activeAt = at;
    const result = activate();
    if (kind === 'claim') this.announce(id, at);
    return result;
  }
}
