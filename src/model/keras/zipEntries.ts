/**
 * A zip (a .keras file) read with every size bounded before it costs anything. The central directory is read first:
 * each entry's name, method, sizes and where its data lies. A name that occurs twice is refused (a later entry of
 * the same name would otherwise stand in for one that passed the size checks). An entry is unpacked into a buffer
 * of the size the directory declares, in small steps, stopping the moment it would unpack to more: the declared
 * size can lie, and deflate packs a thousand bytes into one. fflate inflates. Zip64 sizes are read, and then held
 * to the same limits. Throws KerasFileError, with the reason, for anything damaged. Pure: no DOM, no tfjs.
 */
import { Inflate } from 'fflate';
import { KerasFileError } from './kerasError';

export interface ZipEntry {
  name: string;
  /** 0: stored, 8: deflated. */
  method: number;
  /** General purpose flags (bit 0: encrypted). */
  flags: number;
  compressedSize: number;
  /** What the directory says the entry unpacks to; checked while unpacking. */
  size: number;
  localHeaderOffset: number;
}

const END_OF_DIRECTORY = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_END_OF_DIRECTORY = 0x06064b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const ZIP64_EXTRA = 0x0001;
const UTF8_NAMES = 0x0800;
/** Compressed bytes inflated per step: one step can unpack to about a thousand times as much (16 MB). */
const INFLATE_STEP = 16 * 1024;

const damaged = (what: string) => new KerasFileError(`it is not a readable zip file (damaged or truncated?): ${what}.`);

/** Little-endian reads that refuse to run past the end. */
function reader(bytes: Uint8Array) {
  const need = (offset: number, length: number) => {
    if (!(offset >= 0 && offset + length <= bytes.length)) throw damaged('a record runs past the end of the file');
  };
  const u16 = (o: number) => (need(o, 2), bytes[o]! | (bytes[o + 1]! << 8));
  const u32 = (o: number) => (need(o, 4), (bytes[o]! | (bytes[o + 1]! << 8) | (bytes[o + 2]! << 16)) + bytes[o + 3]! * 0x1000000);
  const u64 = (o: number) => u32(o) + u32(o + 4) * 0x100000000;
  return { need, u16, u32, u64 };
}

function findEndOfDirectory(bytes: Uint8Array, u32: (o: number) => number): number {
  // The record is 22 bytes and ends with a comment of at most 65,535.
  for (let at = bytes.length - 22; at >= 0 && at >= bytes.length - 22 - 0xffff; at--) {
    if (bytes[at] === 0x50 && bytes[at + 1] === 0x4b && u32(at) === END_OF_DIRECTORY) return at;
  }
  throw damaged('no central directory');
}

/** The zip's entries by name, from its central directory alone (nothing is unpacked). */
export function zipDirectory(bytes: Uint8Array): Map<string, ZipEntry> {
  const { need, u16, u32, u64 } = reader(bytes);
  const end = findEndOfDirectory(bytes, u32);
  let count = u16(end + 10);
  let offset = u32(end + 16);
  if (count === 0xffff || offset === 0xffffffff) {
    const locator = end - 20;
    if (u32(locator) !== ZIP64_LOCATOR) throw damaged('its zip64 directory is missing');
    const end64 = u64(locator + 8);
    if (u32(end64) !== ZIP64_END_OF_DIRECTORY) throw damaged('its zip64 directory is missing');
    count = u64(end64 + 32);
    offset = u64(end64 + 48);
  }
  const entries = new Map<string, ZipEntry>();
  const latin1 = new TextDecoder('latin1');
  const utf8 = new TextDecoder('utf-8');
  for (let i = 0, at = offset; i < count; i++) {
    if (u32(at) !== DIRECTORY_ENTRY) throw damaged('its central directory is broken');
    const flags = u16(at + 8);
    const nameLength = u16(at + 28);
    const extraLength = u16(at + 30);
    need(at + 46, nameLength + extraLength);
    const name = (flags & UTF8_NAMES ? utf8 : latin1).decode(bytes.subarray(at + 46, at + 46 + nameLength));
    const entry: ZipEntry = { name, method: u16(at + 10), flags, compressedSize: u32(at + 20), size: u32(at + 24), localHeaderOffset: u32(at + 42) };
    // Sizes that do not fit 32 bits live in the zip64 extra field, in this order, each only if marked so above.
    for (let extra = at + 46 + nameLength; extra + 4 <= at + 46 + nameLength + extraLength; extra += 4 + u16(extra + 2)) {
      if (u16(extra) !== ZIP64_EXTRA) continue;
      let field = extra + 4;
      for (const key of ['size', 'compressedSize', 'localHeaderOffset'] as const) {
        if (entry[key] === 0xffffffff) {
          if (field + 8 > extra + 4 + u16(extra + 2)) throw damaged(`the zip64 sizes of ${name} are cut short`);
          entry[key] = u64(field);
          field += 8;
        }
      }
    }
    if (entries.has(name)) {
      throw new KerasFileError(`it holds two entries named ${name}; a zip that repeats a name is refused (which one is meant is ambiguous, and the second could slip past the size checks made on the first).`);
    }
    entries.set(name, entry);
    at += 46 + nameLength + extraLength + u16(at + 32);
  }
  return entries;
}

/**
 * One entry's bytes, unpacked into a buffer of its declared size (which the caller has checked against its limit),
 * refused the moment the data would unpack to more, or if it unpacks to less.
 */
export function unpackEntry(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
  const { need, u16, u32 } = reader(bytes);
  const at = entry.localHeaderOffset;
  if (u32(at) !== LOCAL_HEADER) throw damaged(`${entry.name} is not where the directory says`);
  const start = at + 30 + u16(at + 26) + u16(at + 28);
  need(start, entry.compressedSize);
  const data = bytes.subarray(start, start + entry.compressedSize);
  if (entry.flags & 1) throw new KerasFileError(`its ${entry.name} is encrypted.`);
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.size) throw damaged(`${entry.name} is stored as ${entry.compressedSize} bytes but declared as ${entry.size}`);
    return data;
  }
  if (entry.method !== 8) throw new KerasFileError(`its ${entry.name} is compressed with method ${entry.method}; only stored and deflated entries (what Keras writes) are read.`);
  const out = new Uint8Array(entry.size);
  let written = 0;
  const inflater = new Inflate((chunk) => {
    if (written + chunk.length > out.length) {
      throw new KerasFileError(`its ${entry.name} unpacks to more than the ${entry.size.toLocaleString('en')} bytes its zip directory declares; it is refused.`);
    }
    out.set(chunk, written);
    written += chunk.length;
  });
  try {
    if (data.length === 0) inflater.push(data, true);
    for (let i = 0; i < data.length; i += INFLATE_STEP) inflater.push(data.subarray(i, i + INFLATE_STEP), i + INFLATE_STEP >= data.length);
  } catch (error) {
    if (error instanceof KerasFileError) throw error;
    throw damaged(`${entry.name} does not inflate (${(error as Error).message})`);
  }
  if (written !== out.length) throw damaged(`${entry.name} unpacks to ${written.toLocaleString('en')} bytes, not the ${entry.size.toLocaleString('en')} its directory declares`);
  return out;
}
