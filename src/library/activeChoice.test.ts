import { describe, expect, it } from 'vitest';
import { ActiveChoice, type ChoiceStore } from './activeChoice';

/** The stored record as claimActiveModel keeps it: compare and set on the time of the choice. */
function memoryStore(): ChoiceStore & { record?: { id: string; at: number } } {
  const store: ChoiceStore & { record?: { id: string; at: number } } = {
    async claim(id, at) {
      if (store.record && store.record.at > at) return false;
      store.record = { id, at };
      return true;
    },
  };
  return store;
}

const model = () => {
  const m = { disposed: false, dispose: () => void (m.disposed = true) };
  return m;
};

describe('the most recent user intent wins', () => {
  it('a step asked for before the active choice loses: its model is disposed and nothing changes', async () => {
    const store = memoryStore();
    const announced: string[] = [];
    const choice = new ActiveChoice(store, (id) => announced.push(id));
    const imported = model();
    const startUp = model();
    // Start-up began at 10, the user's import at 20 finished first.
    expect(await choice.offer('imported', 20, imported, 'claim', async () => 'imported reads')).toBe('imported reads');
    expect(await choice.offer('pretrained', 10, startUp, 'claim', async () => 'pretrained reads')).toBeUndefined();
    expect(startUp.disposed).toBe(true);
    expect(imported.disposed).toBe(false);
    expect(store.record).toEqual({ id: 'imported', at: 20 });
    expect(announced).toEqual(['imported']);
    expect(choice.chosenAt).toBe(20);
  });

  it('a later step that finishes after an earlier one takes over; in either order of finishing the later one reads', async () => {
    for (const order of [['a', 'b'], ['b', 'a']] as const) {
      const choice = new ActiveChoice(memoryStore(), () => undefined);
      let reading: string | undefined;
      const asked = { a: 1, b: 2 };
      for (const id of order) await choice.offer(id, asked[id], model(), 'claim', async () => (reading = id));
      expect(reading, `finishing ${order.join(' then ')}`).toBe('b');
    }
  });

  it('a step that fails changes nothing: start-up, begun earlier, still makes its model active', async () => {
    const choice = new ActiveChoice(memoryStore(), () => undefined);
    // A bad import (asked at 20) threw before offering anything; start-up (asked at 10) ends afterwards.
    expect(choice.mayActivate(10)).toBe(true);
    expect(await choice.offer('pretrained', 10, model(), 'claim', async () => 'pretrained')).toBe('pretrained');
  });

  it('a claim loses to a later choice recorded by another tab, even before this tab has heard of it', async () => {
    const store = memoryStore();
    store.record = { id: 'other tab', at: 30 };
    const choice = new ActiveChoice(store, () => undefined);
    const trained = model();
    expect(await choice.offer('trained', 25, trained, 'claim', async () => 'trained')).toBeUndefined();
    expect(trained.disposed).toBe(true);
    expect(store.record.id).toBe('other tab');
    // Following that tab's choice (it is recorded already) neither writes nor announces.
    const announced: string[] = [];
    const follower = new ActiveChoice(store, (id) => announced.push(id));
    expect(await follower.offer('other tab', 30, model(), 'follow', async () => 'followed')).toBe('followed');
    expect(announced).toEqual([]);
  });

  it('a choice that cannot be recorded (storage failed) disposes its model and says why', async () => {
    const choice = new ActiveChoice({ claim: () => Promise.reject(new Error('quota')) }, () => undefined);
    const imported = model();
    await expect(choice.offer('x', 1, imported, 'claim', async () => 'x')).rejects.toThrow('quota');
    expect(imported.disposed).toBe(true);
    expect(choice.mayActivate(1)).toBe(true);
  });

  it('a choice made while an earlier claim was being recorded wins over it', async () => {
    let finishClaim!: () => void;
    const slow: ChoiceStore = { claim: () => new Promise((resolve) => (finishClaim = () => resolve(true))) };
    const choice = new ActiveChoice(slow, () => undefined);
    const first = choice.offer('first', 1, model(), 'claim', async () => 'first');
    // Meanwhile a later choice (another tab's, already recorded) is followed here.
    expect(await choice.offer('second', 2, model(), 'follow', async () => 'second')).toBe('second');
    finishClaim();
    expect(await first).toBeUndefined();
  });

  it('a choice stored while the clock was ahead does not refuse the choices made after the clock was put right', async () => {
    const now = 1_000_000;
    const dayAhead = now + 86_400_000;
    let clock = now;
    const store = memoryStore();
    const announced: number[] = [];
    const choice = new ActiveChoice(store, (_id, at) => announced.push(at), () => clock);
    // Start-up follows the saved choice, stamped a day ahead; the clock is right again: it counts as made now.
    expect(await choice.offer('saved', dayAhead, model(), 'follow', async () => 'saved')).toBe('saved');
    expect(choice.chosenAt).toBe(now);
    // A Use clicked 4 s later, its model loaded a second after that, reads.
    clock = now + 5_000;
    expect(choice.mayActivate(now + 4_000)).toBe(true);
    expect(await choice.offer('used', now + 4_000, model(), 'claim', async () => 'used')).toBe('used');
    // What is recorded and announced is never later than now either.
    clock = now + 6_000;
    expect(await choice.offer('imported', dayAhead, model(), 'claim', async () => 'imported')).toBe('imported');
    expect(store.record).toEqual({ id: 'imported', at: now + 6_000 });
    expect(announced).toEqual([now + 4_000, now + 6_000]);
  });
});
