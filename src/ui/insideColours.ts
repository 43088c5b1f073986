/**
 * The colour scales of "Look inside": one sequential scale for activations (dark = 0, bright = the layer's
 * largest), one diverging scale for signed numbers (weights, saliency: blue negative, white 0, red positive).
 * Pure (no DOM): the canvases and the legends use the same stops.
 */

type Rgb = readonly [number, number, number];

/** Dark to bright (after matplotlib's "inferno"), for values from 0 to the largest. */
export const SEQUENTIAL: readonly Rgb[] = [
  [0, 0, 4],
  [87, 16, 110],
  [188, 55, 84],
  [249, 142, 9],
  [252, 255, 164],
];

/** Blue, white, red (after ColorBrewer's RdBu), for -m..m. */
export const DIVERGING: readonly Rgb[] = [
  [33, 102, 172],
  [146, 197, 222],
  [247, 247, 247],
  [244, 165, 130],
  [178, 24, 43],
];

/** The colour at t in 0..1 along `stops`. */
export function colourAt(stops: readonly Rgb[], t: number): Rgb {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const a = stops[i]!;
  const b = stops[i + 1]!;
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)];
}

/** A scale for a set of values: sequential from 0 when none is negative, else diverging around 0. */
export interface Scale {
  kind: 'sequential' | 'diverging';
  min: number;
  max: number;
}

export function scaleFor({ min, max }: { min: number; max: number }): Scale {
  if (min >= 0) return { kind: 'sequential', min: 0, max: max > 0 ? max : 1 };
  const m = Math.max(Math.abs(min), Math.abs(max)) || 1;
  return { kind: 'diverging', min: -m, max: m };
}

/** 256 colours along each scale, so that painting a map is a table look-up per pixel. */
const TABLES = new Map<readonly Rgb[], Uint8ClampedArray>();
function tableOf(stops: readonly Rgb[]): Uint8ClampedArray {
  let table = TABLES.get(stops);
  if (!table) {
    table = new Uint8ClampedArray(256 * 3);
    for (let i = 0; i < 256; i++) table.set(colourAt(stops, i / 255), i * 3);
    TABLES.set(stops, table);
  }
  return table;
}

/** RGBA pixels of `values` on `scale` (256 steps). */
export function paintValues(values: ArrayLike<number>, scale: Scale): Uint8ClampedArray<ArrayBuffer> {
  const table = tableOf(scale.kind === 'sequential' ? SEQUENTIAL : DIVERGING);
  const out = new Uint8ClampedArray(values.length * 4);
  const k = 255 / (scale.max - scale.min);
  for (let i = 0; i < values.length; i++) {
    const v = (values[i]! - scale.min) * k;
    const j = (v >= 255 ? 255 : v > 0 ? Math.round(v) : 0) * 3;
    out[i * 4] = table[j]!;
    out[i * 4 + 1] = table[j + 1]!;
    out[i * 4 + 2] = table[j + 2]!;
    out[i * 4 + 3] = 255;
  }
  return out;
}

/** The scale as a CSS gradient, for its legend. */
export function legendGradient(scale: Scale): string {
  const stops = scale.kind === 'sequential' ? SEQUENTIAL : DIVERGING;
  return `linear-gradient(to right, ${stops.map((c) => `rgb(${c.join(' ')})`).join(', ')})`;
}
