/**
 * The ways people write digits that neither MNIST nor the 30 pen writers show enough of, made from a real
 * writer's strokes of that digit: the slashed zero, the crossed 7 and the 7 with a serif, the continental 1
 * (a long up-stroke flag, with or without a base), the closed 4, the 9 with a small head on a long straight
 * stem, the 2 with a loop at its base, the 3 with a flat top, the 8 as two stacked loops, and 0 and 6 drawn in
 * two strokes, and the 7 without a bar (most of the 30 writers cross their 7s). Each generator keeps what the writer drew (their ring, stem or curve, with its wobble) and adds or
 * reshapes only the part the convention changes; it returns undefined where the digit does not lend itself (a 4
 * written in one stroke has no separate stem to close a triangle on). Pure and deterministic for a random source.
 * Tablet coordinates, y pointing down. Seen on people from other countries and tablets (measured.md): slashed
 * zeros read as 8, 9 or 4; continental 1s, long-stem 9s and looped 2s read as 7.
 */
import type { Point, Stroke } from '../preprocess/mnistInput';
import { inkBox } from '../preprocess/strokeGeometry';

export type Strokes = Array<Array<[number, number]>>;

export interface Convention {
  /** A short name, as in the README's sheet and the tests. */
  name: string;
  label: number;
  /** How often, among its digit's conventions, a training copy takes it (relative weight). */
  weight: number;
  make(strokes: readonly Stroke[], random: () => number): Strokes | undefined;
}

export interface Bounds {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  w: number;
  h: number;
  size: number;
}

export function boundsOf(strokes: readonly Stroke[]): Bounds {
  const { x0, y0, x1, y1 } = inkBox(strokes);
  const [w, h] = [Math.max(x1 - x0, 1e-6), Math.max(y1 - y0, 1e-6)];
  return { x0, y0, x1, y1, w, h, size: Math.max(w, h) };
}

const between = (random: () => number, a: number, b: number) => a + (b - a) * random();
const copy = (strokes: readonly Stroke[]): Strokes => strokes.map((s) => s.map((p): [number, number] => [p[0], p[1]]));

/**
 * A pen line from a to b as a writer draws it: `n` points, bowed sideways by up to `bow` (a share of its length)
 * and with a little jitter, so that it is not a ruler's line.
 */
export function penLine(a: Point, b: Point, random: () => number, n = 10, bow = 0.04): Array<[number, number]> {
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
  const length = Math.hypot(dx, dy) || 1;
  const [nx, ny] = [-dy / length, dx / length];
  const sideways = (random() * 2 - 1) * bow * length;
  const out: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) {
    const t = i / (n - 1);
    const off = sideways * Math.sin(Math.PI * t) + (i > 0 && i < n - 1 ? (random() - 0.5) * 0.01 * length : 0);
    out.push([a[0] + t * dx + off * nx, a[1] + t * dy + off * ny]);
  }
  return out;
}

/** The index of the point of `points` farthest from the line through its first and last points (an L's knee). */
export function kneeIndex(points: readonly Point[]): number {
  const [a, b] = [points[0]!, points.at(-1)!];
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
  const length = Math.hypot(dx, dy) || 1;
  let [best, far] = [0, -1];
  points.forEach((p, i) => {
    const d = Math.abs((p[0] - a[0]) * dy - (p[1] - a[1]) * dx) / length;
    if (d > far) [best, far] = [i, d];
  });
  return best;
}

