/**
 * The editor's kept runs: one item each with its results (test accuracy, time, speed, backend), deleted on
 * request once confirmed, with its model unless the user keeps it or it is the model in use (runModel.ts); two or more ticked are compared: one chart per measure (loss, accuracy) with a line per run, and the
 * settings that differ, in words (runDifferences.ts).
 */
import { useMemo, useState } from 'react';
import type { EditorRun } from '../../../storage/runStore';
import { type LossAccuracyCurve, LossAccuracyCharts } from '../../../ui/LossAccuracyCharts';
import { formatCount, formatDate } from '../../../ui/format';
import { OPTIMIZER_LABELS, runDifferences } from '../shared';
import { type LibraryView, modelToDeleteWith, runModel } from './runModel';
import type { RunsState } from './useRuns';

const percent = (accuracy: number) => `${(accuracy * 100).toFixed(2)}%`;

function duration(s: number): string {
  if (s < 90) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const minutes = Math.round(s / 60);
  return minutes < 90 ? `${minutes} min` : `${(minutes / 60).toFixed(1)} h`;
}

export function RunsView({
  runs,
  library,
  onRemove,
  disabled,
}: {
  runs: RunsState;
  library: LibraryView;
  onRemove(id: string, modelId?: string): void;
  disabled: boolean;
}) {
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  // Runs deleted meanwhile drop out of the comparison by themselves.
  const compared = runs.runs.filter((r) => chosen.has(r.id));
  const toggle = (id: string, on: boolean) =>
    setChosen((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  return (
    <div className="runs">
      <h3>Your runs</h3>
      {runs.message && (
        <p className="message error" role="alert">
          {runs.message}
        </p>
      )}
      {runs.skipped > 0 && <p className="hint">{runs.skipped === 1 ? 'One kept run could not be read and is not shown.' : `${runs.skipped} kept runs could not be read and are not shown.`}</p>}
      {runs.runs.length === 0 ? (
        <p className="hint">No runs yet: each run of your network is kept here with its curves and results, and its model goes to your models.</p>
      ) : (
        <>
          <p className="hint">Tick two or more to compare them.</p>
          <ul className="run-list" data-testid="runs">
            {runs.runs.map((run) => (
              <RunItem
                key={run.id}
                run={run}
                library={library}
                chosen={chosen.has(run.id)}
                onToggle={(on) => toggle(run.id, on)}
                onRemove={(withModel) => onRemove(run.id, withModel ? modelToDeleteWith(run.id, library) : undefined)}
                disabled={disabled}
              />
            ))}
          </ul>
        </>
      )}
      {compared.length >= 2 && <RunComparison runs={compared} />}
    </div>
  );
}

function RunItem({
  run,
  library,
  chosen,
  onToggle,
  onRemove,
  disabled,
}: {
  run: EditorRun;
  library: LibraryView;
  chosen: boolean;
  onToggle(on: boolean): void;
  onRemove(withModel: boolean): void;
  disabled: boolean;
}) {
  const { result } = run;
  const [confirming, setConfirming] = useState(false);
  return (
    <li
      className="run"
      data-testid="run"
      data-run-id={run.id}
      {...(result.testAccuracy !== undefined ? { 'data-test-accuracy': (result.testAccuracy * 100).toFixed(2) } : {})}
    >
      <label className="checkbox">
        <input type="checkbox" checked={chosen} onChange={(e) => onToggle(e.target.checked)} aria-label={`Compare ${run.name}`} />
        <strong className="run-name">{run.name}</strong>
      </label>
      <span className="run-figures">
        {result.testAccuracy !== undefined ? `${percent(result.testAccuracy)} on the test images` : 'test accuracy not known'} · {duration(result.seconds)} ·{' '}
        {formatCount(Math.round(result.imagesPerSecond))} images/s on {result.backend} · {formatCount(result.parameters)} parameters ·{' '}
        {OPTIMIZER_LABELS[run.training.optimizer.name]} · {run.training.epochs} × {formatCount(result.trainImages)} images · {formatDate(run.createdAt)}
      </span>
      {confirming ? (
        <DeleteRun
          run={run}
          library={library}
          disabled={disabled}
          onDelete={(withModel) => {
            setConfirming(false);
            onRemove(withModel);
          }}
          onCancel={() => setConfirming(false)}
        />
      ) : (
        <button type="button" aria-label={`Delete run ${run.name}`} disabled={disabled} onClick={() => setConfirming(true)}>
          Delete
        </button>
      )}
    </li>
  );
}

/** The question deleting a run asks: with its model, or without it when that is the one in use (and it says so). */
function DeleteRun({
  run,
  library,
  disabled,
  onDelete,
  onCancel,
}: {
  run: EditorRun;
  library: LibraryView;
  disabled: boolean;
  onDelete(withModel: boolean): void;
  onCancel(): void;
}) {
  const model = runModel(run.id, library);
  return (
    <div className="run-delete" role="group" aria-label={`Delete run ${run.name}?`} data-testid="delete-run">
      <p>
        {model.kind === 'deletable' && `Delete the run and its model “${model.name}”? This cannot be undone.`}
        {model.kind === 'in-use' && `Delete the run? Its model “${model.name}” is the one in use, so it stays in your models.`}
        {model.kind === 'gone' && 'Delete the run? Its model is no longer in your models.'}
      </p>
      <span className="run-delete-buttons">
        <button type="button" disabled={disabled} onClick={() => onDelete(model.kind === 'deletable')}>
          {model.kind === 'deletable' ? 'Delete run and model' : 'Delete run'}
        </button>
        {model.kind === 'deletable' && (
          <button type="button" disabled={disabled} onClick={() => onDelete(false)}>
            Delete the run, keep the model
          </button>
        )}
        {/* Focus lands here as the Delete button goes (it would be lost with it): on the answer that deletes nothing. */}
        <button type="button" autoFocus onClick={onCancel}>
          Cancel
        </button>
      </span>
    </div>
  );
}

const SERIES_CLASSES = 6;

/** A run's curves, x in passes over the data: its training batches, else the test set's per pass. */
function curves(run: EditorRun, i: number): LossAccuracyCurve {
  const points =
    run.batches.length > 0
      ? run.batches.map((b) => ({ x: b.step / run.batchesPerEpoch, loss: b.loss, accuracy: b.accuracy }))
      : run.epochs.map((e) => ({ x: e.epoch, loss: e.valLoss, accuracy: e.valAccuracy }));
  return {
    label: `${i + 1}. ${run.name}`,
    className: `s-run${i % SERIES_CLASSES}`,
    loss: points.map((p) => [p.x, p.loss]),
    accuracy: points.map((p) => [p.x, p.accuracy * 100]),
  };
}

function RunComparison({ runs }: { runs: EditorRun[] }) {
  const differences = useMemo(() => runDifferences(runs), [runs]);
  return (
    <div className="run-comparison" data-testid="run-comparison">
      <h3>Comparing {runs.length} runs</h3>
      <LossAccuracyCharts
        titles={['Compared loss', 'Compared accuracy']}
        xLabel="passes over the data"
        xMax={Math.max(1, ...runs.map((r) => r.training.epochs))}
        describeX={(x) => `pass ${x.toFixed(2)}`}
        curves={runs.map(curves)}
      />
      <p className="hint">Each line is a run’s training batches; the results below are on the 10,000 test images.</p>
      <ul className="compared-results">
        {runs.map((run, i) => (
          <li key={run.id}>
            {i + 1}. {run.name}: {run.result.testAccuracy !== undefined ? percent(run.result.testAccuracy) : 'not known'} in {duration(run.result.seconds)}
          </li>
        ))}
      </ul>
      <h4>What differs</h4>
      {differences.length === 0 ? (
        <p data-testid="run-differences">Nothing: the same network and settings. The runs differ only by chance (the starting weights, the order of the images).</p>
      ) : (
        <dl className="differences" data-testid="run-differences">
          {differences.map((d) => (
            <div key={d.setting} data-setting={d.setting}>
              <dt>{d.setting}</dt>
              {d.values.map((value, i) => (
                <dd key={i}>
                  {i + 1}. {value}
                </dd>
              ))}
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}
