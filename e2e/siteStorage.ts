/**
 * The site's storage as a test arranges it: a small quota (set over CDP), a 'ballast' database that fills it, a
 * store of the app's database held by a transaction of the test's own (so that the app's writes to it wait), and
 * the weights in tfjs's IndexedDB store. For a persistent context (persistentContext.ts): incognito storage lives
 * in memory and ignores quota overrides.
 */
import type { Page } from '@playwright/test';

/**
 * Sets the site's storage quota to `bytes`. Set it before the site stores anything: set later, it did not reach
 * the training worker's writes in our tries.
 */
export async function limitStorage(page: Page, origin: string, bytes: number): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(origin).origin, quotaSize: bytes });
}

/**
 * Fills the site's storage with a 'ballast' database of random bytes (stored values are compressed) in 1 MB
 * chunks until a write is refused, then frees `leaveFreeMB` of them again: less room than that is left. With 0 it
 * goes on in smaller chunks (64 KB, 4 KB, 256 bytes) until even 256 bytes are refused: not even a small record
 * fits. How many 1 MB chunks it stored before the first refusal; -1 when nothing was refused (the quota override
 * did not apply).
 */
export async function fillStorage(page: Page, { leaveFreeMB }: { leaveFreeMB: number }): Promise<number> {
  return page.evaluate(async (leaveFreeMB) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('ballast', 1);
      open.onupgradeneeded = () => open.result.createObjectStore('chunks');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const write = (store: (s: IDBObjectStore) => void) =>
      new Promise<string>((resolve) => {
        const tx = db.transaction('chunks', 'readwrite');
        store(tx.objectStore('chunks'));
        tx.oncomplete = () => resolve('ok');
        tx.onabort = () => resolve(tx.error?.name ?? 'AbortError');
      });
    /** Writes chunks of `size` bytes, keys [size, 0], [size, 1], ..., until one is refused: how many were stored. */
    const fill = async (size: number, most: number) => {
      for (let i = 0; i < most; i++) {
        const chunk = new Uint8Array(size);
        for (let j = 0; j < size; j += 65536) crypto.getRandomValues(chunk.subarray(j, Math.min(size, j + 65536)));
        const result = await write((s) => s.put(chunk, [size, i]));
        if (result === 'QuotaExceededError') return i;
        if (result !== 'ok') throw new Error(result);
      }
      return -1;
    };
    try {
      const MB = 1 << 20;
      const chunks = await fill(MB, 100);
      if (chunks < 0) return chunks;
      if (leaveFreeMB > 0) {
        await write((s) => s.delete(IDBKeyRange.bound([MB, chunks - leaveFreeMB], [MB, chunks - 1])));
      } else {
        for (const size of [65536, 4096, 256]) if ((await fill(size, 1000)) < 0) throw new Error(`${size}-byte chunks were never refused`);
      }
      return chunks;
    } finally {
      db.close();
    }
  }, leaveFreeMB);
}

/** Deletes the ballast database: the space it took is free again. */
export async function emptyStorage(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.deleteDatabase('ballast');
        request.onsuccess = () => resolve();
        request.onerror = () => reject(request.error);
        request.onblocked = () => reject(new Error('the ballast database is still open'));
      }),
  );
}

export interface HeldStore {
  /** Ends the test's transaction, so that the writes waiting for it go on; rejects if it was aborted meanwhile. */
  release(): Promise<void>;
}

/**
 * Holds one store of the app's IndexedDB database: a read-write transaction of the page's over `store`, kept
 * alive by one read after another, so that every transaction of the app's that writes to it (from the page or a
 * worker) waits until it is released. Resolves once the transaction has started: from then on, the store is held.
 */
export async function holdStore(page: Page, store: string): Promise<HeldStore> {
  const hold = await page.evaluateHandle(
    (store) =>
      new Promise<{ release(): Promise<void> }>((resolve, reject) => {
        const open = indexedDB.open('digit-lab');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(store, 'readwrite');
          let releasing = false;
          const ended = new Promise<void>((done, failed) => {
            tx.oncomplete = () => done();
            tx.onabort = () => failed(tx.error ?? new Error(`the transaction holding ${store} was aborted`));
          }).finally(() => db.close());
          ended.catch(() => undefined); // reported by release()
          const release = () => {
            releasing = true;
            return ended;
          };
          let started = false;
          const read = () => {
            tx.objectStore(store).count().onsuccess = () => {
              if (!started) {
                started = true;
                resolve({ release });
              }
              if (!releasing) read();
            };
          };
          read();
        };
      }),
    store,
  );
  return { release: () => hold.evaluate((h) => h.release()) };
}

/** The model paths in tfjs's IndexedDB store (`digit-lab-model-<id>`, `digit-lab-checkpoint`), sorted. */
export async function storedWeights(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('tensorflowjs');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction('model_info_store').objectStore('model_info_store').getAllKeys();
          request.onsuccess = () => {
            open.result.close();
            resolve(request.result.map(String).sort());
          };
          request.onerror = () => reject(request.error);
        };
      }),
  );
}
