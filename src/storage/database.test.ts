import '../testing/browserStorage';
import { expect, it } from 'vitest';
import { resetBrowserStorage } from '../testing/browserStorage';
import { SETTINGS, run, watchBlockedUpgrade } from './database';

it('waits while a tab on an older version blocks the upgrade, says so, and stores once that tab lets go', async () => {
  await resetBrowserStorage();
  // A tab still on version 1 of the app, whose code does not give way to an upgrade.
  const older = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open('digit-lab', 1);
    request.onupgradeneeded = () => request.result.createObjectStore(SETTINGS);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const seen: boolean[] = [];
  const stop = watchBlockedUpgrade((blocked) => seen.push(blocked));
  let stored = false;
  const write = run(SETTINGS, 'readwrite', (s) => s.put('kept', 'while-blocked')).then(() => (stored = true));
  await expect.poll(() => seen).toEqual([true]);
  // Nothing is lost, nothing fails: the write waits.
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(stored).toBe(false);
  older.close();
  await write;
  expect(seen).toEqual([true, false]);
  expect(await run(SETTINGS, 'readonly', (s) => s.get('while-blocked'))).toBe('kept');
  stop();
});
