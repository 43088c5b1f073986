/**
 * "Your own network": the network editor's panel. The layers with each one's output shape and parameters, added,
 * removed, moved and set; the training settings; the totals and an epoch's time estimated from this device's
 * measured speed; what stops the network from working (role="alert"); its Keras text, both ways; Train, through
 * the training worker's one run at a time; the prepared experiments, loaded with one click; and the kept runs,
 * compared. The state is editorState.ts's reducer, kept on the device over reloads and across tabs (keptEditor.ts);
 * what it means is the shared core's (../shared).
 */
import { memo, useId, useMemo, useState } from 'react';
import type { StoredModel } from '../../../model/modelCard';
import type { TrainSettings } from '../../../model/trainSettings';
import { formatCount } from '../../../ui/format';
import type { TrainState } from '../../../ui/useTrainer';
import {
  ACTIVATIONS,
  type Activation,
  type DefinitionProblem,
  IMPORT_LIMITS,
  LAYER_KINDS,
  type LayerDefinition,
  type LayerFigures,
  type LayerKind,
  type NetworkDefinition,
  OPTIMIZER_LABELS,
  OPTIMIZER_NAMES,
  type OptimizerName,
  PADDINGS,
  type Padding,
  SETTING_RANGES,
  type TrainingDefinition,
  definitionProblems,
  estimateEpoch,
  formatKeras,
  networkFigures,
  parseKeras,
  stridesOf,
} from '../shared';
import { SPLIT_COUNTS } from '../../../data/mnistFacts';
import type { EditorAction } from './editorState';
import { useKeptEditor } from './keptEditor';
import { PreparedExperiments } from './PreparedExperiments';
import { RunsView } from './RunsView';
import type { RunsState } from './useRuns';
import './editor.css';

export interface NetworkEditorProps {
  /** The training worker's state: one run at a time, this panel's or the training panel's. */
  state: TrainState;
  ready: boolean;
  onTrain(settings: TrainSettings): void;
  onCancel(): void;
  runs: RunsState;
  /** Deletes a run, and the model given (its own, when the user asks for both). */
  onRemoveRun(id: string, modelId?: string): void;
  /** The model library, for what deleting a run does to its model. */
  models: readonly StoredModel[];
  activeModelId: string | undefined;
}

/** Problems the app adds to the shared core's: what this device's training kernels cannot do. */
function deviceProblems(network: NetworkDefinition): DefinitionProblem[] {
  return network.layers.flatMap((layer, index) =>
    layer.kind === 'Conv2D' && stridesOf(layer) > 1
      ? [
          {
            code: 'layer-setting' as const,
            layer: index,
            field: 'strides',
            message: `Layer ${index + 1} (Conv2D): strides above 1 are not offered: the WebAssembly backend's training kernels cannot train them. Use strides=(1, 1) and a MaxPooling2D to shrink the image.`,
          },
        ]
      : [],
  );
}

const shapeText = (figures: LayerFigures) => figures.output?.join('x') ?? '';

function seconds(s: number): string {
  if (s < 90) return `${Math.max(1, Math.round(s))} s`;
  const minutes = Math.round(s / 60);
  return minutes < 90 ? `${minutes} min` : `${(minutes / 60).toFixed(1)} h`;
}

