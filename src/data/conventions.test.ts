import { describe, expect, it } from 'vitest';
import { readPenDigits } from '../../scripts/pendigits';
import { seededRandom } from '../model/seededRandom';
import { type Stroke, strokesToMnistInput } from '../preprocess/mnistInput';
import {
  CONVENTIONS,
  asConventionWriter,
  barIndex,
  basedOne,
  boundsOf,
  closedFour,
  continentalOne,
  crossedSeven,
  crossingX,
  flatTopThree,
  inTwoStrokes,
  kneeIndex,
  longStemNine,
  loopedTwo,
  penLine,
  plainSeven,
  serifSeven,
  slashedZero,
  stackedEight,
  withConvention,
} from './conventions';

const digits = readPenDigits().filter((d) => d.writer <= 20);
const of = (label: number) => digits.filter((d) => d.label === label);
const angle = (a: readonly number[], b: readonly number[]) => (Math.atan2(b[1]! - a[1]!, b[0]! - a[0]!) * 180) / Math.PI;

/** Whether the segment a-b crosses the polyline. */
function crosses(a: readonly number[], b: readonly number[], line: Stroke): boolean {
  const side = (p: readonly number[], q: readonly number[], r: readonly number[]) => Math.sign((q[0]! - p[0]!) * (r[1]! - p[1]!) - (q[1]! - p[1]!) * (r[0]! - p[0]!));
  for (let i = 1; i < line.length; i++) {
    const [c, d] = [line[i - 1]!, line[i]!];
    if (side(a, b, c) !== side(a, b, d) && side(c, d, a) !== side(c, d, b)) return true;
  }
  return false;
}

/** Every generator keeps its input as it was, is deterministic for a seed, and makes a digit that renders. */
describe.each(CONVENTIONS.map((c) => [c.name, c] as const))('the convention "%s"', (_, convention) => {
  const sources = of(convention.name === 'eight as two loops' ? 0 : convention.label).slice(0, 60);

  it('leaves the writer\'s strokes alone, is deterministic, and renders', () => {
    let made = 0;
    for (const d of sources) {
      const before = JSON.stringify(d.strokes);
      const a = convention.make(d.strokes, seededRandom(5));
      expect(JSON.stringify(d.strokes)).toBe(before);
      expect(convention.make(d.strokes, seededRandom(5))).toEqual(a);
      if (!a) continue;
      made++;
      expect(strokesToMnistInput(a)).not.toBeNull();
      for (const p of a.flat()) expect(Number.isFinite(p[0]) && Number.isFinite(p[1])).toBe(true);
    }
    // Most of the writers' digits of that kind lend themselves to it.
    expect(made / sources.length).toBeGreaterThan(0.3);
  });
});

