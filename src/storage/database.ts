/**
 * The app's IndexedDB database `digit-lab`: one connection per thread, transactions that resolve only once they
 * commit, and storage errors in words a user can act on. Works in the page and in workers (no DOM).
 * Version 2 added the personal samples (the user's own digits, personalStore.ts).
 */
export const MODELS = 'models';
export const SETTINGS = 'settings';
export const SAMPLES = 'samples';

const DB_NAME = 'digit-lab';
const DB_VERSION = 2;

let dbPromise: Promise<IDBDatabase> | undefined;

function openDb(): Promise<IDBDatabase> {
  dbPromise ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(MODELS)) db.createObjectStore(MODELS, { keyPath: 'id' });
      if (!db.objectStoreNames.contains(SETTINGS)) db.createObjectStore(SETTINGS);
      if (!db.objectStoreNames.contains(SAMPLES)) db.createObjectStore(SAMPLES, { keyPath: 'id' });
    };
    request.onsuccess = () => {
      // A newer version of the app opened in another tab: give way to its upgrade rather than block it.
      request.result.onversionchange = () => {
        request.result.close();
        dbPromise = undefined;
      };
      resolve(request.result);
    };
    request.onerror = () => reject(storageError(request.error));
    request.onblocked = () => reject(new Error('The app is open in another tab with an older version; close it and reload.'));
  });
  return dbPromise;
}

/** Browser storage refused or lost a write: never the backend's fault, never "fixed" by another backend. */
export class StorageError extends Error {
  override name = 'StorageError';
  /** How the worker boundary reports it (worker/bridge.ts's FailureCode). */
  readonly code = 'storage';
}

/** Turns IndexedDB's errors into messages a user can act on. */
export function storageError(error: unknown): StorageError {
  const e = error as DOMException | null;
  if (e?.name === 'QuotaExceededError') {
    return new StorageError('The browser has no storage space left for this site. Free some space (or delete saved models) and try again.', { cause: e });
  }
  return new StorageError(`Browser storage failed: ${e?.message ?? String(error)}`, { cause: e });
}

export async function run<T>(store: string, mode: IDBTransactionMode, body: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDb();
  return new Promise<T>((resolve, reject) => {
    const tx = db.transaction(store, mode);
    const request = body(tx.objectStore(store));
    tx.oncomplete = () => resolve(request.result);
    tx.onerror = () => reject(storageError(tx.error ?? request.error));
    tx.onabort = () => reject(storageError(tx.error ?? request.error));
  });
}

