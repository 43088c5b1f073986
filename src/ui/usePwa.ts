/** Install prompt, update prompt, online state and storage figures for the page. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { type ServiceWorkerHandle, registerServiceWorker } from '../pwa/serviceWorker';

interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<void>;
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

export interface StorageFacts {
  usage?: number;
  quota?: number;
  persisted?: boolean;
}

export function usePwa() {
  const [online, setOnline] = useState(navigator.onLine);
  const [updateWaiting, setUpdateWaiting] = useState(false);
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
    setStorage({ usage: estimate?.usage, quota: estimate?.quota, persisted });
  }, []);

  const install = useCallback(async () => {
    if (!installPrompt) return;
    await installPrompt.prompt();
    const choice = await installPrompt.userChoice;
    if (choice.outcome === 'accepted') setInstallPrompt(null);
  }, [installPrompt]);

  const requestPersistence = useCallback(async () => {
    await navigator.storage?.persist?.().catch(() => false);
    await refreshStorage();
  }, [refreshStorage]);

  return {
    online,
    updateWaiting,
    applyUpdate: () => sw.current?.applyUpdate(),
    canInstall: Boolean(installPrompt) && !installed,
    install,
    storage,
    refreshStorage,
    requestPersistence,
  };
}
