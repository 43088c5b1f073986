/**
 * The app's IndexedDB database `digit-lab`: one connection per thread, transactions that resolve only once they
 * commit (over one store, or over several where a read and the write that depends on it, or two writes, must not
 * be separated), and storage errors in words a user can act on. Works in the page and in workers (no DOM).
 * Version 2 added the personal samples (the user's own digits, personalStore.ts); version 3 the network editor's
 * runs (runStore.ts).
 */
export const MODELS = 'models';
export const SETTINGS = 'settings';
export const SAMPLES = 'samples';
export const RUNS = 'runs';

const DB_NAME = 'digit-lab';
const DB_VERSION = 3;

let dbPromise: Promise<IDBDatabase> | undefined;

/** Who wants to know while an older version of the app in another tab blocks this one's upgrade. */
const blockedListeners = new Set<(blocked: boolean) => void>();
let upgradeBlocked = false;
function setBlocked(blocked: boolean): void {
  if (blocked === upgradeBlocked) return;
  upgradeBlocked = blocked;
  for (const listener of blockedListeners) listener(blocked);
}

/**
 * Calls `listener` with true while a tab still on an older version of the app keeps this one from upgrading the
 * database (everything this tab stores waits meanwhile), and with false once that tab lets go: the upgrade then
 * goes on by itself, and what waited is stored. Opens the database to find out. Returns the way to stop listening.
 */
export function watchBlockedUpgrade(listener: (blocked: boolean) => void): () => void {
  blockedListeners.add(listener);
  if (upgradeBlocked) listener(true);
  void openDb().catch(() => undefined);
  return () => void blockedListeners.delete(listener);
}

function openDb(): Promise<IDBDatabase> {
  dbPromise ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(MODELS)) db.createObjectStore(MODELS, { keyPath: 'id' });
      if (!db.objectStoreNames.contains(SETTINGS)) db.createObjectStore(SETTINGS);
      if (!db.objectStoreNames.contains(SAMPLES)) db.createObjectStore(SAMPLES, { keyPath: 'id' });
      if (!db.objectStoreNames.contains(RUNS)) db.createObjectStore(RUNS, { keyPath: 'id' });
    };
    request.onsuccess = () => {
      setBlocked(false);
      // A newer version of the app opened in another tab: give way to its upgrade rather than block it.
      request.result.onversionchange = () => {
        request.result.close();
        dbPromise = undefined;
      };
      resolve(request.result);
    };
    request.onerror = () => {
      // The next use tries again, rather than every later one failing with this.
      dbPromise = undefined;
      reject(storageError(request.error));
    };
    // Not a failure: the request stays open and succeeds once the older tab closes its connection. Until then
    // the page says why nothing is stored (watchBlockedUpgrade).
    request.onblocked = () => setBlocked(true);
  });
  return dbPromise;
}

/** Browser storage refused or lost a write: never the backend's fault, never "fixed" by another backend. */
export class StorageError extends Error {
  override name = 'StorageError';
  /** How the worker boundary reports it (worker/bridge.ts's FailureCode). */
  readonly code = 'storage';
}

/** Turns IndexedDB's errors into messages a user can act on (one that already is one stays as it is). */
export function storageError(error: unknown): StorageError {
  if (error instanceof StorageError) return error;
  const e = error as DOMException | null;
  if (e?.name === 'QuotaExceededError') {
    return new StorageError('The browser has no storage space left for this site. Free some space (or delete saved models) and try again.', { cause: e });
  }
  return new StorageError(`Browser storage failed: ${e?.message ?? String(error)}`, { cause: e });
}

/**
 * Runs `body` in one transaction over `stores`: the requests it makes, and those its requests' callbacks make,
 * all commit or all fail together, and no other transaction (another tab's, another worker's) can come between
 * them. Resolves with what `body`'s returned function gives once the transaction commits; rejects with a
 * StorageError when it aborts. A callback that decides not to write simply makes no request.
 */
export async function transaction<T>(stores: string[], mode: IDBTransactionMode, body: (tx: IDBTransaction) => () => T): Promise<T> {
  const db = await openDb();
  return new Promise<T>((resolve, reject) => {
    let tx: IDBTransaction | undefined;
    let result: () => T;
    try {
      tx = db.transaction(stores, mode);
      result = body(tx);
    } catch (error) {
      // A request the browser refused at once (a value it cannot store, say): nothing of it is kept.
      try {
        tx?.abort();
      } catch {
        // already over
      }
      reject(storageError(error));
      return;
    }
    tx.oncomplete = () => resolve(result());
    // An error event comes from the failed request (the transaction's own error is set only as it aborts).
    tx.onerror = (event) => reject(storageError(tx.error ?? (event.target as IDBRequest | null)?.error));
    tx.onabort = () => reject(storageError(tx.error));
  });
}

/** One request on one store, in a transaction of its own: its result once that commits. */
export function run<T>(store: string, mode: IDBTransactionMode, body: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return transaction([store], mode, (tx) => {
    const request = body(tx.objectStore(store));
    return () => request.result;
  });
}
