/** Saved models: switch, rename, delete; import and export as TensorFlow.js Layers files or Keras files; the architecture. */
import { memo, useId, useState } from 'react';
import { formatCount } from './format';
import type { LayerSummary } from '../model/architecture';
import type { StoredModel } from '../model/modelCard';
import { EXPORT_FORMATS, EXPORT_FORMAT_LABELS, type ExportFormat } from '../model/exportFormat';

export interface ModelLibraryProps {
  models: StoredModel[];
  activeId?: string;
  summary: LayerSummary[];
  message?: { kind: 'error' | 'info'; text: string };
  busy: boolean;
  onUse(model: StoredModel): void;
  onRename(model: StoredModel, name: string): void;
  onDelete(model: StoredModel): void;
  onImport(files: File[]): void;
  onExport(format: ExportFormat): void;
}

const percent = (v?: number) => (v === undefined ? '–' : `${(v * 100).toFixed(2)}%`);

function ModelLibraryView(props: ModelLibraryProps) {
  const { models, activeId, summary, message, busy } = props;
  const [dragging, setDragging] = useState(false);
  const [format, setFormat] = useState<ExportFormat>('tfjs');
  const formatId = useId();
  const total = summary.reduce((a, l) => a + l.parameters, 0);
  return (
    <section
      className={`card library${dragging ? ' dragging' : ''}`}
      aria-labelledby="library-heading"
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        if (e.dataTransfer.files.length) props.onImport([...e.dataTransfer.files]);
      }}
    >
      <h2 id="library-heading">Your models</h2>
      <table className="models">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Source</th>
            <th scope="col">Test accuracy</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {models.map((m) => (
            <tr key={m.id} data-model-id={m.id} aria-current={m.id === activeId ? 'true' : undefined}>
              <td>
                {m.card.name}
                {m.id === activeId && <span className="badge">in use</span>}
              </td>
              <td>{m.card.source}</td>
              <td>{percent(m.card.testAccuracy)}</td>
              <td className="row-actions">
                <button type="button" disabled={m.id === activeId || busy} onClick={() => props.onUse(m)} aria-label={`Use ${m.card.name}`}>
                  Use
                </button>
                <button
                  type="button"
                  aria-label={`Rename ${m.card.name}`}
                  onClick={() => {
                    const name = prompt('New name for this model', m.card.name)?.trim();
                    if (name) props.onRename(m, name);
                  }}
                >
                  Rename
                </button>
                <button
                  type="button"
                  disabled={m.id === activeId}
                  aria-label={`Delete ${m.card.name}`}
                  onClick={() => confirm(`Delete “${m.card.name}”? This cannot be undone.`) && props.onDelete(m)}
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="pad-buttons">
        <label htmlFor={formatId}>Export format</label>
        <select id={formatId} value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)}>
          {EXPORT_FORMATS.map((f) => (
            <option key={f} value={f} title={EXPORT_FORMAT_LABELS[f]}>
              {f}
            </option>
          ))}
        </select>
        <button type="button" onClick={() => props.onExport(format)} disabled={!activeId}>
          Export model
        </button>
        <label className="file-button">
          Import model…
          <input
            type="file"
            multiple
            // No accept filter: converters before tfjs 1.x name weight shards without an extension.
            aria-label="Import model"
            onChange={(e) => {
              const files = [...(e.target.files ?? [])];
              e.target.value = '';
              if (files.length) props.onImport(files);
            }}
          />
        </label>
      </div>
      <p className="hint">
        Import a TensorFlow.js Layers model (model.json together with its weight files) or one Keras file (.h5 or .keras): choose or drop it here. Export
        as tfjs (TensorFlow.js files), keras (a Keras 3 .keras file) or h5 (a Keras 2 .h5 file).
      </p>
      {message && (
        <p className={`message ${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      {summary.length > 0 && (
        <details className="architecture">
          <summary>Architecture of the model in use ({formatCount(total)} parameters)</summary>
          <table data-testid="architecture">
            <thead>
              <tr>
                <th scope="col">Layer</th>
                <th scope="col">Output shape</th>
                <th scope="col">Parameters</th>
              </tr>
            </thead>
            <tbody>
              {summary.map((l) => (
                <tr key={l.name}>
                  <td>{l.className}</td>
                  <td>{l.outputShape}</td>
                  <td>{formatCount(l.parameters)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </section>
  );
}

/** Re-renders only when its own props change, not on every prediction. */
export const ModelLibrary = memo(ModelLibraryView);
