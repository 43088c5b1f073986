/** Train: settings, the Train / Cancel / Resume buttons, progress, live charts and the backend in use. */
import { memo, useState } from 'react';
import { DEFAULT_BATCH_SIZE, DEFAULT_EPOCHS } from '../model/defaults';
import { LossAccuracyCharts } from './LossAccuracyCharts';
import { OfflineDataControl } from './OfflineDataControl';
import type { TrainState } from './useTrainer';
import type { Recipe } from '../model/modelCard';
import type { TrainSettings } from '../model/trainSettings';
import { describeTrial } from '../model/measuredChoice';

const TRAIN_IMAGES = 60_000;

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '…';
  if (seconds < 90) return `${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 90 ? `${minutes} min` : `${(minutes / 60).toFixed(1)} h`;
}

export interface TrainingPanelProps {
  state: TrainState;
  /** Whether the training worker is running (it starts once the page has settled). */
  ready: boolean;
  /** The model in use, when it is the app's own CNN and so can be trained further. */
  continuable?: { id: string; name: string };
  onTrain(s: TrainSettings, resume?: boolean): void;
  onCancel(): void;
}

function TrainingPanelView({ state, ready, continuable, onTrain, onCancel }: TrainingPanelProps) {
  const [epochs, setEpochs] = useState(DEFAULT_EPOCHS);
  const [further, setFurther] = useState(false);
  const [images, setImages] = useState(TRAIN_IMAGES);
  const [recipe, setRecipe] = useState<Recipe>('handwriting');
  const busy = state.phase !== 'idle';
  const settings = state.settings;
  const p = state.progress;
  const workers = state.workers ?? 1;
  const totalBatches = settings && p ? settings.epochs * p.batchesPerEpoch : 0;
  const doneBatches = p ? (p.epoch - 1) * p.batchesPerEpoch + p.batch : 0;
  const secondsLeft = p && settings && p.imagesPerSecond > 0 ? ((totalBatches - doneBatches) * settings.batchSize) / p.imagesPerSecond : NaN;
  const valid = Number.isInteger(epochs) && epochs >= 1 && epochs <= 50 && Number.isInteger(images) && images >= DEFAULT_BATCH_SIZE && images <= TRAIN_IMAGES;

  return (
    <section className="card training" aria-labelledby="train-heading">
      <h2 id="train-heading">Train in your browser</h2>
      <p className="hint">
        The original workshop’s CNN, trained here on the 60,000 MNIST images with its settings (batch {DEFAULT_BATCH_SIZE}, Adadelta).
        The 10,000 test images check it after each epoch. You can keep drawing while it trains.
      </p>
      <form
        className="train-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (valid && !busy) {
            const base = further && continuable ? { baseModelId: continuable.id } : {};
            onTrain({ epochs, trainImages: images, batchSize: DEFAULT_BATCH_SIZE, recipe, ...base });
          }
        }}
      >
        <label>
          Epochs
          <input type="number" min={1} max={50} step={1} value={epochs} disabled={busy} onChange={(e) => setEpochs(e.target.valueAsNumber)} />
        </label>
        <label>
          Training images
          <input
            type="number"
            min={DEFAULT_BATCH_SIZE}
            max={TRAIN_IMAGES}
            step={1}
            value={images}
            disabled={busy}
            onChange={(e) => setImages(e.target.valueAsNumber)}
          />
        </label>
        <fieldset className="recipe" disabled={busy}>
          <legend>Recipe</legend>
          <label className="checkbox">
            <input type="radio" name="recipe" value="handwriting" checked={recipe === 'handwriting'} onChange={() => setRecipe('handwriting')} />
            For drawn digits (recommended): every training image is randomly bent, tilted, stretched and made thinner or
            thicker, as handwriting varies, so the model reads drawings better.
          </label>
          <label className="checkbox">
            <input type="radio" name="recipe" value="workshop" checked={recipe === 'workshop'} onChange={() => setRecipe('workshop')} />
            Workshop original: plain MNIST exactly as the 2018 Keras script, to reproduce its results.
          </label>
        </fieldset>
        {continuable && (
          <label className="checkbox">
            <input type="checkbox" checked={further} disabled={busy} onChange={(e) => setFurther(e.target.checked)} />
            Continue from the model in use ({continuable.name})
          </label>
        )}
        <div className="train-buttons">
          <button type="submit" className="primary" disabled={busy || !valid || !ready}>
            Train
          </button>
          {busy && (
            <button type="button" onClick={onCancel} disabled={state.phase === 'cancelling'}>
              Cancel training
            </button>
          )}
          {!busy && state.checkpoint && (
            <button type="button" disabled={!ready} onClick={() => onTrain(state.checkpoint!.settings, true)}>
              Resume training (epoch {state.checkpoint.epochsDone + 1} of {state.checkpoint.settings.epochs})
            </button>
          )}
        </div>
      </form>

      <OfflineDataControl />

      <p className="backend" data-testid="backend" data-backend={state.backend?.name ?? ''}>
        {state.backend ? (
          <>
            {state.backend.summary}{' '}
            <details>
              <summary>Details</summary>
              TensorFlow.js backend <strong>{state.backend.name}</strong>: {state.backend.reason}
            </details>
          </>
        ) : (
          'Checking which TensorFlow.js backend this device trains on…'
        )}
      </p>
      {state.backend?.figures && state.backend.figures.length > 0 && (
        <ul className="backend-figures" data-testid="backend-figures" aria-label="Training backends as measured on this device">
          {state.backend.figures.map((trial) => (
            <li
              key={trial.backend}
              data-backend={trial.backend}
              {...(trial.imagesPerSecond !== undefined ? { 'data-images-per-second': trial.imagesPerSecond.toFixed(1) } : {})}
              {...(trial.unavailable ? { 'data-unavailable': trial.unavailable } : {})}
              {...(trial.drift !== undefined ? { 'data-drift': String(trial.drift) } : {})}
            >
              {describeTrial(trial)}
              {trial.batchSize !== undefined && trial.batchSize !== 128 ? ` (at batch ${trial.batchSize}: too slow to go on)` : ''}
              {trial.detail && trial.backend !== 'wasm' ? ` on ${trial.detail}` : ''}
              {trial.drift !== undefined ? `; gradients within ${trial.drift.toExponential(1)} of the cpu backend` : ''}
            </li>
          ))}
        </ul>
      )}

      {state.phase === 'loading-data' && state.data && (
        <p className="data-progress">
          Downloading MNIST: {(state.data.loadedBytes / 1e6).toFixed(1)} of {(state.data.totalBytes / 1e6).toFixed(1)} MB
          <progress max={state.data.totalBytes} value={state.data.loadedBytes} aria-label="MNIST download" />
        </p>
      )}
      {busy && state.phase !== 'loading-data' && p && settings && (
        <div className="progress">
          <div
            role="progressbar"
            aria-label="Training progress"
            aria-valuemin={0}
            aria-valuemax={totalBatches}
            aria-valuenow={doneBatches}
            aria-valuetext={`Epoch ${p.epoch} of ${settings.epochs}, batch ${p.batch} of ${p.batchesPerEpoch}`}
            className="progress-track"
          >
            <span style={{ transform: `scaleX(${(doneBatches / Math.max(1, totalBatches)).toFixed(4)})` }} />
          </div>
          <p>
            Epoch {p.epoch}/{settings.epochs} · batch {p.batch}/{p.batchesPerEpoch} · {p.imagesPerSecond.toFixed(0)} images/s{' '}
            <span data-testid="training-workers" data-workers={workers}>
              on {workers} {workers === 1 ? 'worker' : 'workers'}
            </span>{' '}
            · {duration(secondsLeft)} left
            {state.phase === 'cancelling' && ' · cancelling…'}
          </p>
        </div>
      )}
      {state.message && (
        <p className={`message ${state.message.kind}`} role={state.message.kind === 'error' ? 'alert' : 'status'}>
          {state.message.text}
        </p>
      )}
      {(state.batches.length > 0 || state.epochs.length > 0) && <TrainingCharts state={state} />}
    </section>
  );
}

/** Loss and accuracy on one x axis of batches: each batch's training figures, the test set's after each epoch. */
function TrainingCharts({ state }: { state: TrainState }) {
  const perEpoch = state.progress?.batchesPerEpoch ?? 1;
  const total = (state.settings?.epochs ?? state.epochs.length) * perEpoch;
  const epochX = (epoch: number) => epoch * perEpoch;
  return (
    <LossAccuracyCharts
      titles={['Loss', 'Accuracy']}
      xLabel="batch"
      xMax={total}
      describeX={(x) => `batch ${x} (epoch ${Math.max(1, Math.ceil(x / perEpoch))})`}
      curves={[
        { label: 'training batch', className: 's-train', loss: state.batches.map((b) => [b.step, b.loss]), accuracy: state.batches.map((b) => [b.step, b.accuracy * 100]) },
        { label: 'test set', className: 's-test', loss: state.epochs.map((e) => [epochX(e.epoch), e.valLoss]), accuracy: state.epochs.map((e) => [epochX(e.epoch), e.valAccuracy * 100]) },
      ]}
    />
  );
}

/** Re-renders only when its own props change, not on every prediction. */
export const TrainingPanel = memo(TrainingPanelView);
