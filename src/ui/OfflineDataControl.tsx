/** "Make training available offline": keeps the 11 MB MNIST asset in the service worker's cache. */
import { useEffect, useState } from 'react';
import { isTrainingAvailableOffline, makeTrainingAvailableOffline } from '../pwa/offlineData';

type Status = 'unknown' | 'missing' | 'saving' | 'ready' | 'error';

export function OfflineDataControl() {
  const [status, setStatus] = useState<Status>('unknown');
  const [error, setError] = useState('');
  useEffect(() => {
    void isTrainingAvailableOffline().then((ok) => setStatus(ok ? 'ready' : 'missing'), () => setStatus('missing'));
  }, []);
  return (
    <div className="offline-data" data-testid="offline-data" data-status={status}>
      {status === 'ready' ? (
        <p className="message info">Training data is kept on this device: training works offline.</p>
      ) : (
        <button
          type="button"
          disabled={status === 'saving' || status === 'unknown'}
          onClick={async () => {
            setStatus('saving');
            try {
              await makeTrainingAvailableOffline();
              setStatus('ready');
            } catch (e) {
              setError((e as Error).message);
              setStatus('error');
            }
          }}
        >
          {status === 'saving' ? 'Downloading MNIST…' : 'Keep MNIST on this device for offline use'}
        </button>
      )}
      {status === 'error' && (
        <p className="message error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
