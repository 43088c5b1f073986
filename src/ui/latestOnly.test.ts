import { describe, expect, it } from 'vitest';
import { latestOnly } from './latestOnly';

/** A job whose answers the test releases by hand. */
function manualJob() {
  const pending: Array<{ arg: number; resolve: (v: string) => void; reject: (e: Error) => void }> = [];
  const run = (arg: number) => new Promise<string>((resolve, reject) => pending.push({ arg, resolve, reject }));
  return { run, pending };
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('latestOnly', () => {
  it('runs one job at a time and, of the requests made meanwhile, only the newest', async () => {
    const job = manualJob();
    const results: Array<[number, string]> = [];
    const request = latestOnly(job.run, (arg, r) => results.push([arg, r]), () => undefined);
    request(1);
    request(2);
    request(3);
    request(4);
    expect(job.pending.map((p) => p.arg)).toEqual([1]);
    job.pending[0]!.resolve('one');
    await settle();
    expect(job.pending.map((p) => p.arg)).toEqual([1, 4]);
    job.pending[1]!.resolve('four');
    await settle();
    expect(results).toEqual([
      [1, 'one'],
      [4, 'four'],
    ]);
  });

  it('goes on with the newest request after a failure, and reports the failure', async () => {
    const job = manualJob();
    const errors: number[] = [];
    const request = latestOnly(job.run, () => undefined, (arg) => errors.push(arg));
    request(1);
    request(2);
    job.pending[0]!.reject(new Error('no model'));
    await settle();
    expect(errors).toEqual([1]);
    expect(job.pending.map((p) => p.arg)).toEqual([1, 2]);
  });

  it('starts at once when nothing runs', async () => {
    const job = manualJob();
    const request = latestOnly(job.run, () => undefined, () => undefined);
    request(1);
    job.pending[0]!.resolve('one');
    await settle();
    request(2);
    expect(job.pending.map((p) => p.arg)).toEqual([1, 2]);
  });
});
