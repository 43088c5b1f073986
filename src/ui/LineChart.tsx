/**
 * A training chart: SVG lines with axes, ticks and units, a y range that fits the data, points where a series
 * is sparse (the test set, once per epoch), and the values under the pointer or the keyboard's focus (arrow
 * keys) read out beneath it. Our own rather than a library: about 150 lines, accessible markup, no canvas.
 */
import { useId, useMemo, useState } from 'react';
import { downsample, fitRange, niceTicks } from './chartScale';

export interface ChartSeries {
  label: string;
  className: string;
  /** [x, y] in data units, x ascending. */
  points: Array<[number, number]>;
}

export interface LineChartProps {
  title: string;
  xLabel: string;
  /** The y axis's name with its unit, e.g. "accuracy (%)". */
  yLabel: string;
  series: ChartSeries[];
  /** The x axis ends here (e.g. all batches of the run), so the chart fills as training goes on. */
  xMax: number;
  yBounds?: [number, number];
  format(y: number): string;
  /** Words for an x value in the readout, e.g. "batch 120 (epoch 2)". */
  describeX(x: number): string;
}

const W = 360;
const H = 190;
const M = { left: 46, right: 10, top: 10, bottom: 34 };
const MAX_POINTS = 300;

export function LineChart({ title, xLabel, yLabel, series, xMax, yBounds, format, describeX }: LineChartProps) {
  const id = useId();
  const [cursor, setCursor] = useState<number | null>(null);
  const shown = useMemo(() => series.map((s) => ({ ...s, drawn: s.points.length > MAX_POINTS ? downsampleSeries(s.points) : s.points })), [series]);
  const [lo, hi] = fitRange(
    series.flatMap((s) => s.points.map((p) => p[1])),
    yBounds,
  );
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p[0])))].sort((a, b) => a - b);
  const xEnd = Math.max(1, xMax, xs.at(-1) ?? 1);
  const px = (x: number) => M.left + (x / xEnd) * (W - M.left - M.right);
  const py = (y: number) => M.top + (1 - (y - lo) / (hi - lo || 1)) * (H - M.top - M.bottom);
  const yTicks = niceTicks(lo, hi, 4);
  const xTicks = niceTicks(0, xEnd, 5).filter((t) => Number.isInteger(t));
  const at = cursor === null ? null : xs[Math.max(0, Math.min(xs.length - 1, cursor))]!;
  const readout =
    at === null
      ? `Latest: ${series
          .filter((s) => s.points.length)
          .map((s) => `${s.label} ${format(s.points.at(-1)![1])}`)
          .join(' · ')}`
      : `${describeX(at)}: ${series
          .map((s) => [s.label, nearest(s.points, at)] as const)
          .filter(([, p]) => p && Math.abs(p[0] - at) <= Math.max(1, xEnd / MAX_POINTS))
          .map(([label, p]) => `${label} ${format(p![1])}`)
          .join(' · ')}`;

  return (
    <figure className="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`}>
        <strong>{title}</strong>
        {series.map((s) => (
          <span key={s.label} className={`legend ${s.className}`}>
            {s.label}
          </span>
        ))}
      </figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`${title}: ${readout}`}
        tabIndex={0}
        onPointerMove={(e) => {
          const box = e.currentTarget.getBoundingClientRect();
          const x = (((e.clientX - box.left) / box.width) * W - M.left) / (W - M.left - M.right);
          setCursor(nearestIndex(xs, x * xEnd));
        }}
        onPointerLeave={() => setCursor(null)}
        onBlur={() => setCursor(null)}
        onKeyDown={(e) => {
          if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
          e.preventDefault();
          setCursor((c) => Math.max(0, Math.min(xs.length - 1, (c ?? xs.length - 1) + (e.key === 'ArrowLeft' ? -1 : 1))));
        }}
      >
        <g className="axis">
          {yTicks.map((t) => (
            <g key={`y${t}`}>
              <line className="grid" x1={M.left} x2={W - M.right} y1={py(t)} y2={py(t)} />
              <text x={M.left - 6} y={py(t)} dy="0.32em" textAnchor="end">
                {format(t)}
              </text>
            </g>
          ))}
          {xTicks.map((t) => (
            <text key={`x${t}`} x={px(t)} y={H - M.bottom + 14} textAnchor="middle">
              {t}
            </text>
          ))}
          <line x1={M.left} x2={W - M.right} y1={H - M.bottom} y2={H - M.bottom} />
          <line x1={M.left} x2={M.left} y1={M.top} y2={H - M.bottom} />
          <text x={(M.left + W - M.right) / 2} y={H - 4} textAnchor="middle" className="axis-label">
            {xLabel}
          </text>
          <text transform={`translate(11 ${(M.top + H - M.bottom) / 2}) rotate(-90)`} textAnchor="middle" className="axis-label">
            {yLabel}
          </text>
        </g>
        {shown.map((s) => (
          <g key={s.label} className={`series ${s.className}`}>
            {s.drawn.length > 1 && <polyline fill="none" points={s.drawn.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ')} />}
            {s.drawn.length <= 30 && s.drawn.map(([x, y]) => <circle key={x} cx={px(x)} cy={py(y)} r={3.5} />)}
          </g>
        ))}
        {at !== null && <line className="cursor" x1={px(at)} x2={px(at)} y1={M.top} y2={H - M.bottom} />}
      </svg>
      <p className="readout">
        {readout}
      </p>
    </figure>
  );
}

function downsampleSeries(points: Array<[number, number]>): Array<[number, number]> {
  // Points are evenly spaced batches here: average neighbours, keep their mean x.
  const ys = downsample(
    points.map((p) => p[1]),
    MAX_POINTS,
  );
  const xs = downsample(
    points.map((p) => p[0]),
    MAX_POINTS,
  );
  return ys.map(([, y], i) => [xs[i]![1], y]);
}

function nearestIndex(sorted: readonly number[], x: number): number {
  let best = 0;
  for (let i = 1; i < sorted.length; i++) if (Math.abs(sorted[i]! - x) < Math.abs(sorted[best]! - x)) best = i;
  return best;
}

function nearest(points: ReadonlyArray<[number, number]>, x: number): [number, number] | undefined {
  let best: [number, number] | undefined;
  for (const p of points) if (!best || Math.abs(p[0] - x) < Math.abs(best[0] - x)) best = p;
  return best;
}