/** A 0 with a diagonal slash, either way, through the ring or beyond it, drawn before or after the ring. */
export function slashedZero(zero: readonly Stroke[], random: () => number): Strokes {
  const b = boundsOf(zero);
  const [cx, cy] = [(b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2];
  // Through the ring (0.75-0.95 of its half-diagonal) or beyond it (up to 1.3), at the ring's diagonal +- 12 degrees.
  const reach = between(random, 0.75, 1.3);
  const forward = random() < 0.6; // "/" a little more often than "\"
  const angle = Math.atan2(b.h, b.w) + ((random() * 2 - 1) * 12 * Math.PI) / 180;
  const half = (Math.hypot(b.w, b.h) / 2) * reach;
  const [hx, hy] = [Math.cos(angle) * half, Math.sin(angle) * half];
  const lower: Point = forward ? [cx - hx, cy + hy] : [cx + hx, cy + hy];
  const upper: Point = forward ? [cx + hx, cy - hy] : [cx - hx, cy - hy];
  const slash = random() < 0.5 ? penLine(upper, lower, random) : penLine(lower, upper, random);
  return random() < 0.5 ? [...copy(zero), slash] : [slash, ...copy(zero)];
}

/** Where the ink crosses the horizontal line y (the mean of its crossings' x), or undefined. */
export function crossingX(strokes: readonly Stroke[], y: number): number | undefined {
  const xs: number[] = [];
  for (const s of strokes)
    for (let i = 1; i < s.length; i++) {
      const [a, c] = [s[i - 1]!, s[i]!];
      if ((a[1] - y) * (c[1] - y) <= 0 && a[1] !== c[1]) xs.push(a[0] + ((y - a[1]) / (c[1] - a[1])) * (c[0] - a[0]));
    }
  return xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : undefined;
}

/** The index of a 7's bar across its stem, if it has one: a flat stroke (three times as wide as tall) below its top. */
export function barIndex(seven: readonly Stroke[]): number {
  const b = boundsOf(seven);
  if (seven.length < 2) return -1;
  return seven.findIndex((s) => {
    const sb = boundsOf([s]);
    return sb.w > 3 * sb.h && sb.y0 > b.y0 + b.h * 0.25;
  });
}

/** A 7 with a bar through its stem, short or long, a little below the middle (where it had none). */
export function crossedSeven(seven: readonly Stroke[], random: () => number): Strokes | undefined {
  if (barIndex(seven) >= 0) return undefined;
  const b = boundsOf(seven);
  const y = b.y0 + b.h * between(random, 0.45, 0.6);
  const x = crossingX([seven.reduce((a, s) => (s.length > a.length ? s : a))], y);
  if (x === undefined) return undefined;
  const half = (b.w * between(random, 0.25, 0.65)) / 2;
  const shift = (random() * 2 - 1) * 0.15 * half;
  const tilt = (random() * 2 - 1) * 0.08 * half;
  return [...copy(seven), penLine([x - half + shift, y + tilt], [x + half + shift, y - tilt], random, 8, 0.03)];
}

/** A 7 without a bar, from a writer's crossed 7 (most of the 30 writers cross their 7s; most of the world does not). */
export function plainSeven(seven: readonly Stroke[]): Strokes | undefined {
  const bar = barIndex(seven);
  return bar < 0 ? undefined : copy(seven.filter((_, i) => i !== bar));
}

/** A 7 whose bar starts with a short down-stroke (a serif), as many Europeans write it. */
export function serifSeven(seven: readonly Stroke[], random: () => number): Strokes | undefined {
  const strokes = copy(seven);
  // The bar starts at the topmost-left point of the stroke that holds the top.
  const first = strokes.findIndex((s) => s.some(([, y]) => y === boundsOf(seven).y0));
  const bar = strokes[first]!;
  const start = bar[0]!;
  const b = boundsOf(seven);
  if (start[0] > b.x0 + b.w * 0.4 || start[1] > b.y0 + b.h * 0.3) return undefined;
  const serif = penLine([start[0] - b.w * between(random, -0.02, 0.06), start[1] + b.h * between(random, 0.1, 0.2)], start, random, 5, 0.05);
  strokes[first] = [...serif.slice(0, -1), ...bar];
  return strokes;
}

/** The longest stroke, ordered top to bottom, from its topmost point on: the stem of a 1 as the writer drew it. */
export function stemOf(strokes: readonly Stroke[]): Array<[number, number]> {
  const longest = strokes.reduce((a, s) => (s.length > a.length ? s : a));
  let stem = longest.map((p): [number, number] => [p[0], p[1]]);
  if (stem[0]![1] > stem.at(-1)![1]) stem = stem.reverse();
  let top = 0;
  stem.forEach((p, i) => {
    if (p[1] < stem[top]![1]) top = i;
  });
  return stem.slice(top);
}

/**
 * The continental 1: a long flag drawn up to the top before the stem comes down (28-58 degrees below the
 * horizontal, two fifths to seven tenths of the height long: a 7's bar is near horizontal), with a base or without.
 */
export function continentalOne(one: readonly Stroke[], random: () => number, withBase = random() < 0.4): Strokes | undefined {
  const stem = stemOf(one);
  if (stem.length < 2) return undefined;
  const top = stem[0]!;
  const bottom = stem.at(-1)!;
  const h = bottom[1] - top[1];
  if (h <= 0) return undefined;
  const angle = (between(random, 28, 58) * Math.PI) / 180;
  const length = h * between(random, 0.4, 0.7);
  const flag = penLine([top[0] - Math.cos(angle) * length, top[1] + Math.sin(angle) * length], top, random, 8, 0.06);
  const out: Strokes = [[...flag.slice(0, -1), ...stem]];
  if (withBase) {
    const half = h * between(random, 0.15, 0.3);
    out.push(penLine([bottom[0] - half, bottom[1] + h * 0.01], [bottom[0] + half, bottom[1] - h * 0.01], random, 8, 0.03));
  }
  return out;
}

/** A 1 with a base and only a short flag or none (the stem as drawn). */
export function basedOne(one: readonly Stroke[], random: () => number): Strokes | undefined {
  const stem = stemOf(one);
  const b = boundsOf([stem]);
  if (stem.length < 2 || b.h <= 0) return undefined;
  const bottom = stem.at(-1)!;
  const half = b.h * between(random, 0.15, 0.3);
  return [stem, penLine([bottom[0] - half, bottom[1]], [bottom[0] + half, bottom[1]], random, 8, 0.03)];
}

/**
 * The closed 4: the writer's open 4 (an L, then the stem), its upright replaced by a diagonal from the stem's top
 * down to the L's knee; the writer's crossbar and stem are kept. Needs a 4 in two strokes (L, stem).
 */
export function closedFour(four: readonly Stroke[], random: () => number): Strokes | undefined {
  if (four.length !== 2) return undefined;
  const wide = (s: Stroke) => boundsOf([s]).w / boundsOf([s]).h;
  const [l, stem] = wide(four[0]!) >= wide(four[1]!) ? [four[0]!, four[1]!] : [four[1]!, four[0]!];
  // The L from its upper end: down to the knee, then the crossbar.
  const upright = (l[0]![1] <= l.at(-1)![1] ? [...l] : [...l].reverse()).map((p): [number, number] => [p[0], p[1]]);
  const knee = kneeIndex(upright);
  if (knee === 0 || knee === upright.length - 1) return undefined;
  const sb = boundsOf([stem]);
  const top = stem.reduce((a, p) => (p[1] < a[1] ? p : a));
  // The crossbar must reach the stem, and the knee must be left of it and below its top.
  if (upright[knee]![0] >= top[0] - sb.h * 0.1 || upright[knee]![1] <= top[1] + sb.h * 0.2) return undefined;
  const start: Point = [top[0] - sb.h * between(random, 0, 0.05), top[1] + sb.h * between(random, 0, 0.08)];
  return [[...penLine(start, upright[knee]!, random, 8, 0.04), ...upright.slice(knee + 1)], stem.map((p): [number, number] => [p[0], p[1]])];
}

/**
 * A 9 with a small head on a long straight stem: the writer's head kept, the stroke from where it last leaves the
 * upper half drawn straight down to 15-50% of the height below the digit's foot.
 */
export function longStemNine(nine: readonly Stroke[], random: () => number): Strokes | undefined {
  const strokes = copy(nine);
  const b = boundsOf(nine);
  const last = strokes.at(-1)!;
  const mid = b.y0 + b.h * 0.5;
  let from = -1;
  last.forEach((p, i) => {
    if (p[1] <= mid) from = i;
  });
  if (from < 0 || from === last.length - 1 || last.at(-1)![1] < b.y0 + b.h * 0.65) return undefined;
  const foot = b.y1 + b.h * between(random, 0.15, 0.5);
  const lean = (random() * 2 - 1) * 0.12 * (foot - last[from]![1]);
  const stem = penLine(last[from]!, [last[from]![0] + lean, foot], random, 12, 0.02);
  strokes[strokes.length - 1] = [...last.slice(0, from + 1), ...stem.slice(1)];
  return strokes;
}

/** A 2 with a small loop where its diagonal meets its base. */
export function loopedTwo(two: readonly Stroke[], random: () => number): Strokes | undefined {
  const strokes = copy(two);
  const b = boundsOf(two);
  // The corner: the leftmost point of the lower third, on the longest stroke.
  const s = strokes.reduce((a, t) => (t.length > a.length ? t : a));
  let corner = -1;
  s.forEach((p, i) => {
    if (p[1] >= b.y0 + b.h * 0.6 && (corner < 0 || p[0] < s[corner]![0])) corner = i;
  });
  if (corner <= 0 || corner >= s.length - 1) return undefined;
  const r = b.h * between(random, 0.07, 0.14);
  const c = s[corner]!;
  const [ox, oy] = [c[0] + r * 0.3, c[1] - r * 0.95];
  const start = Math.atan2(c[1] - oy, c[0] - ox);
  // Around once, the way the diagonal was going (counter-clockwise on the page: left, up, right, down).
  const loop: Array<[number, number]> = [];
  const n = 12;
  for (let i = 1; i <= n; i++) {
    const a = start + (2 * Math.PI * i) / n;
    const rr = r * (1 + (random() - 0.5) * 0.15);
    loop.push([ox + Math.cos(a) * rr, oy + Math.sin(a) * rr * between(random, 0.85, 1)]);
  }
  s.splice(corner + 1, 0, ...loop);
  return strokes;
}

/**
 * A 3 with a flat top: the writer's upper arc replaced by a bar and a diagonal down to the middle, their lower
 * arc kept. Needs a 3 in one stroke.
 */
export function flatTopThree(three: readonly Stroke[], random: () => number): Strokes | undefined {
  if (three.length !== 1) return undefined;
  const s = three[0]!;
  const b = boundsOf(three);
  // The middle cusp: the leftmost point of the middle band.
  let cusp = -1;
  s.forEach((p, i) => {
    if (p[1] > b.y0 + b.h * 0.3 && p[1] < b.y0 + b.h * 0.65 && (cusp < 0 || p[0] < s[cusp]![0])) cusp = i;
  });
  if (cusp <= 2) return undefined;
  const start = s[0]!;
  const right = b.x0 + b.w * between(random, 0.8, 1);
  const top = b.y0 + b.h * between(random, 0, 0.04);
  const mid: Point = [s[cusp]![0] + b.w * between(random, 0, 0.2), s[cusp]![1]];
  const bar = penLine([Math.min(start[0], b.x0 + b.w * 0.3), top], [right, top + b.h * between(random, -0.02, 0.03)], random, 8, 0.02);
  const diagonal = penLine(bar.at(-1)!, mid, random, 8, 0.05);
  return [[...bar, ...diagonal.slice(1), ...s.slice(cusp + 1).map((p): [number, number] => [p[0], p[1]])]];
}

/** An 8 as two stacked loops, each the writer's own 0 made smaller (the upper a little smaller). */
export function stackedEight(zero: readonly Stroke[], random: () => number): Strokes {
  const b = boundsOf(zero);
  const upper = between(random, 0.4, 0.5);
  const ring = (share: number, top: number, width: number): Strokes =>
    zero.map((s) => s.map(([x, y]): [number, number] => [b.x0 + ((x - b.x0) / b.w) * b.w * width, top + ((y - b.y0) / b.h) * b.h * share]));
  const w = between(random, 0.5, 0.8);
  const out = [...ring(upper, b.y0, w * between(random, 0.8, 1)), ...ring(1 - upper, b.y0 + b.h * upper * between(random, 0.95, 1.02), w)];
  // Centre both loops on the same upright, give or take.
  const shift = (random() - 0.5) * 0.1 * b.w;
  const half = out.length / 2;
  const centre = (ss: Strokes) => (boundsOf(ss).x0 + boundsOf(ss).x1) / 2;
  const [a, c] = [out.slice(0, half), out.slice(half)];
  const dx = centre(c) - centre(a) + shift;
  for (const s of a) for (const p of s) p[0] += dx;
  return out;
}

/** A one-stroke digit drawn in two: cut at its topmost and bottommost points (a ring's two halves) or where asked. */
export function inTwoStrokes(digit: readonly Stroke[], random: () => number): Strokes | undefined {
  if (digit.length !== 1 || digit[0]!.length < 8) return undefined;
  const s = digit[0]!;
  const b = boundsOf(digit);
  // The pen lifts at the bottom (a 0's or a 6's lowest point) and comes down again a little off.
  let at = 0;
  s.forEach((p, i) => {
    if (i > 2 && i < s.length - 3 && p[1] > s[at]![1]) at = i;
  });
  if (at === 0) return undefined;
  const [dx, dy] = [(random() - 0.5) * 0.08 * b.size, (random() - 0.5) * 0.08 * b.size];
  return [s.slice(0, at + 1).map((p): [number, number] => [p[0], p[1]]), s.slice(at).map((p): [number, number] => [p[0] + dx, p[1] + dy])];
}

export const CONVENTIONS: readonly Convention[] = [
  { name: 'slashed zero', label: 0, weight: 3, make: slashedZero },
  { name: 'zero in two strokes', label: 0, weight: 1, make: inTwoStrokes },
  { name: 'continental one', label: 1, weight: 3, make: (s, r) => continentalOne(s, r) },
  { name: 'one with a base', label: 1, weight: 1, make: basedOne },
  { name: 'two with a loop', label: 2, weight: 1, make: loopedTwo },
  { name: 'three with a flat top', label: 3, weight: 1, make: flatTopThree },
  { name: 'closed four', label: 4, weight: 1, make: closedFour },
  { name: 'six in two strokes', label: 6, weight: 1, make: inTwoStrokes },
  { name: 'crossed seven', label: 7, weight: 1, make: crossedSeven },
  { name: 'seven without a bar', label: 7, weight: 2, make: plainSeven },
  { name: 'seven with a serif', label: 7, weight: 1, make: serifSeven },
  { name: 'eight as two loops', label: 8, weight: 1, make: stackedEight },
  { name: 'nine on a long stem', label: 9, weight: 2, make: longStemNine },
];

/**
 * One convention of the digit's kind, chosen by weight, made from its strokes; the digit as it is where none
 * applies. The 8's loops are made from a 0's strokes, so `zeroOf` gives one of the same writer's zeros.
 */
export function withConvention(label: number, strokes: readonly Stroke[], random: () => number, zeroOf?: () => readonly Stroke[] | undefined): { name?: string; strokes: Strokes } {
  const options = CONVENTIONS.filter((c) => c.label === label);
  if (!options.length) return { strokes: copy(strokes) };
  let pick = random() * options.reduce((s, c) => s + c.weight, 0);
  const convention = options.find((c) => (pick -= c.weight) < 0) ?? options.at(-1)!;
  const source = convention.name === 'eight as two loops' ? zeroOf?.() : strokes;
  const made = source && convention.make(source, random);
  return made ? { name: convention.name, strokes: made } : { strokes: copy(strokes) };
}

/**
 * A writer who writes every 0 slashed, every 1 continental (a long flag, no base) and every 7 crossed, made from
 * a real writer's digits (the others stay as they wrote them): the habits personal learning has to learn from a
 * few drawings, where a base model that never saw them misreads them.
 */
export function asConventionWriter<T extends { label: number; strokes: readonly Stroke[] }>(digits: readonly T[], random: () => number): Array<T & { strokes: Strokes }> {
  return digits.map((d) => {
    const made =
      d.label === 0 ? slashedZero(d.strokes, random) : d.label === 1 ? continentalOne(d.strokes, random, false) : d.label === 7 ? crossedSeven(plainSeven(d.strokes) ?? d.strokes, random) : undefined;
    return { ...d, strokes: made ?? copy(d.strokes) };
  });
}
