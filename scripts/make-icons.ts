/**
 * Renders the app icons from the one SVG source (public/icon.svg) into public/icons/: 192 and 512 px "any"
 * icons, a 512 px maskable icon (the artwork inside the 80% safe zone on a full-bleed background) and a
 * 180 px Apple touch icon. Runs before dev and build; the PNGs are never committed.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';

const source = join('public', 'icon.svg');
const out = join('public', 'icons');
const svg = readFileSync(source, 'utf8');
const BACKGROUND = '#111827';

/** The artwork scaled into the central `fraction` of a square filled with the background colour. */
function padded(fraction: number): string {
  const inner = svg.replace(/^<svg[^>]*>/, '').replace(/<\/svg>\s*$/, '');
  const offset = (512 * (1 - fraction)) / 2;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512"><rect width="512" height="512" fill="${BACKGROUND}"/><g transform="translate(${offset} ${offset}) scale(${fraction})">${inner}</g></svg>`;
}

const targets: Array<{ file: string; size: number; svg: string }> = [
  { file: 'icon-192.png', size: 192, svg },
  { file: 'icon-512.png', size: 512, svg },
  { file: 'maskable-512.png', size: 512, svg: padded(0.8) },
  { file: 'apple-touch-icon-180.png', size: 180, svg: padded(0.9) },
];

const sourceTime = statSync(source).mtimeMs;
if (targets.every((t) => existsSync(join(out, t.file)) && statSync(join(out, t.file)).mtimeMs >= sourceTime)) {
  console.log('make-icons: public/icons is up to date');
} else {
  mkdirSync(out, { recursive: true });
  for (const t of targets) {
    const png = new Resvg(t.svg, { fitTo: { mode: 'width', value: t.size } }).render().asPng();
    writeFileSync(join(out, t.file), png);
  }
  console.log(`make-icons: wrote ${targets.length} icons to public/icons`);
}
