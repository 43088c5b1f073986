/** About and storage: how much this site keeps on the device, whether the browser may evict it, which build. */
import { memo, useEffect } from 'react';

/** How often the figures refresh themselves while the page is visible. */
const REFRESH_MS = 10_000;
import type { StorageFacts } from './usePwa';

const mb = (bytes?: number) => (bytes === undefined ? '?' : `${(bytes / 1e6).toFixed(1)} MB`);

/** `installHint`: how to install it here, when the browser offers no Install button and it is not installed. */
function AboutPanelView({ storage, onRefresh, onPersist, installHint }: { storage: StorageFacts; onRefresh(): void; onPersist(): void; installHint?: string }) {
  // The first figures come from App, which refreshes after start-up and after every change; this keeps them fresh.
  useEffect(() => {
    const timer = setInterval(() => document.visibilityState === 'visible' && onRefresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [onRefresh]);
  return (
    <section className="card about" aria-labelledby="about-heading">
      <h2 id="about-heading">About and storage</h2>
      <p className="hint">
        Everything runs on this device: the drawing, the model, its training. Nothing is uploaded. Models and the
        training data are kept in this browser’s storage for offline use.
      </p>
      <dl className="facts" data-testid="storage">
        <dt>Storage used</dt>
        <dd data-testid="storage-usage">
          {mb(storage.usage)} of {mb(storage.quota)}
        </dd>
        <dt>Persistent</dt>
        <dd data-testid="storage-persisted" data-persisted={String(storage.persisted ?? false)} data-asked={String(storage.asked ?? false)}>
          {storage.persisted
            ? 'yes: the browser will not evict it'
            : storage.asked
              ? 'no: asked, and the browser did not grant it; it may clear this site’s data when space runs low (installing the app often makes it grant it)'
              : 'no: the browser may clear it when space runs low'}
        </dd>
        <dt>Version</dt>
        <dd data-testid="build-id">{__BUILD_ID__}</dd>
      </dl>
      {installHint && (
        <p className="hint" data-testid="install-instructions">
          {installHint}
        </p>
      )}
      {!storage.persisted && (
        <div className="pad-buttons">
          <button type="button" onClick={onPersist}>
            Keep data persistently
          </button>
        </div>
      )}
    </section>
  );
}

/** Re-renders only when its own props change, not on every prediction. */
export const AboutPanel = memo(AboutPanelView);
