/**
 * Runs an async job for the newest request only: while one runs, a newer request waits and replaces any older
 * waiting one. Drawings arrive faster than predictions can be answered on a busy device; only the newest
 * matters. Pure (no DOM, no React).
 */
export function latestOnly<A, R>(run: (arg: A) => Promise<R>, onResult: (arg: A, result: R) => void, onError: (arg: A, error: unknown) => void): (arg: A) => void {
  let running = false;
  let waiting: { arg: A } | undefined;
  const start = (arg: A) => {
    running = true;
    run(arg).then(
      (result) => onResult(arg, result),
      (error: unknown) => onError(arg, error),
    ).finally(() => {
      running = false;
      const next = waiting;
      waiting = undefined;
      if (next) start(next.arg);
    });
  };
  return (arg: A) => {
    if (running) waiting = { arg };
    else start(arg);
  };
}
