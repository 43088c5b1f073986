/** The boundary's wire format, both sides in one Node process over a real MessageChannel. */
import { afterEach, describe, expect, it } from 'vitest';
import { type Endpoint } from 'comlink';
import { WorkerError, connect, serve } from './bridge';

interface TestApi {
  fail(kind: 'storage' | 'plain' | 'string'): Promise<void>;
  count(to: number, onStep: (step: number) => void): Promise<number>;
  waitForAbort(signal: AbortSignal): Promise<string>;
  bytes(n: number): Uint8Array;
}

class StorageLike extends Error {
  readonly code = 'storage';
}

const api: TestApi = {
  async fail(kind) {
    if (kind === 'storage') throw new StorageLike('The disk is full.');
    if (kind === 'plain') throw new Error('Something broke.');
    throw 'a bare string';
  },
  async count(to, onStep) {
    for (let i = 1; i <= to; i++) await onStep(i);
    return to;
  },
  waitForAbort: (signal) => new Promise((resolve) => signal.addEventListener('abort', () => resolve(`aborted: ${signal.aborted}`))),
  bytes: (n) => new Uint8Array(n).fill(7),
};

const open: MessagePort[] = [];
function pair() {
  const { port1, port2 } = new MessageChannel();
  open.push(port1, port2);
  serve(api, port1 as unknown as Endpoint);
  return connect<TestApi>(Object.assign(port2 as unknown as Endpoint, { terminate: () => port2.close() }));
}
afterEach(() => open.splice(0).forEach((port) => port.close()));

describe('the worker bridge', () => {
  it('brings every failure across as a WorkerError with its code and message', async () => {
    const remote = pair();
    const storage = await remote.fail('storage').catch((e: unknown) => e);
    expect(storage).toBeInstanceOf(WorkerError);
    expect(storage).toMatchObject({ code: 'storage', message: 'The disk is full.' });
    await expect(remote.fail('plain')).rejects.toMatchObject({ name: 'WorkerError', code: 'failed', message: 'Something broke.' });
    await expect(remote.fail('string')).rejects.toMatchObject({ code: 'failed', message: 'a bare string' });
  });

  it('passes a plain function as a callback that the other side calls', async () => {
    const remote = pair();
    const steps: number[] = [];
    await expect(remote.count(3, (step) => steps.push(step))).resolves.toBe(3);
    expect(steps).toEqual([1, 2, 3]);
  });

  it('aborts the twin of an AbortSignal on the other side', async () => {
    const remote = pair();
    const controller = new AbortController();
    const waiting = remote.waitForAbort(controller.signal);
    setTimeout(() => controller.abort(), 10);
    await expect(waiting).resolves.toBe('aborted: true');
    const already = new AbortController();
    already.abort();
    await expect(remote.waitForAbort(already.signal)).resolves.toBe('aborted: true');
  });

  it('answers synchronous methods with a promise, and is not mistaken for a promise itself', async () => {
    const remote = pair();
    await expect(remote.bytes(4)).resolves.toEqual(new Uint8Array([7, 7, 7, 7]));
    // An async function returning the connection must get the connection, not wait on a "then" across the boundary.
    const returned = await (async () => remote)();
    expect(returned).toBe(remote);
  });
});
