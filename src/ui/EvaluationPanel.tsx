/** How good is the model: accuracy and loss on the 10,000 test images, per digit, a confusion matrix and the mistakes. */
import { memo, useEffect, useMemo, useState } from 'react';
import { cellIndices, confusionMatrix, misclassified, perDigitAccuracy } from '../model/confusion';
import { DigitThumb } from './DigitThumb';
import type { EvaluationState } from './useTrainer';

const GALLERY_LIMIT = 60;

function EvaluationPanelView({
  evaluation,
  modelId,
  canRun,
  onEvaluate,
  testImages,
}: {
  evaluation: EvaluationState;
  modelId?: string;
  canRun: boolean;
  onEvaluate(id: string): void;
  testImages(indices: number[]): Promise<Uint8Array>;
}) {
  const done = evaluation.status === 'done' && evaluation.modelId === modelId ? evaluation : undefined;
  const matrix = useMemo(() => (done ? confusionMatrix(done.labels, done.predicted) : undefined), [done]);
  const [cell, setCell] = useState<{ t: number; p: number } | null>(null);
  // The images of the cell (or mistakes) they were fetched for: shown only while that is still the selection.
  const [fetched, setFetched] = useState<{ for: number[]; images: Array<{ index: number; pixels: Uint8Array }> }>({ for: [], images: [] });

  const shown = useMemo(() => {
    if (!done) return [];
    return cell ? cellIndices(done.labels, done.predicted, cell.t, cell.p, GALLERY_LIMIT) : misclassified(done.labels, done.predicted, done.confidence).slice(0, GALLERY_LIMIT);
  }, [done, cell]);
  const gallery = fetched.for === shown ? fetched.images : [];

  useEffect(() => {
    let live = true;
    if (shown.length > 0) {
      void testImages(shown).then(
        (pixels) => live && setFetched({ for: shown, images: shown.map((index, i) => ({ index, pixels: pixels.subarray(i * 784, (i + 1) * 784) })) }),
      );
    }
    return () => {
      live = false;
    };
  }, [shown, testImages]);

  const max = matrix ? Math.max(...matrix.flatMap((row, t) => row.filter((_, p) => p !== t)), 1) : 1;
  return (
    <section className="card evaluation" aria-labelledby="eval-heading">
      <h2 id="eval-heading">Evaluation on the 10,000 test images</h2>
      <button type="button" disabled={!modelId || !canRun || evaluation.status === 'running'} onClick={() => modelId && onEvaluate(modelId)}>
        {evaluation.status === 'running' ? 'Evaluating…' : 'Evaluate the model in use'}
      </button>
      {evaluation.status === 'failed' && (
        <p className="message error" role="alert">
          {evaluation.message}
        </p>
      )}
      {done && matrix && (
        <>
          <p data-testid="evaluation-summary">
            Accuracy <strong>{(done.accuracy * 100).toFixed(2)}%</strong>, loss {done.loss.toFixed(4)}; {misclassified(done.labels, done.predicted, done.confidence).length} mistakes.
          </p>
          <table className="per-digit" aria-label="Accuracy per digit">
            <tbody>
              <tr>
                <th scope="row">Digit</th>
                {perDigitAccuracy(matrix).map((d) => (
                  <td key={d.digit}>{d.digit}</td>
                ))}
              </tr>
              <tr>
                <th scope="row">Accuracy</th>
                {perDigitAccuracy(matrix).map((d) => (
                  <td key={d.digit} data-digit={d.digit} data-accuracy={d.accuracy.toFixed(4)}>
                    {(d.accuracy * 100).toFixed(1)}%
                  </td>
                ))}
              </tr>
            </tbody>
          </table>
          <table className="confusion" data-testid="confusion-matrix" aria-label="Confusion matrix: rows are true digits, columns predicted digits">
            <thead>
              <tr>
                <th scope="col">true \ predicted</th>
                {matrix.map((_, p) => (
                  <th key={p} scope="col">
                    {p}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {matrix.map((row, t) => (
                <tr key={t}>
                  <th scope="row">{t}</th>
                  {row.map((count, p) => {
                    const heat = t === p ? 0 : count / max;
                    return (
                      <td key={p} className={t === p ? 'diagonal' : undefined}>
                        <button
                          type="button"
                          className="cell"
                          aria-pressed={cell?.t === t && cell.p === p}
                          aria-label={`${count} images of ${t} predicted as ${p}`}
                          style={t === p ? undefined : { backgroundColor: `rgba(217, 72, 15, ${heat.toFixed(3)})` }}
                          onClick={() => setCell(cell?.t === t && cell.p === p ? null : { t, p })}
                        >
                          {count}
                        </button>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
          <h3>{cell ? `Test images of ${cell.t} predicted as ${cell.p}` : 'Misclassified test images, most confident first'}</h3>
          <ul className="gallery" data-testid="gallery">
            {gallery.map(({ index, pixels }) => (
              <li key={index} data-index={index}>
                <DigitThumb pixels={pixels} />
                <span>
                  true {done.labels[index]} → {done.predicted[index]} ({(done.confidence[index]! * 100).toFixed(0)}%)
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** Re-renders only when its own props change, not on every prediction. */
export const EvaluationPanel = memo(EvaluationPanelView);
