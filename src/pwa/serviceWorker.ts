/** Registers the service worker through workbox-window and reports when an update waits for the user. */
import { Workbox } from 'workbox-window';
import { TRAINING_LOCK } from '../storage/trainingLock';

export interface ServiceWorkerHandle {
  /**
   * Switch to the waiting version; the page reloads once it has taken over. While a run trains in any tab, the
   * switch waits for it to end (the new version would take over that tab's page too): `onWaiting` is called then.
   */
  applyUpdate(onWaiting?: () => void): Promise<void>;
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
    applyUpdate: async (onWaiting) => {
      // Reload once the new version has taken over: only after the user said so.
      navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
      const locks = navigator.locks as LockManager | undefined;
      if (!locks) return wb.messageSkipWaiting();
      // Holding the training lock for the moment of the switch: no run can start in another tab meanwhile.
      const now = await locks.request(TRAINING_LOCK, { ifAvailable: true }, (lock) => {
        if (lock) wb.messageSkipWaiting();
        return Boolean(lock);
      });
      if (now) return;
      onWaiting?.();
      await locks.request(TRAINING_LOCK, () => wb.messageSkipWaiting());
    },
    ready,
  };
}