function NetworkEditorView({ state, ready, onTrain, onCancel, runs, onRemoveRun, models, activeModelId }: NetworkEditorProps) {
  const [editor, dispatch] = useKeptEditor();
  const { network, training } = editor;
  const figures = useMemo(() => networkFigures(network), [network]);
  const problems = useMemo(
    () => [...definitionProblems(network, IMPORT_LIMITS, training, figures), ...deviceProblems(network)],
    [network, training, figures],
  );
  const busy = state.phase !== 'idle';
  const ours = state.settings?.editor !== undefined;
  const measured = state.backend?.figures?.find((trial) => trial.backend === state.backend?.name && trial.imagesPerSecond !== undefined);
  const estimate = measured?.imagesPerSecond ? estimateEpoch(figures.macs, training.images, { imagesPerSecond: measured.imagesPerSecond }) : undefined;

  const train = () => {
    if (busy || problems.length > 0 || !ready) return;
    onTrain({
      epochs: training.epochs,
      trainImages: training.images,
      batchSize: training.batchSize,
      recipe: training.recipe,
      editor: { network, training },
    });
  };

  return (
    <section className="card editor" aria-labelledby="editor-heading" data-testid="network-editor">
      <h2 id="editor-heading">Your own network</h2>
      <p className="hint">
        Change the workshop’s network layer by layer, or write it as Keras text, then train it here and compare your runs. Each layer shows the shape it
        gives and its parameters.
      </p>

      <PreparedExperiments disabled={busy} onLoad={({ network, training }) => dispatch({ type: 'setup', network, training })} />

      <ol className="layers" aria-label="Layers">
        {figures.layers.map((f) => (
          <LayerRow key={f.index} figures={f} count={network.layers.length} dispatch={dispatch} disabled={busy} />
        ))}
      </ol>
      <AddLayer count={network.layers.length} dispatch={dispatch} disabled={busy} />

      <p className="totals">
        Parameters: <data data-testid="total-params" value={figures.parameters ?? ''}>{figures.parameters ?? ''}</data>
        {figures.parameters === undefined && ' (not known until every layer has a shape)'} · multiplications per image:{' '}
        <data data-testid="total-macs" value={figures.macs ?? ''}>
          {figures.macs === undefined ? 'not known' : formatCount(figures.macs)}
        </data>
      </p>
      <p className="estimate" data-testid="epoch-estimate">
        {estimate && measured
          ? `About ${seconds(estimate.secondsPerEpoch)} for each pass over ${formatCount(training.images)} images on ${measured.backend} (about ${formatCount(Math.round(estimate.imagesPerSecond))} images/s, scaled from the ${formatCount(Math.round(measured.imagesPerSecond!))} images/s measured for the workshop’s network).`
          : 'The time a pass takes is estimated once this device’s training speed is measured: the first training run measures it.'}
      </p>

      {problems.length > 0 && (
        <div className="problems" role="alert" data-testid="editor-problems">
          <strong>This network cannot be trained yet:</strong>
          <ul>
            {problems.map((p, i) => (
              <li key={i}>{p.message}</li>
            ))}
          </ul>
        </div>
      )}

      <TrainingSettings editor={editor} dispatch={dispatch} disabled={busy} />

      <KerasText network={network} training={training} dispatch={dispatch} disabled={busy} />

      <div className="train-buttons">
        <button type="button" className="primary" disabled={busy || !ready || problems.length > 0} onClick={train}>
          Train this network
        </button>
        {busy && ours && (
          <button type="button" onClick={onCancel} disabled={state.phase === 'cancelling'}>
            Stop this run
          </button>
        )}
        <button type="button" disabled={busy} onClick={() => dispatch({ type: 'reset' })}>
          Back to the workshop’s network
        </button>
      </div>
      {busy && ours && (
        <p className="editor-progress" role="status">
          {state.phase === 'loading-data' || !state.progress
            ? 'Getting ready to train your network…'
            : `Training your network: pass ${state.progress.epoch} of ${state.settings?.epochs ?? '?'}, batch ${state.progress.batch} of ${state.progress.batchesPerEpoch}, ${Math.round(state.progress.imagesPerSecond)} images/s`}
          {state.phase === 'cancelling' && ' · stopping…'}
        </p>
      )}
      {busy && !ours && <p className="hint">The training panel’s run is training; yours can start once it ends.</p>}
      {!busy && ours && state.message?.kind === 'error' && (
        <p className="message error" role="alert">
          Your network’s run failed: {state.message.text}
        </p>
      )}

      <RunsView runs={runs} library={{ models, activeId: activeModelId }} onRemove={onRemoveRun} disabled={busy} />
    </section>
  );
}

type Dispatch = (action: EditorAction) => void;

