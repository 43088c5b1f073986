import '../testing/browserStorage';
import { expect, it } from 'vitest';
import { resetBrowserStorage } from '../testing/browserStorage';
import { MODELS, RUNS, SAMPLES, SETTINGS, run, watchBlockedUpgrade } from './database';

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

it('upgrades a version 2 database to version 3: what it kept stays, and the editor’s runs have a store', async () => {
  await resetBrowserStorage();
  // The database as version 2 of the app left it: models, settings and samples, with a record in each.
  const v2 = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open('digit-lab', 2);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore(MODELS, { keyPath: 'id' }).put({ id: 'm1', card: { name: 'Mine', source: 'trained', createdAt: '' } });
      db.createObjectStore(SETTINGS).put('m1', 'activeModelId');
      db.createObjectStore(SAMPLES, { keyPath: 'id' }).put({ id: 's1', label: 3 });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  v2.close();
  expect(await run(RUNS, 'readonly', (s) => s.count())).toBe(0);
  expect(await run(MODELS, 'readonly', (s) => s.get('m1'))).toEqual({ id: 'm1', card: { name: 'Mine', source: 'trained', createdAt: '' } });
  expect(await run(SETTINGS, 'readonly', (s) => s.get('activeModelId'))).toBe('m1');
  expect(await run(SAMPLES, 'readonly', (s) => s.count())).toBe(1);
  await run(RUNS, 'readwrite', (s) => s.put({ id: 'r1' }));
  expect(await run(RUNS, 'readonly', (s) => s.getAllKeys())).toEqual(['r1']);
});
