/**
 * A worker connection that lives as long as the component using it: opened on mount (or, with `idle`, once
 * `enabled` and the browser has a moment to spare), closed on unmount. A worker is an external system that
 * exists only while mounted (StrictMode mounts twice in development), so it is opened in an effect, not during
 * render.
 */
import { useEffect, useState } from 'react';

export interface WhenToOpen {
  /** Wait until this is true (e.g. until start-up has settled). */
  enabled?: boolean;
  /** Then wait for an idle moment (at most `timeoutMs`), so the worker's start does not slow the page's. */
  idle?: boolean;
  timeoutMs?: number;
}

export function useWorker<C extends { close(): void }>(open: () => C, { enabled = true, idle = false, timeoutMs = 2000 }: WhenToOpen = {}): C | undefined {
  const [connection, setConnection] = useState<C | undefined>(undefined);
  useEffect(() => {
    if (!enabled) return;
    let opened: C | undefined;
    // A connection is callable (comlink's proxy): it is set through a function, not taken for an updater.
    const start = () => {
      opened = open();
      const connected = opened;
      setConnection(() => connected);
    };
    const wait = idle ? whenIdle(start, timeoutMs) : whenNow(start);
    return () => {
      wait.cancel();
      opened?.close();
      setConnection(undefined);
    };
  }, [open, enabled, idle, timeoutMs]);
  return connection;
}

function whenIdle(run: () => void, timeout: number): { cancel(): void } {
  if (typeof requestIdleCallback === 'function') {
    const handle = requestIdleCallback(run, { timeout });
    return { cancel: () => cancelIdleCallback(handle) };
  }
  const handle = setTimeout(run, Math.min(timeout, 500));
  return { cancel: () => clearTimeout(handle) };
}

/** At once, but after this effect returns (a microtask), so the state is set from a callback. */
function whenNow(run: () => void): { cancel(): void } {
  let cancelled = false;
  queueMicrotask(() => cancelled || run());
  return { cancel: () => (cancelled = true) };
}
