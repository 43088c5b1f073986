/** The top of the page: title, offline indicator, Install button, and the update prompt. */
export interface AppBarProps {
  online: boolean;
  canInstall: boolean;
  onInstall(): void;
  updateWaiting: boolean;
  /** Update now was pressed and waits for a run in another tab to end. */
  updateHeld?: boolean;
  /** Another tab on an older version keeps this one from storing anything (its database upgrade waits). */
  storageBlocked?: boolean;
  training: boolean;
  onUpdate(): void;
}

export function AppBar({ online, canInstall, onInstall, updateWaiting, updateHeld = false, storageBlocked = false, training, onUpdate }: AppBarProps) {
  return (
    <header className="app-header">
      <div className="app-title">
        <h1>Digit Lab</h1>
        <div className="app-actions">
          {!online && (
            <span className="badge offline" role="status" data-testid="offline-indicator">
              Offline
            </span>
          )}
          {canInstall && (
            <button type="button" onClick={onInstall}>
              Install
            </button>
          )}
        </div>
      </div>
      <p className="tagline">Draw a digit. A neural network reads it, right here. Nothing leaves your device.</p>
      {storageBlocked && (
        <div className="update-banner" role="alert">
          <span>
            Digit Lab is open in another tab or window on an older version, which keeps this one from saving anything. Close or reload that tab: this
            one then carries on by itself, and what waited is saved.
          </span>
        </div>
      )}
      {updateWaiting && (
        <div className="update-banner" role="alert">
          <span>{updateHeld ? 'A new version of Digit Lab is ready. It takes over once training in another tab or window ends.' : 'A new version of Digit Lab is ready.'}</span>
          <button type="button" className="primary" onClick={onUpdate} disabled={training || updateHeld}>
            {training ? 'Update after training' : updateHeld ? 'Waiting for training' : 'Update now'}
          </button>
        </div>
      )}
    </header>
  );
}
