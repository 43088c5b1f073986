/** Install prompt, update prompt, online state and storage figures for the page. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { type ServiceWorkerHandle, registerServiceWorker } from '../pwa/serviceWorker';
import { installInstructions } from './installInstructions';

interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<void>;
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

export interface StorageFacts {
  usage?: number;
  quota?: number;
  persisted?: boolean;
  /** The app has asked the browser to keep its data (navigator.storage.persist()). */
  asked?: boolean;
}

/** Set once the app has asked for persistent storage on its own, so that it asks once, not on every visit. */
const ASKED_KEY = 'digit-lab-persistence-asked';
const readAsked = () => {
  try {
    return localStorage.getItem(ASKED_KEY) !== null;
  } catch {
    return false;
  }
};

export function usePwa() {
  const [online, setOnline] = useState(navigator.onLine);
  const [updateWaiting, setUpdateWaiting] = useState(false);
  /** "Update now" pressed while another tab trains: the switch waits for that run to end. */
  const [updateHeld, setUpdateHeld] = useState(false);
  const [installPrompt, setInstallPrompt] = useState<BeforeInstallPromptEvent | null>(null);
  const [installed, setInstalled] = useState(() => matchMedia('(display-mode: standalone)').matches);
  const [storage, setStorage] = useState<StorageFacts>({});
  const sw = useRef<ServiceWorkerHandle | undefined>(undefined);

  useEffect(() => {
    sw.current = registerServiceWorker(() => setUpdateWaiting(true));
    const onOnline = () => setOnline(navigator.onLine);
    const onPrompt = (e: Event) => {
      e.preventDefault();
      setInstallPrompt(e as BeforeInstallPromptEvent);
    };
    const onInstalled = () => {
      setInstalled(true);
      setInstallPrompt(null);
    };
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOnline);
    window.addEventListener('beforeinstallprompt', onPrompt);
    window.addEventListener('appinstalled', onInstalled);
    return () => {
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOnline);
      window.removeEventListener('beforeinstallprompt', onPrompt);
      window.removeEventListener('appinstalled', onInstalled);
    };
  }, []);

  const refreshStorage = useCallback(async () => {
    const estimate = await navigator.storage?.estimate?.().catch(() => undefined);
    const persisted = await navigator.storage?.persisted?.().catch(() => undefined);
    setStorage({ usage: estimate?.usage, quota: estimate?.quota, persisted, asked: readAsked() });
  }, []);

  const install = useCallback(async () => {
    if (!installPrompt) return;
    await installPrompt.prompt();
    const choice = await installPrompt.userChoice;
    if (choice.outcome === 'accepted') setInstallPrompt(null);
  }, [installPrompt]);

  const requestPersistence = useCallback(async () => {
    try {
      localStorage.setItem(ASKED_KEY, new Date().toISOString());
    } catch {
      // no localStorage (a locked-down profile): the app may ask again on a later visit
    }
    await navigator.storage?.persist?.().catch(() => false);
    await refreshStorage();
  }, [refreshStorage]);

  /**
   * Once the user has something to lose (a model they trained or imported, their handwriting): asks the browser
   * to keep the site's data, once (Firefox asks the user; asking on every visit would nag). Browsers evict the
   * data of sites that are not persisted when space runs low, Safari after 7 days without a visit.
   */
  const persistOnce = useCallback(async () => {
    if (readAsked() || !navigator.storage?.persist) return;
    if (await navigator.storage.persisted().catch(() => false)) return;
    await requestPersistence();
  }, [requestPersistence]);

  return {
    online,
    updateWaiting,
    updateHeld,
    applyUpdate: () => void sw.current?.applyUpdate(() => setUpdateHeld(true)),
    canInstall: Boolean(installPrompt) && !installed,
    /** Not installed, and no install prompt from the browser (Safari, Firefox, or Chromium not offering it yet). */
    installHint: !installed && !installPrompt ? installInstructions(navigator.userAgent, navigator.maxTouchPoints) : undefined,
    install,
    storage,
    refreshStorage,
    requestPersistence,
    persistOnce,
  };
}