function LayerRow({ figures, count, dispatch, disabled }: { figures: LayerFigures; count: number; dispatch: Dispatch; disabled: boolean }) {
  const { layer, index } = figures;
  const n = index + 1;
  const update = (change: Partial<LayerDefinition>) => dispatch({ type: 'update', index, layer: { ...layer, ...change } as LayerDefinition });
  const shape = shapeText(figures);
  return (
    <li className="layer" data-testid="layer-row" data-kind={layer.kind} data-output-shape={shape} data-params={figures.parameters ?? ''}>
      <div className="layer-head">
        <span className="layer-name">
          {n}. {layer.kind}
        </span>
        <span className="layer-figures">
          {shape ? `→ ${shape}` : '→ no shape'} · {figures.parameters === undefined ? '—' : formatCount(figures.parameters)} parameters
        </span>
        <span className="layer-buttons">
          <button type="button" aria-label={`Move layer ${n} (${layer.kind}) up`} disabled={disabled || index === 0} onClick={() => dispatch({ type: 'move', index, by: -1 })}>
            ↑
          </button>
          <button
            type="button"
            aria-label={`Move layer ${n} (${layer.kind}) down`}
            disabled={disabled || index === count - 1}
            onClick={() => dispatch({ type: 'move', index, by: 1 })}
          >
            ↓
          </button>
          <button type="button" aria-label={`Remove layer ${n} (${layer.kind})`} disabled={disabled} onClick={() => dispatch({ type: 'remove', index })}>
            ✕
          </button>
        </span>
      </div>
      <fieldset className="layer-settings" disabled={disabled}>
        <legend className="visually-hidden">
          Layer {n} ({layer.kind}) settings
        </legend>
        {layer.kind === 'Conv2D' && (
          <>
            <NumberField label="Filters" value={layer.filters} range={SETTING_RANGES.filters} onChange={(filters) => update({ filters })} />
            <NumberField label="Kernel size" value={layer.kernelSize} range={SETTING_RANGES.kernelSize} onChange={(kernelSize) => update({ kernelSize })} />
            <ActivationField value={layer.activation} onChange={(activation) => update({ activation })} />
            <SelectField label="Padding" value={layer.padding} options={PADDINGS.map((p) => [p, p] as const)} onChange={(v) => update({ padding: v as Padding })} />
          </>
        )}
        {layer.kind === 'MaxPooling2D' && <NumberField label="Pool size" value={layer.poolSize} range={SETTING_RANGES.poolSize} onChange={(poolSize) => update({ poolSize })} />}
        {layer.kind === 'Dropout' && <NumberField label="Rate" value={layer.rate} range={{ min: 0, max: 0.95 }} step={0.05} onChange={(rate) => update({ rate })} />}
        {layer.kind === 'Dense' && (
          <>
            <NumberField label="Units" value={layer.units} range={SETTING_RANGES.units} onChange={(units) => update({ units })} />
            <ActivationField value={layer.activation} onChange={(activation) => update({ activation })} />
          </>
        )}
        {layer.kind === 'Flatten' && <span className="hint">Turns the image into one row of numbers for the Dense layers.</span>}
        {layer.kind === 'BatchNormalization' && <span className="hint">Keras’s defaults (momentum 0.99, epsilon 0.001).</span>}
      </fieldset>
    </li>
  );
}

function NumberField({
  label,
  value,
  range,
  step = 1,
  onChange,
}: {
  label: string;
  value: number;
  range: { min: number; max: number };
  step?: number;
  onChange(value: number): void;
}) {
  return (
    <label>
      {label}
      <input type="number" min={range.min} max={range.max} step={step} value={Number.isFinite(value) ? value : ''} onChange={(e) => onChange(e.target.valueAsNumber)} />
    </label>
  );
}

/**
 * A select with its label beside it, not around it: a label around a select would take in the options' text, and
 * the field's name would no longer be its label alone.
 */
function SelectField<T extends string | number>({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: T;
  options: ReadonlyArray<readonly [value: T, text: string]>;
  onChange(value: string): void;
}) {
  const id = useId();
  return (
    <span className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </span>
  );
}

const ACTIVATION_OPTIONS = ACTIVATIONS.map((a) => [a, a] as const);

function ActivationField({ value, onChange }: { value: Activation; onChange(value: Activation): void }) {
  return <SelectField label="Activation" value={value} options={ACTIVATION_OPTIONS} onChange={(v) => onChange(v as Activation)} />;
}

function AddLayer({ count, dispatch, disabled }: { count: number; dispatch: Dispatch; disabled: boolean }) {
  const [kind, setKind] = useState<LayerKind>('Conv2D');
  // Where it goes: before the last layer (the output) unless chosen; clamped as layers come and go.
  const [at, setAt] = useState<number | undefined>(undefined);
  const position = Math.min(at ?? Math.max(0, count - 1), count);
  return (
    <fieldset className="add-layer" disabled={disabled}>
      <legend>Add a layer</legend>
      <SelectField label="Layer type" value={kind} options={LAYER_KINDS.map((k) => [k, k] as const)} onChange={(v) => setKind(v as LayerKind)} />
      <SelectField
        label="Position"
        value={position}
        options={Array.from({ length: count + 1 }, (_, i) => [i, i === count ? 'at the end' : `before layer ${i + 1}`] as const)}
        onChange={(v) => setAt(Number(v))}
      />
      <button type="button" onClick={() => dispatch({ type: 'add', kind, at: position })}>
        Add layer
      </button>
    </fieldset>
  );
}

