/**
 * Test support (never imported by the app): the browser's storage in Node. IndexedDB is fake-indexeddb's, in
 * memory; TensorFlow.js is told that it runs in a worker (a `WorkerGlobalScope` exists), so that its
 * `indexeddb://` saves, loads, listings and removals go to that IndexedDB as they do in the app's workers.
 * Import it before anything imports TensorFlow.js: tfjs registers its IndexedDB store when it loads, and only
 * in a browser. `resetBrowserStorage` empties both databases (the app's and tfjs's) between tests.
 */
import 'fake-indexeddb/auto';
import type { PersonalLearning } from '../model/personal';

const scope = globalThis as { WorkerGlobalScope?: unknown; self?: unknown };
scope.WorkerGlobalScope ??= class WorkerGlobalScope {};
scope.self ??= globalThis;

/** Deletes every IndexedDB database (the app's connection gives way, as it does to another tab's upgrade). */
export async function resetBrowserStorage(): Promise<void> {
  for (const { name } of await indexedDB.databases()) {
    if (!name) continue;
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.deleteDatabase(name);
      request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error ?? new Error(`could not delete ${name}`));
      request.onblocked = () => reject(new Error(`deleting ${name} is blocked by an open connection`));
    });
  }
}

/**
 * Makes every write to the object store `store` of the app's database fail as a full disk does, until the
 * returned function is called. Writes to other stores, and tfjs's, go through.
 */
export function failWritesTo(store: string): () => void {
  const proto = IDBObjectStore.prototype;
  const put = proto.put;
  const add = proto.add;
  function refuse(this: IDBObjectStore, original: typeof put, ...args: Parameters<typeof put>): IDBRequest<IDBValidKey> {
    if (this.name === store) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    return original.apply(this, args);
  }
  proto.put = function (...args) {
    return refuse.call(this, put, ...args);
  };
  proto.add = function (...args) {
    return refuse.call(this, add, ...args);
  };
  return () => {
    proto.put = put;
    proto.add = add;
  };
}

/** A personal learning as the training worker returns it, for samples `sampleIds` (test support). */
export const learningOf = (sampleIds: string[]): PersonalLearning => ({
  baseId: 'pretrained',
  sampleIds,
  memory: { dim: 2, entries: new Float32Array([1, 0, 0, 1]), labels: new Uint8Array([3, 7]), radii: new Float32Array([0.1, 0.1]) },
  checks: { samples: 2, ownPersonal: 1, ownBase: 0.5, mnistPersonal: 0.99, mnistBase: 0.99 },
  accepted: true,
  reason: 'Reads your own digits better',
  seconds: 0.1,
});
