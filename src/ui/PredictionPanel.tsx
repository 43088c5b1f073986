/**
 * The prediction: the top digit, large, with the second one beside it where the two are close ("7, or a 1?"), its
 * confidence, bars for all ten digits, and what the model saw.
 */
import { useEffect, useRef } from 'react';
import { AlternativeReading } from './AlternativeReading';
import { secondReading } from './secondReading';

export interface PredictionView {
  probabilities: number[] | null;
  busy: boolean;
  /** The drawing's version: a second reading kept as a sample is kept for this drawing only. */
  drawing: number;
  /** Keeps the drawing as a sample of this digit (the second reading's button). */
  onKeep(digit: number): void;
}

export function PredictionPanel({ probabilities, busy, drawing, onKeep }: PredictionView) {
  const top = probabilities ? probabilities.indexOf(Math.max(...probabilities)) : -1;
  const confidence = probabilities ? probabilities[top]! : undefined;
  const second = secondReading(probabilities);
  return (
    <div className="prediction-panel">
      <div className="reading-line">
        <div
          className="prediction"
          data-testid="prediction"
          role="status"
          aria-live="polite"
          aria-busy={busy}
          data-confidence={confidence?.toFixed(4) ?? ''}
          aria-label={top < 0 ? 'No prediction' : second ? `Predicted digit ${top}, or a ${second.digit}` : `Predicted digit ${top}`}
        >
          {top >= 0 ? String(top) : ''}
        </div>
        {second && <AlternativeReading key={`${drawing}:${second.digit}`} reading={second} onKeep={onKeep} />}
      </div>
      <div className="confidence">{confidence !== undefined ? `${(confidence * 100).toFixed(1)}% sure` : 'Draw a digit'}</div>
      <ol className="probabilities" data-testid="probabilities" aria-label="Probability of each digit">
        {Array.from({ length: 10 }, (_, digit) => {
          const p = probabilities?.[digit] ?? 0;
          return (
            <li key={digit} data-digit={digit} data-probability={p.toFixed(4)} className={digit === top ? 'top' : undefined}>
              <span className="digit">{digit}</span>
              <span className="bar" aria-hidden="true">
                <span style={{ width: `${(p * 100).toFixed(1)}%` }} />
              </span>
              <span className="value">{(p * 100).toFixed(0)}%</span>
            </li>
          );
        })}
      </ol>
    </div>
  );
}

/** The 28x28 image that was fed to the model, drawn pixel for pixel (white ink on black). */
export function ModelInputPreview({ input }: { input: Float32Array | null }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    const image = ctx.createImageData(28, 28);
    for (let i = 0; i < 784; i++) {
      const v = Math.round((input?.[i] ?? 0) * 255);
      image.data.set([v, v, v, 255], i * 4);
    }
    ctx.putImageData(image, 0, 0);
  }, [input]);
  return (
    <figure className="preview">
      <canvas ref={canvas} width={28} height={28} aria-label="Model input preview" role="img" />
      <figcaption>What the model sees (28×28)</figcaption>
    </figure>
  );
}