function TrainingSettings({ editor, dispatch, disabled }: { editor: { training: TrainingDefinition }; dispatch: Dispatch; disabled: boolean }) {
  const { training } = editor;
  const { optimizer } = training;
  return (
    <fieldset className="editor-training" disabled={disabled}>
      <legend>How it trains</legend>
      <SelectField
        label="Optimizer"
        value={optimizer.name}
        options={OPTIMIZER_NAMES.map((name) => [name, OPTIMIZER_LABELS[name]] as const)}
        onChange={(v) => dispatch({ type: 'optimizer', name: v as OptimizerName })}
      />
      <label>
        Learning rate
        <input
          type="number"
          min={0}
          max={10}
          step="any"
          value={Number.isFinite(optimizer.learningRate) ? optimizer.learningRate : ''}
          onChange={(e) => dispatch({ type: 'optimizer-setting', change: { learningRate: e.target.valueAsNumber } })}
        />
      </label>
      {optimizer.name === 'sgd' && (
        <label>
          Momentum
          <input
            type="number"
            min={0}
            max={0.99}
            step={0.05}
            value={Number.isFinite(optimizer.momentum) ? optimizer.momentum : ''}
            onChange={(e) => dispatch({ type: 'optimizer-setting', change: { momentum: e.target.valueAsNumber } })}
          />
        </label>
      )}
      <NumberField label="Batch size" value={training.batchSize} range={SETTING_RANGES.batchSize} onChange={(batchSize) => dispatch({ type: 'training', change: { batchSize } })} />
      {/* Not "Epochs" nor "Training images": the training panel's fields have those names. */}
      <NumberField label="Passes over the data" value={training.epochs} range={SETTING_RANGES.epochs} onChange={(epochs) => dispatch({ type: 'training', change: { epochs } })} />
      <NumberField label="Images per pass" value={training.images} range={{ min: 1, max: SPLIT_COUNTS.train }} onChange={(images) => dispatch({ type: 'training', change: { images } })} />
      <SelectField
        label="Recipe"
        value={training.recipe}
        options={[
          ['handwriting', 'For drawn digits (augmented)'],
          ['workshop', 'Workshop original (plain MNIST)'],
        ]}
        onChange={(v) => dispatch({ type: 'training', change: { recipe: v as 'handwriting' | 'workshop' } })}
      />
    </fieldset>
  );
}

function KerasText({
  network,
  training,
  dispatch,
  disabled,
}: {
  network: NetworkDefinition;
  training: TrainingDefinition;
  dispatch: Dispatch;
  disabled: boolean;
}) {
  const id = useId();
  const formatted = useMemo(() => formatKeras(network, training), [network, training]);
  // What the user typed, until applied or discarded; the network's own text otherwise.
  const [draft, setDraft] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const apply = () => {
    const parsed = parseKeras(draft ?? formatted);
    if (!parsed.ok) {
      setError(parsed.error.message);
      return;
    }
    setError(undefined);
    setDraft(undefined);
    dispatch({ type: 'load', network: parsed.network, training: parsed.training });
  };
  return (
    <details className="keras-text">
      <summary>Keras text</summary>
      <label htmlFor={id}>The network as Keras code: edit it, or paste your own, and apply it</label>
      <textarea
        id={id}
        spellCheck={false}
        rows={Math.min(24, formatted.split('\n').length + 1)}
        value={draft ?? formatted}
        disabled={disabled}
        onChange={(e) => {
          setDraft(e.target.value);
          setError(undefined);
        }}
      />
      <div className="train-buttons">
        <button type="button" disabled={disabled} onClick={apply}>
          Apply Keras text
        </button>
        {draft !== undefined && (
          <button
            type="button"
            onClick={() => {
              setDraft(undefined);
              setError(undefined);
            }}
          >
            Discard changes to the text
          </button>
        )}
      </div>
      {error && (
        <p className="message error" role="alert" data-testid="keras-error">
          The Keras text cannot be read. {error}
        </p>
      )}
    </details>
  );
}

/** Re-renders only when its own props change, not on every prediction. */
export const NetworkEditor = memo(NetworkEditorView);
