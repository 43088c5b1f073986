/**
 * How calls cross between the page and a worker, on top of comlink: one shape of failure, callbacks and
 * AbortSignals passed as they are. Imported by both sides (each worker and the page's connections), so both
 * speak the same wire format.
 */
import { type Endpoint, type TransferHandler, expose, proxy, transferHandlers, wrap } from 'comlink';

/**
 * What kind of failure crossed the boundary, so the page can react to it without parsing messages. Code below
 * the workers names its kind with a `code` property of its own (e.g. StorageError's 'storage'), without
 * importing anything from here.
 */
const FAILURE_CODES = [
  /** Browser storage refused or lost a write (a full disk, say). */
  'storage',
  /** Files the user picked are not a model this app can use. */
  'invalid-model',
  /** The server offers no pre-trained model. */
  'missing',
  /** The worker is busy with something that must finish first. */
  'busy',
  /** Anything else. */
  'failed',
] as const;
export type FailureCode = (typeof FAILURE_CODES)[number];

/** The one error shape of both workers: a message for people and a code for code. */
export class WorkerError extends Error {
  override name = 'WorkerError';
  constructor(
    readonly code: FailureCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Any thrown value as a WorkerError, keeping its code when it has one. */
export function asWorkerError(error: unknown): WorkerError {
  if (error instanceof WorkerError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  return new WorkerError(FAILURE_CODES.includes(code as FailureCode) ? (code as FailureCode) : 'failed', message, { cause: error });
}

interface SerializedFailure {
  code: FailureCode;
  message: string;
}

type Thrown = { value: unknown };
const comlinkThrow = transferHandlers.get('throw') as TransferHandler<Thrown, { isError: boolean; value: unknown }>;

/** Every failure arrives on the other side as a WorkerError with its code and message. */
const failureHandler: TransferHandler<Thrown, SerializedFailure> = {
  canHandle: (value): value is Thrown => comlinkThrow.canHandle(value),
  serialize: ({ value }) => {
    const error = asWorkerError(value);
    return [{ code: error.code, message: error.message }, []];
  },
  deserialize: (failure) => {
    throw new WorkerError(failure.code, failure.message);
  },
};

/** A function argument becomes a callback into the side that passed it (progress reports, say). */
const callbackHandler: TransferHandler<(...args: never[]) => unknown, MessagePort> = {
  canHandle: (value): value is (...args: never[]) => unknown => typeof value === 'function',
  serialize: (fn) => (transferHandlers.get('proxy') as TransferHandler<unknown, MessagePort>).serialize(proxy(fn)),
  deserialize: (port) => (transferHandlers.get('proxy') as TransferHandler<unknown, MessagePort>).deserialize(port) as (...args: never[]) => unknown,
};

/** An AbortSignal travels as a port: aborting it on one side aborts its twin on the other. */
const abortSignalHandler: TransferHandler<AbortSignal, MessagePort> = {
  canHandle: (value): value is AbortSignal => value instanceof AbortSignal,
  serialize: (signal) => {
    const { port1, port2 } = new MessageChannel();
    const abort = () => {
      port1.postMessage(null);
      port1.close();
    };
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
    return [port2, [port2]];
  },
  deserialize: (port) => {
    const controller = new AbortController();
    port.onmessage = () => {
      controller.abort();
      port.close();
    };
    return controller.signal;
  },
};

transferHandlers.set('throw', failureHandler as TransferHandler<unknown, unknown>);
transferHandlers.set('callback', callbackHandler as TransferHandler<unknown, unknown>);
transferHandlers.set('abort-signal', abortSignalHandler as TransferHandler<unknown, unknown>);

/** The worker's side: answers calls on `api`. */
export function serve<T extends object>(api: T, endpoint: Endpoint = self as unknown as Endpoint): void {
  expose(api, endpoint);
}

/** A worker's API as the page calls it: every method returns a promise; `close` ends the worker. */
export type Connection<T> = { [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never } & {
  close(): void;
};

/** The page's side: the worker's API as an object whose methods return promises. */
export function connect<T extends object>(worker: Endpoint & { terminate(): void }): Connection<T> {
  const remote = wrap<T>(worker);
  return new Proxy(remote as object, {
    get(target, property, receiver) {
      if (property === 'close') return () => worker.terminate();
      // Not thenable: a connection returned from an async function must not be mistaken for a promise.
      if (property === 'then') return undefined;
      return Reflect.get(target, property, receiver) as unknown;
    },
  }) as Connection<T>;
}
