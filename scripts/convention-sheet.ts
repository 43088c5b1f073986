/**
 * A picture of the handwriting conventions (src/data/conventions.ts) for a reviewer: one row per convention, the
 * real digit it was made from first (grey), then renderings made from the same training writers' digits, each as
 * the pen drew it and as the 28x28 input the model sees. Usage: npx tsx scripts/convention-sheet.ts [out.png]
 */
import { writeFileSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import { CONVENTIONS, boundsOf } from '../src/data/conventions';
import type { Stroke } from '../src/preprocess/mnistInput';
import { strokesToMnistInput } from '../src/preprocess/mnistInput';
import { seededRandom } from '../src/model/seededRandom';
import { WRITER_SPLIT, byWriters } from '../src/data/pendigits';
import { readPenDigits } from './pendigits';

const CELL = 56;
const COLUMNS = 6;
const out = process.argv[2] ?? 'docs/conventions.png';
const digits = byWriters(readPenDigits(), WRITER_SPLIT.train);
const random = seededRandom(2026);

function strokesSvg(strokes: readonly Stroke[], x: number, y: number, colour: string): string {
  const b = boundsOf(strokes);
  const scale = (CELL - 10) / b.size;
  const [ox, oy] = [x + (CELL - b.w * scale) / 2, y + (CELL - b.h * scale) / 2];
  return strokes
    .map((s) => `<polyline fill="none" stroke="${colour}" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" points="${s.map(([px, py]) => `${(ox + (px - b.x0) * scale).toFixed(1)},${(oy + (py - b.y0) * scale).toFixed(1)}`).join(' ')}"/>`)
    .join('');
}

function inputSvg(strokes: readonly Stroke[], x: number, y: number): string {
  const input = strokesToMnistInput(strokes)!;
  const px = CELL / 28;
  let svg = `<rect x="${x}" y="${y}" width="${CELL}" height="${CELL}" fill="#000"/>`;
  for (let i = 0; i < 784; i++) if (input[i]! > 0.02) svg += `<rect x="${(x + (i % 28) * px).toFixed(1)}" y="${(y + Math.floor(i / 28) * px).toFixed(1)}" width="${px.toFixed(2)}" height="${px.toFixed(2)}" fill="#fff" fill-opacity="${input[i]!.toFixed(2)}"/>`;
  return svg;
}

const labelWidth = 150;
const width = labelWidth + COLUMNS * CELL * 2 + COLUMNS * 6;
let body = '';
CONVENTIONS.forEach((c, row) => {
  const y = 8 + row * (CELL + 8);
  body += `<text x="6" y="${y + CELL / 2 + 4}" font-family="sans-serif" font-size="12">${c.name}</text>`;
  const source = digits.filter((d) => d.label === (c.name === 'eight as two loops' ? 0 : c.label));
  let made = 0;
  for (let i = 0; made < COLUMNS && i < source.length; i += 37) {
    const strokes = c.make(source[i]!.strokes, random);
    if (!strokes) continue;
    const x = labelWidth + made * (CELL * 2 + 6);
    body += strokesSvg(source[i]!.strokes, x, y, '#ccc') + strokesSvg(strokes, x, y, '#123') + inputSvg(strokes, x + CELL, y);
    made++;
  }
});
const height = 16 + CONVENTIONS.length * (CELL + 8);
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#fff"/>${body}</svg>`;
writeFileSync(out, new Resvg(svg, { fitTo: { mode: 'width', value: width } }).render().asPng());
console.log(`wrote ${out} (${CONVENTIONS.length} conventions x ${COLUMNS} writers' digits)`);
