/** Registers the service worker through workbox-window and reports when an update waits for the user. */
import { Workbox } from 'workbox-window';

export interface ServiceWorkerHandle {
  /** Switch to the waiting version; the page reloads once it has taken over. */
  applyUpdate(): void;
  /** Resolves once a service worker controls the page. */
  ready: Promise<void>;
}

export function registerServiceWorker(onUpdateWaiting: () => void): ServiceWorkerHandle | undefined {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return undefined;
  const wb = new Workbox('/sw.js', { scope: '/' });
  wb.addEventListener('waiting', () => onUpdateWaiting());
  void wb.register();
  const ready = navigator.serviceWorker.ready.then(() => undefined);
  // Look for a new version when the app comes back to the foreground, and hourly while it stays open.
  document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && void wb.update());
  setInterval(() => void wb.update(), 60 * 60 * 1000);
  return {
    applyUpdate: () => {
      // Reload once the new version has taken over: only after the user said so.
      navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
      wb.messageSkipWaiting();
    },
    ready,
  };
}
