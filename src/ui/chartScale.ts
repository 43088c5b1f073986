/** Axis arithmetic for the training charts: nice tick values and a y range that fits the data. Pure. */

/** About `count` round tick values (1, 2 or 5 times a power of ten) inside [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const error = raw / power;
  const step = power * (error >= 7.07 ? 10 : error >= 3.16 ? 5 : error >= 1.41 ? 2 : 1);
  const first = Math.ceil(min / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = first; v <= max + step * 1e-9; v += step) ticks.push(+v.toPrecision(12));
  return ticks;
}

/**
 * A y range around the values with a little room: padded by 5% of the spread, widened to `minSpan` around the
 * middle when the values are nearly flat, and kept inside `bounds` (accuracy cannot pass 100%, loss not 0).
 */
export function fitRange(values: readonly number[], bounds: readonly [number, number] = [-Infinity, Infinity], minSpan = 1e-3): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [Math.max(bounds[0], 0), Math.min(bounds[1], 1)];
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  const pad = (hi - lo) * 0.05;
  lo -= pad;
  hi += pad;
  if (hi - lo < minSpan) {
    const mid = (hi + lo) / 2;
    lo = mid - minSpan / 2;
    hi = mid + minSpan / 2;
  }
  lo = Math.max(bounds[0], lo);
  hi = Math.min(bounds[1], hi);
  return [lo, hi];
}

/** Averages neighbouring values down to at most `limit` points, keeping each point's x (its mean index). */
export function downsample(values: readonly number[], limit: number): Array<[number, number]> {
  const step = Math.max(1, Math.ceil(values.length / limit));
  const points: Array<[number, number]> = [];
  for (let i = 0; i < values.length; i += step) {
    const chunk = values.slice(i, i + step);
    points.push([i + (chunk.length - 1) / 2, chunk.reduce((a, b) => a + b, 0) / chunk.length]);
  }
  return points;
}