describe('conventions, each as it is written', () => {
  it('a pen line goes from a to b with the points asked, bowed no more than asked', () => {
    const line = penLine([0, 0], [100, 0], seededRandom(1), 11, 0.05);
    expect(line).toHaveLength(11);
    expect(line[0]).toEqual([0, 0]);
    expect(line.at(-1)![0]).toBeCloseTo(100, 9);
    expect(line.at(-1)![1]).toBeCloseTo(0, 9);
    for (const [, y] of line) expect(Math.abs(y)).toBeLessThanOrEqual(5.6);
  });

  it('the knee of an L is its corner', () => {
    expect(kneeIndex([[0, 0], [0, 5], [0, 10], [5, 10], [10, 10]])).toBe(2);
  });

  it('a slashed zero keeps the ring and adds one diagonal through its middle, either way', () => {
    const ways = new Set<number>();
    for (const [i, d] of of(0).slice(0, 40).entries()) {
      const out = slashedZero(d.strokes, seededRandom(i));
      expect(out).toHaveLength(d.strokes.length + 1);
      const slash = out.find((s) => !d.strokes.some((t) => t.length === s.length && t[0]![0] === s[0]![0] && t[0]![1] === s[0]![1]))!;
      const b = boundsOf(d.strokes);
      const mid = slash[Math.floor(slash.length / 2)]!;
      expect(Math.abs(mid[0] - (b.x0 + b.x1) / 2)).toBeLessThan(b.w * 0.2);
      expect(Math.abs(mid[1] - (b.y0 + b.y1) / 2)).toBeLessThan(b.h * 0.2);
      // Diagonal: well away from upright and from flat.
      const a = Math.abs(angle(slash[0]!, slash.at(-1)!)) % 180;
      const fromFlat = Math.min(a, 180 - a);
      expect(fromFlat).toBeGreaterThan(20);
      expect(fromFlat).toBeLessThan(80);
      ways.add(Math.sign((slash.at(-1)![0] - slash[0]![0]) * (slash.at(-1)![1] - slash[0]![1])));
    }
    expect(ways).toEqual(new Set([-1, 1]));
  });

  it('a crossed 7 has a bar across its stem below the top', () => {
    for (const [i, d] of of(7).slice(0, 40).entries()) {
      const out = crossedSeven(d.strokes, seededRandom(i));
      if (!out) continue;
      const bar = out.at(-1)!;
      const b = boundsOf(d.strokes);
      expect(bar[0]![1]).toBeGreaterThan(b.y0 + b.h * 0.3);
      expect(d.strokes.some((s) => crosses(bar[0]!, bar.at(-1)!, s))).toBe(true);
      expect(crossingX(d.strokes, bar[0]![1])).toBeDefined();
    }
  });

  it('a 7 without a bar is a crossed 7 with its bar taken away, and a 7 without one has none to take', () => {
    const crossed = of(7).filter((d) => barIndex(d.strokes) >= 0);
    expect(crossed.length / of(7).length).toBeGreaterThan(0.5);
    for (const d of crossed.slice(0, 20)) {
      const out = plainSeven(d.strokes)!;
      expect(out).toHaveLength(d.strokes.length - 1);
      expect(barIndex(out)).toBe(-1);
      expect(crossedSeven(d.strokes, seededRandom(1))).toBeUndefined();
    }
    expect(plainSeven(of(7).find((d) => barIndex(d.strokes) < 0)!.strokes)).toBeUndefined();
  });

  it('a 7 with a serif starts with a short down-stroke before its bar', () => {
    let made = 0;
    for (const [i, d] of of(7).slice(0, 40).entries()) {
      const out = serifSeven(d.strokes, seededRandom(i));
      if (!out) continue;
      made++;
      const first = out.find((s, k) => s.length > d.strokes[k]!.length)!;
      // It begins below the bar's start and goes up.
      expect(first[0]![1]).toBeGreaterThan(first[4]![1]);
    }
    expect(made).toBeGreaterThan(10);
  });

  it('a continental 1 has a long flag, 28-58 degrees below the horizontal, and a base only when asked', () => {
    for (const [i, d] of of(1).slice(0, 40).entries()) {
      const out = continentalOne(d.strokes, seededRandom(i), i % 2 === 0)!;
      expect(out).toHaveLength(i % 2 === 0 ? 2 : 1);
      const stroke = out[0]!;
      const top = stroke.reduce((a, p) => (p[1] < a[1] ? p : a));
      const b = boundsOf([stroke]);
      const slope = angle(top, stroke[0]!);
      expect(180 - slope).toBeGreaterThan(27);
      expect(180 - slope).toBeLessThan(59);
      expect(Math.hypot(stroke[0]![0] - top[0], stroke[0]![1] - top[1])).toBeGreaterThan(b.h * 0.39 * 0.95);
      if (out[1]) expect(boundsOf([out[1]]).w).toBeGreaterThan(boundsOf([out[1]]).h);
    }
  });

  it('a 1 with a base has a flat base at its foot', () => {
    const out = basedOne(of(1)[0]!.strokes, seededRandom(1))!;
    expect(out).toHaveLength(2);
    const base = boundsOf([out[1]!]);
    expect(base.w).toBeGreaterThan(base.h * 3);
    expect(Math.abs(base.y0 - boundsOf([out[0]!]).y1)).toBeLessThan(boundsOf([out[0]!]).h * 0.1);
  });

  it('a closed 4 starts its diagonal at the top of its stem and keeps the stem', () => {
    let made = 0;
    for (const [i, d] of of(4).slice(0, 60).entries()) {
      const out = closedFour(d.strokes, seededRandom(i));
      if (!out) continue;
      made++;
      const stem = out[1]!;
      const top = stem.reduce((a, p) => (p[1] < a[1] ? p : a));
      const h = boundsOf([stem]).h;
      expect(Math.hypot(out[0]![0]![0] - top[0], out[0]![0]![1] - top[1])).toBeLessThan(h * 0.12);
      expect(d.strokes.some((s) => JSON.stringify(s) === JSON.stringify(stem))).toBe(true);
    }
    expect(made).toBeGreaterThan(10);
  });

  it('a 9 on a long stem is taller, with its head a smaller share of it, and the head kept', () => {
    let made = 0;
    for (const [i, d] of of(9).slice(0, 40).entries()) {
      const out = longStemNine(d.strokes, seededRandom(i));
      if (!out) continue;
      made++;
      expect(boundsOf(out).h).toBeGreaterThan(boundsOf(d.strokes).h * 1.14);
      expect(out[0]!.slice(0, 3)).toEqual(d.strokes[0]!.slice(0, 3));
      // The stem's last part is straight and near upright.
      const stem = out.at(-1)!.slice(-6);
      expect(Math.abs(90 - angle(stem[0]!, stem.at(-1)!))).toBeLessThan(12);
    }
    expect(made).toBeGreaterThan(20);
  });

  it('a 2 with a loop crosses its own path near its base', () => {
    let made = 0;
    for (const [i, d] of of(2).slice(0, 40).entries()) {
      const out = loopedTwo(d.strokes, seededRandom(i));
      if (!out) continue;
      made++;
      const s = out.reduce((a, t) => (t.length > a.length ? t : a));
      const original = d.strokes.reduce((a, t) => (t.length > a.length ? t : a));
      expect(s.length).toBe(original.length + 12);
    }
    expect(made).toBeGreaterThan(30);
  });

  it('a 3 with a flat top starts with a near-horizontal bar across the top and keeps its lower arc', () => {
    let made = 0;
    for (const [i, d] of of(3).slice(0, 40).entries()) {
      const out = flatTopThree(d.strokes, seededRandom(i));
      if (!out) continue;
      made++;
      const s = out[0]!;
      const b = boundsOf(out);
      expect(Math.abs(angle(s[0]!, s[7]!))).toBeLessThan(15);
      expect(s[0]![1]).toBeLessThan(b.y0 + b.h * 0.1);
      expect(s.at(-1)).toEqual(d.strokes[0]!.at(-1));
    }
    expect(made).toBeGreaterThan(25);
  });

  it('an 8 as two loops stacks two copies of a zero, one above the other', () => {
    const zero = of(0).find((d) => d.strokes.length === 1)!;
    const out = stackedEight(zero.strokes, seededRandom(3));
    expect(out).toHaveLength(2);
    const [top, bottom] = [boundsOf([out[0]!]), boundsOf([out[1]!])];
    expect(top.y1).toBeLessThan(bottom.y0 + bottom.h * 0.2);
    expect(Math.abs((top.x0 + top.x1) / 2 - (bottom.x0 + bottom.x1) / 2)).toBeLessThan(bottom.w * 0.25);
  });

  it('a one-stroke 0 or 6 drawn in two strokes, cut at its lowest point', () => {
    for (const label of [0, 6]) {
      const d = of(label).find((x) => x.strokes.length === 1)!;
      const out = inTwoStrokes(d.strokes, seededRandom(2))!;
      expect(out).toHaveLength(2);
      expect(out[0]!.length + out[1]!.length).toBe(d.strokes[0]!.length + 1);
    }
  });

  it('each digit takes its conventions by weight, and digits without any stay as they are', () => {
    const random = seededRandom(9);
    const counts = new Map<string, number>();
    for (const d of of(0).slice(0, 200)) {
      const made = withConvention(0, d.strokes, random);
      counts.set(made.name ?? 'none', (counts.get(made.name ?? 'none') ?? 0) + 1);
    }
    // Weights 3:1.
    expect(counts.get('slashed zero')! / 200).toBeGreaterThan(0.6);
    expect(counts.get('zero in two strokes')! / 200).toBeGreaterThan(0.12);
    const five = of(5)[0]!;
    expect(withConvention(5, five.strokes, random)).toEqual({ strokes: five.strokes.map((s) => s.map((p) => [p[0], p[1]])) });
  });

  it('a convention writer slashes every 0, flags every 1 and crosses every 7, and leaves the other digits as written', () => {
    const writer = digits.filter((d) => d.writer === 5);
    const made = asConventionWriter(writer, seededRandom(4));
    expect(made).toHaveLength(writer.length);
    made.forEach((d, i) => {
      const original = writer[i]!;
      expect(d.label).toBe(original.label);
      if (d.label === 0) expect(d.strokes).toHaveLength(original.strokes.length + 1);
      else if (d.label === 7) expect(barIndex(d.strokes)).toBeGreaterThanOrEqual(0);
      else if (d.label === 1) expect(d.strokes).toHaveLength(1);
      else expect(d.strokes).toEqual(original.strokes);
    });
  });
});
