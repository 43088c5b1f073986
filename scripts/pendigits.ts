/** Reads the committed copy of the UCI pen digits (scripts/data/pendigits) for scripts and tests in Node. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { type PenDigit, parsePenDigits } from '../src/data/pendigits';

export const PENDIGITS_FILE = join(dirname(fileURLToPath(import.meta.url)), 'data', 'pendigits', 'pendigits-orig.tra.gz');

export function readPenDigits(): PenDigit[] {
  return parsePenDigits(gunzipSync(readFileSync(PENDIGITS_FILE)).toString('latin1'));
}
