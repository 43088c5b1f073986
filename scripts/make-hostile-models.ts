/**
 * Writes the hostile-model corpus (README, "Keras interoperability"; the issue "Nothing a file can do"): files
 * crafted to break the import, each small (crafted headers, not big bytes), with a manifest saying which files go
 * together in one import, what each tests and what the import must do with it. src/model/hostileModels.test.ts
 * imports every entry in Node through the function the browser's import uses (importModelFiles) and holds it to a
 * message, a time and a memory bound.
 *
 *   npx tsx scripts/make-hostile-models.ts [--out src/testing/hostile-models] [--seed 20261207]
 *
 * Deterministic: the same seed writes the same bytes. The HDF5 files are written by h5py (Debian's
 * /usr/bin/python3 with python3-h5py, which `npm test` installs for the Keras reference), the writer Keras itself
 * uses, with time tracking off, so they carry no date; zips get a fixed date. Sources, each also an entry that must
 * import (a control for the harness):
 *  - tiny-keras2.h5: a Keras 2 full-model .h5 in miniature (MaxPooling2D 7x7, Flatten, Dense 10 softmax; 170
 *    weights), laid out as Keras 2.2's model.save writes it through h5py (superblock 0, symbol tables, B-trees,
 *    local heaps, fixed-length strings), with symbol-table nodes of 4 entries instead of 32 and space allocated
 *    512 bytes at a time instead of 2,048: every structure kept, in a third of the bytes;
 *  - tiny-keras2-latest.h5: the same in the newest HDF5 format (superblock 3, checksummed object headers), which
 *    is what h5wasm, and so Digit Lab's own export, writes;
 *  - tiny.keras: the model as Keras 3 saves it (config.json, metadata.json, model.weights.h5, stored; the zips
 *    made from it deflate model.weights.h5, to a third of its bytes);
 *  - tiny.model.json + tiny.bin: the model as tensorflowjs_converter writes it;
 *  - src/testing/keras-models/kilj4eden-streamlit_minimal_ml_mnist.h5 (a real Keras 2.6 file, its model_config a
 *    variable-length string in a global heap), only cut, up to its first 8 KB.
 * The HDF5 structure boundaries (object headers, B-tree and heap nodes, global heaps, dataset data) come from h5py
 * (object addresses, data offsets) and a scan for the format's chunk signatures. Known bugs are listed at the end
 * (KNOWN_BUGS): the entries they concern are marked so in the manifest.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { deflateSync, zipSync } from 'fflate';
import { keras3Config } from '../src/model/keras/writeKeras';
import { PERSONAL_METADATA_KEY } from '../src/model/personalMetadata';
import { seededRandom } from '../src/model/seededRandom';
import { arg } from './cliArgs';

const ROOT = new URL('..', import.meta.url).pathname;
const OUT = arg('out', join(ROOT, 'src/testing/hostile-models'));
const SEED = Number(arg('seed', '20261207'));
const PYTHON = '/usr/bin/python3';
const REAL_H5 = join(ROOT, 'src/testing/keras-models/kilj4eden-streamlit_minimal_ml_mnist.h5');
/** Cuts of the real file are committed up to here (each cut weighs its offset; the tiny files cover every boundary). */
const REAL_CUT_LIMIT = 8 * 1024;
/** A fixed date for zip entries (local time, as zip stores it: the same bytes in every time zone). */
const ZIP_DATE = new Date(2024, 0, 1, 12, 0, 0);

type Json = Record<string, unknown>;
type Expect = 'refused' | 'accepted' | 'memory-refused' | 'any' | 'known-bug';

/** One import: the files picked together, what it tests, what must happen. */
export interface HostileEntry {
  id: string;
  /** Each file in the corpus folder, and the name it is picked under. */
  files: Array<{ file: string; as: string }>;
  tests: string;
  /**
   * refused: the import throws an ImportError whose message is a sentence for people (matching `reason`);
   * accepted: the import succeeds and the model reads a digit (`why` says why that is right), every weight read
   * as the file holds it (no HDF5 read failed); memory-refused: the model imports and reads, and the personal
   * memory its metadata carries is refused at activation with a message (matching `reason`); any: either of
   * refused and accepted is right (bytes flipped where no checksum guards them: `why`); known-bug: what happens
   * now is wrong (`bug` says what, `shouldBe` what should happen); the test pins the current behaviour
   * (`current`: a message pattern, accepted, or a hang), so that a fix shows.
   */
  expect: Expect;
  reason?: string;
  why?: string;
  /** Accepted: reads exactly as the tiny model does (the same weights, reached another way). */
  sameAsTiny?: boolean;
  bug?: string;
  shouldBe?: 'refused' | 'accepted';
  current?: { hangs: true } | { accepted: true } | { message: string };
}

const entries: HostileEntry[] = [];
let totalBytes = 0;
const written = new Set<string>();
const random = seededRandom(SEED);
const randomBytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(random() * 256));
const randomInt = (below: number) => Math.floor(random() * below);
const utf8 = (text: string) => new TextEncoder().encode(text);
const json = (value: unknown) => utf8(JSON.stringify(value));

/** Writes a corpus file once (a later case may reuse it); its path relative to OUT. */
function put(file: string, bytes: Uint8Array): string {
  if (written.has(file)) throw new Error(`${file} written twice`);
  written.add(file);
  mkdirSync(join(OUT, file, '..'), { recursive: true });
  writeFileSync(join(OUT, file), bytes);
  totalBytes += bytes.length;
  return file;
}

function add(entry: Omit<HostileEntry, 'files'> & { files: Array<{ file: string; as: string }> | string }): void {
  if (entries.some((e) => e.id === entry.id)) throw new Error(`entry ${entry.id} twice`);
  const files = typeof entry.files === 'string' ? [{ file: entry.files, as: entry.files.split('/').pop()! }] : entry.files;
  entries.push({ ...entry, files });
}

/** One file, refused for `reason`. */
const refuse = (id: string, file: string, tests: string, reason: string) => add({ id, files: file, tests, expect: 'refused', reason });

// ---------------------------------------------------------------------------------------------------------------
// The tiny model, in every format.

const TINY_NAME = 'tiny';
const layer = (className: string, config: Json) => ({ class_name: className, config });
const POOL = layer('MaxPooling2D', { name: 'pool', trainable: true, batch_input_shape: [null, 28, 28, 1], dtype: 'float32', pool_size: [7, 7], padding: 'valid', strides: [7, 7], data_format: 'channels_last' });
const FLATTEN = layer('Flatten', { name: 'flatten', trainable: true, dtype: 'float32', data_format: 'channels_last' });
const denseConfig = (extra: Json = {}): Json => ({
  name: 'dense',
  trainable: true,
  dtype: 'float32',
  units: 10,
  activation: 'softmax',
  use_bias: true,
  kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
  bias_initializer: { class_name: 'Zeros', config: {} },
  kernel_regularizer: null,
  bias_regularizer: null,
  activity_regularizer: null,
  kernel_constraint: null,
  bias_constraint: null,
  ...extra,
});
const DENSE = layer('Dense', denseConfig());
const TINY_LAYERS = [POOL, FLATTEN, DENSE];
const sequential = (layers: unknown, name = TINY_NAME) => ({ class_name: 'Sequential', config: { name, layers } });

/** The weights: a 16x10 kernel and 10 biases, seeded. */
const KERNEL = Float32Array.from({ length: 160 }, () => random() - 0.5);
const BIAS = Float32Array.from({ length: 10 }, () => (random() - 0.5) / 10);
const TINY_WEIGHTS = new Uint8Array([...new Uint8Array(KERNEL.buffer), ...new Uint8Array(BIAS.buffer)]);
const TINY_SPECS = [
  { name: 'dense/kernel', shape: [16, 10], dtype: 'float32' },
  { name: 'dense/bias', shape: [10], dtype: 'float32' },
];

// ---------------------------------------------------------------------------------------------------------------
// HDF5 through h5py.

/** A group for h5py to write: attributes, datasets, groups and links within. */
interface H5Node {
  attrs?: Record<string, H5Attr>;
  datasets?: Record<string, H5Dataset>;
  groups?: Record<string, H5Node>;
  links?: Record<string, { soft: string } | { external: [string, string] } | { hard: string }>;
}
type H5Attr = { vlen: string } | { fixed: string } | { fixedList: string[] } | { vlenList: string[] } | { int: number };
interface H5Dataset {
  shape: number[];
  /** Flat values; none: declared only, nothing written (chunked storage allocates nothing then). */
  data?: number[] | string[];
  dtype?: string;
  chunks?: number[];
  compression?: string;
  /** External storage: [file, offset, size] (the file is named in the HDF5 file only; nothing is written to it). */
  external?: Array<[string, number, number]>;
}
interface H5Write {
  path: string;
  libver?: 'earliest' | 'latest';
  root: H5Node;
}

const H5PY_WRITER = String.raw`
import json, sys, h5py, numpy as np
spec = json.load(sys.stdin)
def attr(obj, name, v):
    if 'vlen' in v: obj.attrs[name] = v['vlen']
    elif 'fixed' in v: obj.attrs[name] = np.bytes_(v['fixed'].encode('utf8'))
    elif 'fixedList' in v: obj.attrs[name] = np.array([s.encode('utf8') for s in v['fixedList']]) if v['fixedList'] else np.array([], dtype='S1')
    elif 'vlenList' in v: obj.attrs.create(name, v['vlenList'], dtype=h5py.string_dtype())
    elif 'int' in v: obj.attrs[name] = np.int64(v['int'])
def fill(g, node):
    for k, v in node.get('attrs', {}).items(): attr(g, k, v)
    for k, d in node.get('datasets', {}).items():
        kw = {}
        if 'chunks' in d: kw['chunks'] = tuple(d['chunks'])
        if 'compression' in d: kw['compression'] = d['compression']
        if 'external' in d: kw['external'] = [tuple(e) for e in d['external']]
        dtype = d.get('dtype', '<f4')
        if 'data' in d: g.create_dataset(k, data=np.array(d['data'], dtype=dtype).reshape(d['shape']), **kw)
        else: g.create_dataset(k, shape=tuple(d['shape']), dtype=dtype, **kw)
    for k, c in node.get('groups', {}).items():
        # No modification times (which h5py leaves on for groups, and the newest format stores).
        gcpl = h5py.h5p.create(h5py.h5p.GROUP_CREATE)
        gcpl.set_obj_track_times(False)
        fill(h5py.Group(h5py.h5g.create(g.id, k.encode(), gcpl=gcpl)), c)
    for k, l in node.get('links', {}).items():
        if 'soft' in l: g[k] = h5py.SoftLink(l['soft'])
        elif 'external' in l: g[k] = h5py.ExternalLink(l['external'][0], l['external'][1])
        elif 'hard' in l: g[k] = g[l['hard']]
# Small files: symbol-table nodes of 4 entries, metadata and small data allocated 512 bytes at a time. h5py wraps
# none of these settings: HDF5's own functions, from the library h5py loaded (Linux: found in /proc/self/maps).
import ctypes
hdf5 = ctypes.CDLL(next(p for p in open('/proc/self/maps').read().split() if '/libhdf5' in p and '_hl' not in p))
def check(status, what):
    if status < 0: raise RuntimeError(what + ' failed')
def create(w):
    fcpl = h5py.h5p.create(h5py.h5p.FILE_CREATE)
    fapl = h5py.h5p.create(h5py.h5p.FILE_ACCESS)
    fcpl.set_obj_track_times(False)
    if w.get('libver') == 'latest': fapl.set_libver_bounds(h5py.h5f.LIBVER_LATEST, h5py.h5f.LIBVER_LATEST)
    else: check(hdf5.H5Pset_sym_k(ctypes.c_int64(fcpl.id), ctypes.c_uint(2), ctypes.c_uint(2)), 'H5Pset_sym_k')
    check(hdf5.H5Pset_meta_block_size(ctypes.c_int64(fapl.id), ctypes.c_uint64(512)), 'H5Pset_meta_block_size')
    check(hdf5.H5Pset_small_data_block_size(ctypes.c_int64(fapl.id), ctypes.c_uint64(512)), 'H5Pset_small_data_block_size')
    return h5py.File(h5py.h5f.create(w['path'].encode(), h5py.h5f.ACC_TRUNC, fcpl=fcpl, fapl=fapl))
for w in spec['write']:
    with create(w) as f:
        fill(f, w['root'])
out = {'boundaries': {}, 'data': {}, 'chunks': {}}
for p in spec['boundaries']:
    marks = set()
    data = []
    with h5py.File(p, 'r') as f:
        marks.add(h5py.h5o.get_info(f.id).addr)
        def visit(name, obj):
            marks.add(h5py.h5o.get_info(obj.id).addr)
            if isinstance(obj, h5py.Dataset):
                offset = obj.id.get_offset()
                if offset is not None:
                    marks.add(offset)
                    marks.add(offset + obj.id.get_storage_size())
                    data.append([int(offset), int(offset + obj.id.get_storage_size())])
        f.visititems(visit)
    out['boundaries'][p] = sorted(int(m) for m in marks)
    out['data'][p] = sorted(data)
for p, name in spec.get('chunks', []):
    with h5py.File(p, 'r') as f:
        info = f[name].id.get_chunk_info(0)
        out['chunks'][p + ':' + name] = [int(info.byte_offset), int(info.size)]
json.dump(out, sys.stdout)
`;

interface H5pyResult {
  boundaries: Record<string, number[]>;
  /** Each dataset's raw data, [start, end). */
  data: Record<string, Array<[number, number]>>;
  chunks: Record<string, [number, number]>;
}

const scratch = mkdtempSync(join(tmpdir(), 'hostile-models-'));
/** Writes HDF5 files with h5py (in a scratch folder, its working directory too) and reads structure back. */
function h5py(writes: H5Write[], boundaries: string[] = [], chunks: Array<[string, string]> = []): H5pyResult {
  const input = JSON.stringify({ write: writes, boundaries, chunks });
  return JSON.parse(execFileSync(PYTHON, ['-c', H5PY_WRITER], { input, cwd: scratch, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as H5pyResult;
}

const floats = (values: Float32Array) => Array.from(values);
const KERAS2_ATTRS = { keras_version: { fixed: '2.2.4' }, backend: { fixed: 'tensorflow' } };

/** The root of a Keras 2 full-model .h5 with this model_config (a string, or an attribute as given) and weights. */
function keras2Root(modelConfig: H5Attr | undefined, weights: { dense?: H5Node; layerNames?: string[]; extraLayers?: Record<string, H5Node> } = {}): H5Node {
  const layerNames = weights.layerNames ?? ['pool', 'flatten', 'dense'];
  const dense: H5Node = weights.dense ?? {
    attrs: { weight_names: { fixedList: ['dense/kernel:0', 'dense/bias:0'] } },
    groups: { dense: { datasets: { 'kernel:0': { shape: [16, 10], data: floats(KERNEL) }, 'bias:0': { shape: [10], data: floats(BIAS) } } } },
  };
  const empty: H5Node = { attrs: { weight_names: { fixedList: [] } } };
  return {
    attrs: { ...KERAS2_ATTRS, ...(modelConfig ? { model_config: modelConfig } : {}) },
    groups: {
      model_weights: {
        attrs: { layer_names: { fixedList: layerNames }, ...KERAS2_ATTRS },
        groups: { pool: empty, flatten: empty, dense, ...weights.extraLayers },
      },
    },
  };
}
const configAttr = (config: unknown): H5Attr => ({ fixed: JSON.stringify(config) });
const TINY_CONFIG = sequential(TINY_LAYERS);

/** The .keras model.weights.h5 of the tiny model (Keras 3: layers/<key>/vars/N). */
const keras3WeightsRoot = (dense?: H5Node): H5Node => ({
  groups: {
    layers: {
      groups: {
        max_pooling2d: { groups: { vars: {} } },
        flatten: { groups: { vars: {} } },
        dense: dense ?? { groups: { vars: { datasets: { '0': { shape: [16, 10], data: floats(KERNEL) }, '1': { shape: [10], data: floats(BIAS) } } } } },
      },
    },
    vars: {},
  },
});

// ---------------------------------------------------------------------------------------------------------------
// HDF5 structure: superblocks, boundaries, checksums.

const u64 = (bytes: Uint8Array, at: number) => Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(at, true));
const setU64 = (bytes: Uint8Array, at: number, value: bigint) => new DataView(bytes.buffer, bytes.byteOffset).setBigUint64(at, value, true);

/** Bob Jenkins's lookup3 hashlittle, as HDF5 checksums its version 2 and 3 superblocks and object headers. */
function lookup3(key: Uint8Array, initval = 0): number {
  let length = key.length;
  let a = (0xdeadbeef + length + initval) >>> 0;
  let b = a;
  let c = a;
  const rot = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;
  const word = (i: number) => (key[i]! | (key[i + 1]! << 8) | (key[i + 2]! << 16) | (key[i + 3]! << 24)) >>> 0;
  let i = 0;
  while (length > 12) {
    a = (a + word(i)) >>> 0;
    b = (b + word(i + 4)) >>> 0;
    c = (c + word(i + 8)) >>> 0;
    a = (a - c) >>> 0; a = (a ^ rot(c, 4)) >>> 0; c = (c + b) >>> 0;
    b = (b - a) >>> 0; b = (b ^ rot(a, 6)) >>> 0; a = (a + c) >>> 0;
    c = (c - b) >>> 0; c = (c ^ rot(b, 8)) >>> 0; b = (b + a) >>> 0;
    a = (a - c) >>> 0; a = (a ^ rot(c, 16)) >>> 0; c = (c + b) >>> 0;
    b = (b - a) >>> 0; b = (b ^ rot(a, 19)) >>> 0; a = (a + c) >>> 0;
    c = (c - b) >>> 0; c = (c ^ rot(b, 4)) >>> 0; b = (b + a) >>> 0;
    length -= 12;
    i += 12;
  }
  if (length === 0) return c;
  const k = (j: number) => (j < length ? key[i + j]! : 0);
  a = (a + (k(0) | (k(1) << 8) | (k(2) << 16) | (k(3) << 24))) >>> 0;
  b = (b + (k(4) | (k(5) << 8) | (k(6) << 16) | (k(7) << 24))) >>> 0;
  c = (c + (k(8) | (k(9) << 8) | (k(10) << 16) | (k(11) << 24))) >>> 0;
  c = (c ^ b) >>> 0; c = (c - rot(b, 14)) >>> 0;
  a = (a ^ c) >>> 0; a = (a - rot(c, 11)) >>> 0;
  b = (b ^ a) >>> 0; b = (b - rot(a, 25)) >>> 0;
  c = (c ^ b) >>> 0; c = (c - rot(b, 16)) >>> 0;
  a = (a ^ c) >>> 0; a = (a - rot(c, 4)) >>> 0;
  b = (b ^ a) >>> 0; b = (b - rot(a, 14)) >>> 0;
  c = (c ^ b) >>> 0; c = (c - rot(b, 24)) >>> 0;
  return c;
}

/** Where a superblock's fields are (8-byte offsets and lengths, as every file here has). */
interface Superblock {
  version: number;
  size: number;
  eoa: number;
  root: number;
}
function superblock(bytes: Uint8Array): Superblock {
  const version = bytes[8]!;
  if (version === 0) return { version, size: 96, eoa: 40, root: 64 };
  if (version === 2 || version === 3) return { version, size: 48, eoa: 28, root: 36 };
  throw new Error(`superblock version ${version} is not handled here`);
}
/** A version 2/3 superblock's checksum made right again after a change (`version`: the file's before it). */
function fixChecksum(bytes: Uint8Array, version = bytes[8]!): Uint8Array {
  if (version >= 2) new DataView(bytes.buffer, bytes.byteOffset).setUint32(44, lookup3(bytes.subarray(0, 44)), true);
  return bytes;
}

const SIGNATURES = ['OHDR', 'OCHK', 'TREE', 'HEAP', 'SNOD', 'GCOL', 'BTHD', 'BTLF', 'BTIN', 'FRHP', 'FHDB', 'FHIB', 'FSHD', 'FSSE', 'SMTB', 'SMLI'];
/** Every structure boundary of an HDF5 file: h5py's object addresses and data ranges, chunk signatures, the superblock's end. */
function boundaries(bytes: Uint8Array, fromH5py: number[]): Array<{ at: number; what: string }> {
  const marks = new Map<number, string>([
    [8, 'after the signature'],
    [superblock(bytes).size, 'at the end of the superblock'],
  ]);
  const text = new TextDecoder('latin1').decode(bytes);
  for (const sig of SIGNATURES) for (let at = text.indexOf(sig); at >= 0; at = text.indexOf(sig, at + 1)) if (!marks.has(at)) marks.set(at, `at a ${sig} node`);
  for (const at of fromH5py) if (!marks.has(at)) marks.set(at, 'at an object header or dataset data');
  // (a signature found first names the mark; object headers of version 1 have none)
  return [...marks]
    .filter(([at]) => at > 0 && at < bytes.length)
    .sort(([x], [y]) => x - y)
    .map(([at, what]) => ({ at, what }));
}

// ---------------------------------------------------------------------------------------------------------------
// Zips.

interface ZipItem {
  name: string;
  data: Uint8Array;
  /** 0 stored, 8 deflated (data deflated here), or any other number written as it is (data as given). */
  method?: number;
  /** Overrides of what the headers declare. */
  size?: number;
  compressedSize?: number;
  flags?: number;
  localOffset?: number;
  /** The central directory's name of the entry, when it differs from the local header's. */
  directoryName?: string;
  /** An extra field in the central directory, and the length the directory declares for it. */
  extra?: Uint8Array;
  extraLength?: number;
}

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * A zip written entry by entry, each header field as given (so it can lie): local headers, central directory, end
 * record (its count, directory offset and comment overridable). Dates fixed.
 */
function zip(items: ZipItem[], end: { count?: number; offset?: number; comment?: Uint8Array; directoryPadding?: Uint8Array } = {}): Uint8Array {
  const parts: Uint8Array[] = [];
  let offset = 0;
  const push = (bytes: Uint8Array) => {
    parts.push(bytes);
    offset += bytes.length;
  };
  const dosTime = ((ZIP_DATE.getHours() << 11) | (ZIP_DATE.getMinutes() << 5) | (ZIP_DATE.getSeconds() >> 1)) & 0xffff;
  const dosDate = (((ZIP_DATE.getFullYear() - 1980) << 9) | ((ZIP_DATE.getMonth() + 1) << 5) | ZIP_DATE.getDate()) & 0xffff;
  const directory: Uint8Array[] = [];
  for (const item of items) {
    const method = item.method ?? 0;
    const stored = method === 8 ? deflateSync(item.data, { level: 6 }) : item.data;
    const name = utf8(item.name);
    const local = new Uint8Array(30 + name.length);
    const l = new DataView(local.buffer);
    l.setUint32(0, 0x04034b50, true);
    l.setUint16(4, 20, true);
    l.setUint16(6, item.flags ?? 0x0800, true);
    l.setUint16(8, method, true);
    l.setUint16(10, dosTime, true);
    l.setUint16(12, dosDate, true);
    l.setUint32(14, crc32(item.data), true);
    l.setUint32(18, item.compressedSize ?? stored.length, true);
    l.setUint32(22, item.size ?? item.data.length, true);
    l.setUint16(26, name.length, true);
    local.set(name, 30);
    const at = offset;
    push(local);
    push(stored);
    const dirName = utf8(item.directoryName ?? item.name);
    const extra = item.extra ?? new Uint8Array(0);
    const entry = new Uint8Array(46 + dirName.length + extra.length);
    const d = new DataView(entry.buffer);
    d.setUint32(0, 0x02014b50, true);
    d.setUint16(4, 20, true);
    d.setUint16(6, 20, true);
    d.setUint16(8, item.flags ?? 0x0800, true);
    d.setUint16(10, method, true);
    d.setUint16(12, dosTime, true);
    d.setUint16(14, dosDate, true);
    d.setUint32(16, crc32(item.data), true);
    d.setUint32(20, item.compressedSize ?? stored.length, true);
    d.setUint32(24, item.size ?? item.data.length, true);
    d.setUint16(28, dirName.length, true);
    d.setUint16(30, item.extraLength ?? extra.length, true);
    d.setUint32(42, item.localOffset ?? at, true);
    entry.set(dirName, 46);
    entry.set(extra, 46 + dirName.length);
    directory.push(entry);
  }
  const directoryStart = offset;
  for (const entry of directory) push(entry);
  if (end.directoryPadding) push(end.directoryPadding);
  const comment = end.comment ?? new Uint8Array(0);
  const record = new Uint8Array(22 + comment.length);
  const r = new DataView(record.buffer);
  r.setUint32(0, 0x06054b50, true);
  r.setUint16(8, end.count ?? items.length, true);
  r.setUint16(10, end.count ?? items.length, true);
  r.setUint32(12, offset - directoryStart, true);
  r.setUint32(16, end.offset ?? directoryStart, true);
  r.setUint16(20, comment.length, true);
  record.set(comment, 22);
  push(record);
  const out = new Uint8Array(offset);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Writing.

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });

const at = (name: string) => join(scratch, name);

// Semantic .h5 variants, written together with the sources in one h5py run.
const lambdaLayer = layer('Lambda', { name: 'evil', trainable: true, dtype: 'float32', function: ['4wEAAAAAAAAAAAAAAAEAAAACAAAAQwAAAHMEAAAAfABTACkBTqkAKQHaAXhyAQAAAHIBAAAA+gd0ZXN0LnB52gg8bGFtYmRhPgEAAADzAAAAAA==', null, null], function_type: 'lambda', module: 'builtins', output_shape: null, output_shape_type: 'raw', output_shape_module: null, arguments: {} });
const withDense = (extra: Json) => sequential([POOL, FLATTEN, layer('Dense', denseConfig(extra))]);
const deepText = (depth: number) => `{"class_name": "Sequential", "config": {"name": "deep", "layers": ${'['.repeat(depth)}${']'.repeat(depth)}}}`;
const denseWith = (kernel: H5Dataset, bias: H5Dataset = { shape: [10], data: floats(BIAS) }, names = ['dense/kernel:0', 'dense/bias:0']): H5Node => ({
  attrs: { weight_names: { fixedList: names } },
  groups: { dense: { datasets: { 'kernel:0': kernel, 'bias:0': bias } } },
});
const KERNEL_DATA: H5Dataset = { shape: [16, 10], data: floats(KERNEL) };
/** Names of the same length as the ones they are patched to after h5py writes them (it writes nothing to them). */
const EXTERNAL_NAMES: Array<[string, string]> = [
  ['ext-data.bin', '/dev/urandom'],
  ['ext-data.bi', '/etc/passwd'],
];

const h5Semantic: Array<{ id: string; tests: string; root: H5Node; expect?: Expect; reason: string; why?: string; sameAsTiny?: boolean }> = [
  { id: 'weights-only', tests: 'an .h5 with model_weights but no model_config (save_weights)', root: keras2Root(undefined), reason: 'holds only weights' },
  { id: 'not-keras', tests: 'an HDF5 file with one dataset and nothing of Keras', root: { datasets: { data: { shape: [4], data: [1, 2, 3, 4] } } }, reason: 'not a Keras model: it has no model_config' },
  { id: 'config-not-json', tests: 'model_config that is not JSON', root: keras2Root({ fixed: '{"class_name": "Sequential", "config": {"layers": [' }), reason: 'model_config is not valid JSON' },
  { id: 'config-nested-10000', tests: 'model_config nested 10,000 arrays deep', root: keras2Root({ fixed: deepText(10_000) }), reason: 'nests arrays and objects more than 100 levels deep' },
  { id: 'config-two-strings', tests: 'model_config a list of two strings', root: keras2Root({ vlenList: [JSON.stringify(TINY_CONFIG), '{}'] }), reason: 'model_config is not one string' },
  { id: 'config-an-integer', tests: 'model_config an integer attribute', root: keras2Root({ int: 42 }), reason: 'holds only weights|not a Keras model' },
  { id: 'config-null', tests: 'model_config the JSON text null', root: keras2Root({ vlen: 'null' }), reason: 'names no model class' },
  { id: 'config-array', tests: 'model_config an empty JSON array', root: keras2Root({ fixed: '[]' }), reason: 'names no model class' },
  { id: 'config-layers-string', tests: 'a Sequential model_config whose layers are a string', root: keras2Root(configAttr(sequential('x'))), reason: 'lists no layers' },
  { id: 'config-unknown-model-class', tests: "model_config's class_name 'constructor'", root: keras2Root(configAttr({ class_name: 'constructor', config: { layers: [] } })), reason: 'neither Sequential nor a functional Model' },
  { id: 'lambda', tests: 'a Lambda layer (Python bytecode)', root: keras2Root(configAttr(sequential([POOL, FLATTEN, lambdaLayer, DENSE]))), reason: 'Lambda layer, which holds Python code' },
  { id: 'dense-units-1e12', tests: 'Dense units 1e12 (weights as the tiny model)', root: keras2Root(configAttr(withDense({ units: 1e12 }))), reason: 'needs a weight of shape \\[16, 1000000000000\\]' },
  { id: 'input-1e9', tests: 'an input shape [null, 1e9, 1e9, 1]', root: keras2Root(configAttr(sequential([{ ...POOL, config: { ...POOL.config, batch_input_shape: [null, 1e9, 1e9, 1] } }, FLATTEN, DENSE]))), reason: "input is|output is|cannot|need" },
  { id: 'weight-missing', tests: 'weight_names naming a dataset that is not there', root: keras2Root(configAttr(TINY_CONFIG), { dense: denseWith(KERNEL_DATA, undefined, ['dense/kernel:0', 'dense/nothing:0']) }), reason: 'is not in the file' },
  { id: 'weight-a-group', tests: 'weight_names naming a group', root: keras2Root(configAttr(TINY_CONFIG), { dense: { ...denseWith(KERNEL_DATA), attrs: { weight_names: { fixedList: ['dense/kernel:0', 'dense'] } } } }), reason: 'is not in the file' },
  { id: 'weight-path-traversal', tests: "weight_names '../../../etc/passwd'", root: keras2Root(configAttr(TINY_CONFIG), { dense: denseWith(KERNEL_DATA, undefined, ['dense/kernel:0', '../../../etc/passwd']) }), reason: 'is not in the file' },
  { id: 'weight-ints', tests: 'a weight of 32-bit integers', root: keras2Root(configAttr(TINY_CONFIG), { dense: denseWith(KERNEL_DATA, { shape: [10], data: Array(10).fill(1), dtype: '<i4' }) }), reason: 'does not hold floating-point numbers' },
  { id: 'weight-strings', tests: 'a weight of strings', root: keras2Root(configAttr(TINY_CONFIG), { dense: denseWith(KERNEL_DATA, { shape: [10], data: Array(10).fill('NaN'), dtype: 'S3' }) }), reason: 'does not hold floating-point numbers' },
  { id: 'weight-float64', tests: 'weights of float64 (Keras can write them: read as float32)', root: keras2Root(configAttr(TINY_CONFIG), { dense: denseWith({ ...KERNEL_DATA, dtype: '<f8' }, { shape: [10], data: floats(BIAS), dtype: '<f8' }) }), expect: 'accepted', reason: '', why: 'float64 weights are numbers Keras can save (a float64 model); they are read as float32.', sameAsTiny: true },
  { id: 'weight-float16', tests: 'weights of float16', root: keras2Root(configAttr(TINY_CONFIG), { dense: denseWith({ ...KERNEL_DATA, dtype: '<f2' }, { shape: [10], data: floats(BIAS), dtype: '<f2' }) }), expect: 'accepted', reason: '', why: 'float16 weights are numbers Keras can save (a float16 model); they are read as float32.' },
  { id: 'weight-float16-big-endian', tests: 'weights of big-endian float16', root: keras2Root(configAttr(TINY_CONFIG), { dense: denseWith({ ...KERNEL_DATA, dtype: '>f2' }, { shape: [10], data: floats(BIAS), dtype: '>f2' }) }), expect: 'accepted', reason: '', why: 'float16 weights are numbers Keras can save (a float16 model); they are read as float32.' },
  { id: 'weight-float16-nan', tests: 'weights of float16, a bias NaN and one +Infinity', root: keras2Root(configAttr(TINY_CONFIG), { dense: denseWith({ ...KERNEL_DATA, dtype: '<f2' }, { shape: [10], data: ['nan', 'inf', ...floats(BIAS).slice(2).map(String)], dtype: '<f2' }) }), reason: 'holds NaN, not a number a model can read with' },
  { id: 'weight-float128', tests: 'a kernel of 128-bit floats (numpy’s longdouble)', root: keras2Root(configAttr(TINY_CONFIG), { dense: denseWith({ ...KERNEL_DATA, dtype: '<f16' }) }), reason: 'holds 128-bit floating-point numbers, which Digit Lab does not read' },
  { id: 'weight-shape', tests: 'a kernel of shape [10, 16] for a [16, 10] layer', root: keras2Root(configAttr(TINY_CONFIG), { dense: denseWith({ shape: [10, 16], data: floats(KERNEL) }) }), reason: 'needs a weight of shape \\[16, 10\\]' },
  { id: 'weight-declared-40gb', tests: 'a kernel declared [100000, 100000] (40 GB, chunked, never written: the file stays small)', root: keras2Root(configAttr(TINY_CONFIG), { dense: denseWith({ shape: [100_000, 100_000], chunks: [1000, 1000] }) }), reason: 'needs a weight of shape \\[16, 10\\]' },
  {
    id: 'weights-declared-104mb',
    tests: 'a topology that needs 108 MB of weights (Dense 1e6 then Dense 10) and datasets declared to match (chunked, never written)',
    root: keras2Root(configAttr(sequential([POOL, FLATTEN, layer('Dense', denseConfig({ name: 'wide', units: 1_000_000, activation: 'relu' })), DENSE])), {
      layerNames: ['pool', 'flatten', 'wide', 'dense'],
      dense: { ...denseWith({ shape: [1_000_000, 10], chunks: [10_000, 10] }) },
      extraLayers: { wide: { attrs: { weight_names: { fixedList: ['wide/kernel:0', 'wide/bias:0'] } }, groups: { wide: { datasets: { 'kernel:0': { shape: [16, 1_000_000], chunks: [16, 10_000] }, 'bias:0': { shape: [1_000_000], chunks: [10_000] } } } } } },
    }),
    reason: 'weights need 108\\.0 MB; models over 64 MB are refused',
  },
  { id: 'weight-lzf', tests: 'a weight compressed with LZF (h5py’s own filter)', root: keras2Root(configAttr(TINY_CONFIG), { dense: denseWith({ ...KERNEL_DATA, chunks: [16, 10], compression: 'lzf' }) }), expect: 'accepted', reason: '', why: 'h5wasm has the LZF filter: the weights read as written.', sameAsTiny: true },
  { id: 'weight-gzip-damaged', tests: 'a gzip-compressed weight whose chunk is damaged', root: keras2Root(configAttr(TINY_CONFIG), { dense: denseWith({ ...KERNEL_DATA, chunks: [16, 10], compression: 'gzip' }) }), reason: 'cannot be read' },
  ...EXTERNAL_NAMES.map(([name, target]) => ({
    id: `weight-external-${target.replace(/\W+/g, '-').replace(/^-/, '')}`,
    tests: `a weight stored outside the file, in ${target} (HDF5 external storage)`,
    root: keras2Root(configAttr(TINY_CONFIG), { dense: denseWith({ shape: [16, 10], external: [[name, 0, 640]] }) }),
    reason: 'cannot be read',
  })),
  { id: 'weight-external-link', tests: 'a weight that is an external link to /etc/passwd', root: keras2Root(configAttr(TINY_CONFIG), { dense: { attrs: { weight_names: { fixedList: ['dense/kernel:0', 'dense/bias:0'] } }, groups: { dense: { datasets: { 'kernel:0': KERNEL_DATA }, links: { 'bias:0': { external: ['/etc/passwd', '/bias'] } } } } } }), reason: 'is not in the file' },
  { id: 'weight-soft-link-loop', tests: 'a weight that is a soft link to itself', root: keras2Root(configAttr(TINY_CONFIG), { dense: { attrs: { weight_names: { fixedList: ['dense/kernel:0', 'dense/bias:0'] } }, groups: { dense: { datasets: { 'kernel:0': KERNEL_DATA }, links: { 'bias:0': { soft: '/model_weights/dense/dense/bias:0' } } } } } }), reason: 'is not in the file' },
  {
    id: 'group-cycle',
    tests: 'a group that holds a hard link to the root (a cycle)',
    root: { ...keras2Root(configAttr(TINY_CONFIG)), links: { loop: { hard: '/' } } },
    expect: 'accepted',
    reason: '',
    why: 'the model is whole; the reader follows the paths the file names and never walks the tree, so a cycle costs nothing.',
    sameAsTiny: true,
  },
  {
    id: 'layer-names-1000',
    tests: 'layer_names listing 1,000 layers that have no groups besides the model’s three',
    root: keras2Root(configAttr(TINY_CONFIG), { layerNames: ['pool', 'flatten', 'dense', ...Array.from({ length: 1000 }, (_, i) => `ghost_${i}`)] }),
    expect: 'accepted',
    reason: '',
    why: 'layers listed without weights give the model nothing; the three that the config has are whole.',
    sameAsTiny: true,
  },
  { id: 'weight-names-1000', tests: 'weight_names listing 1,000 weights for the Dense layer', root: keras2Root(configAttr(TINY_CONFIG), { dense: denseWith(KERNEL_DATA, undefined, Array.from({ length: 1000 }, () => 'dense/kernel:0')) }), reason: 'needs 2 weights, and the file holds 1000' },
  { id: 'weights-for-unknown-layer', tests: 'weights for a layer the config does not have', root: keras2Root(configAttr(TINY_CONFIG), { layerNames: ['pool', 'flatten', 'dense', 'ghost'], extraLayers: { ghost: denseWith(KERNEL_DATA) } }), reason: 'holds weights for a layer ghost that its config does not have' },
];

const tinyKeras3Config = keras3Config(TINY_CONFIG as never, [null, 28, 28, 1]);
const sources: H5Write[] = [
  { path: at('tiny-keras2.h5'), root: keras2Root(configAttr(TINY_CONFIG)) },
  { path: at('tiny-keras2-latest.h5'), libver: 'latest', root: keras2Root(configAttr(TINY_CONFIG)) },
  { path: at('keras3-weights.h5'), root: keras3WeightsRoot() },
  ...h5Semantic.map((c) => ({ path: at(`semantic-${c.id}.h5`), root: c.root })),
];
const structure = h5py(sources, [at('tiny-keras2.h5'), at('tiny-keras2-latest.h5'), REAL_H5], [[at('semantic-weight-gzip-damaged.h5'), '/model_weights/dense/dense/kernel:0']]);
const read = (path: string) => new Uint8Array(readFileSync(path));
const V0 = read(at('tiny-keras2.h5'));
const V3 = read(at('tiny-keras2-latest.h5'));
const REAL = read(REAL_H5);
const KERAS3_WEIGHTS = read(at('keras3-weights.h5'));
if (lookup3(V3.subarray(0, 44)) !== new DataView(V3.buffer).getUint32(44, true)) throw new Error('lookup3 does not reproduce the superblock checksum');

// Controls: each source imports and reads a digit.
put('h5/tiny-keras2.h5', V0);
put('h5/tiny-keras2-latest.h5', V3);
add({ id: 'control-h5-keras2', files: 'h5/tiny-keras2.h5', tests: 'the tiny Keras 2 .h5 as h5py writes it (the source of the cuts and flips)', expect: 'accepted', why: 'a whole, valid model: the control.', sameAsTiny: true });
add({ id: 'control-h5-latest', files: 'h5/tiny-keras2-latest.h5', tests: 'the tiny Keras 2 .h5 in the newest HDF5 format', expect: 'accepted', why: 'a whole, valid model: the control.', sameAsTiny: true });
const KERAS_ENTRIES = { metadata: json({ keras_version: '3.1.1', date_saved: '2024-01-01@12:00:00' }), config: json(tinyKeras3Config), weights: KERAS3_WEIGHTS };
/** The tiny .keras's entries; model.weights.h5 deflated (a third of the bytes: the cases that lie are many). */
const kerasItems = (): ZipItem[] => [
  { name: 'metadata.json', data: KERAS_ENTRIES.metadata },
  { name: 'config.json', data: KERAS_ENTRIES.config },
  { name: 'model.weights.h5', data: KERAS_ENTRIES.weights, method: 8 },
];
put('keras/tiny.keras', zip(kerasItems().map((i) => ({ ...i, method: 0 }))));
add({ id: 'control-keras', files: 'keras/tiny.keras', tests: 'the tiny model as Keras 3 saves it (stored entries)', expect: 'accepted', why: 'a whole, valid model: the control.', sameAsTiny: true });
put('keras/tiny-fflate-deflated.keras', zipSync({ 'metadata.json': KERAS_ENTRIES.metadata, 'config.json': KERAS_ENTRIES.config, 'model.weights.h5': KERAS_ENTRIES.weights }, { level: 6, mtime: ZIP_DATE }));
add({ id: 'control-keras-deflated', files: 'keras/tiny-fflate-deflated.keras', tests: 'the tiny .keras deflated by another zip writer (fflate)', expect: 'accepted', why: 'a whole, valid model: the control.', sameAsTiny: true });
const TINY_JSON = { format: 'layers-model', generatedBy: 'scripts/make-hostile-models.ts', convertedBy: null, modelTopology: TINY_CONFIG, weightsManifest: [{ paths: ['tiny.bin'], weights: TINY_SPECS }] };
put('json/tiny.bin', TINY_WEIGHTS);
const TINY_BIN = { file: 'json/tiny.bin', as: 'tiny.bin' };
put('json/tiny.model.json', json(TINY_JSON));
add({ id: 'control-model-json', files: [{ file: 'json/tiny.model.json', as: 'model.json' }, TINY_BIN], tests: 'the tiny model as tensorflowjs_converter writes it', expect: 'accepted', why: 'a whole, valid model: the control (the tiny model’s readings, which sameAsTiny entries must give exactly).', sameAsTiny: true });

// ---------------------------------------------------------------------------------------------------------------
// HDF5 cut at every structure boundary; cut with the superblock's end-of-file address moved to the cut (so that
// HDF5 opens it and meets the missing part later); the bytes from the boundary on zeroed (the file's length kept).

const HDF5_OPEN = 'not a readable HDF5 file|not an HDF5 file|is empty';
/** What the reader may say of a file whose structures are missing or zeroed from some point on. */
const HDF5_DAMAGED = 'not a readable HDF5 file|not an HDF5 file|cannot be read|is not in the file|not a Keras model|holds only weights|is not valid JSON|does not hold floating-point|holds \\d+ numbers|needs \\d+ weights|damaged';

function cuts(label: string, source: Uint8Array, marks: Array<{ at: number; what: string }>, variants: { eoa: boolean; zeroed: boolean }, tests: string, data: Array<[number, number]> = []): void {
  /** Whether every byte from `from` on is weight values (no structure). */
  const onlyData = (from: number) => {
    let at = from;
    for (const [start, end] of data) if (start <= at && at < end) at = end;
    return at >= source.length;
  };
  const sb = superblock(source);
  for (const { at: cut, what } of marks) {
    const prefix = `h5/${label}-cut-${cut}`;
    refuse(`${label}-cut-${cut}`, put(`${prefix}.h5`, source.slice(0, cut)), `${tests} cut ${what} (${cut} of ${source.length} bytes)`, HDF5_OPEN);
    if (variants.eoa && cut >= sb.size) {
      const moved = source.slice(0, cut);
      setU64(moved, sb.eoa, BigInt(cut));
      refuse(`${label}-cut-${cut}-eoa`, put(`${prefix}-eoa.h5`, fixChecksum(moved)), `${tests} cut ${what} (${cut} bytes), its superblock saying the file ends there`, HDF5_DAMAGED);
    }
    if (variants.zeroed && cut >= sb.size && /object header|dataset data/.test(what)) {
      const zeroed = source.slice();
      zeroed.fill(0, cut);
      const file = put(`h5/${label}-zeroed-from-${cut}.h5`, zeroed);
      const id = `${label}-zeroed-from-${cut}`;
      const zeroedTests = `${tests} with every byte from ${cut} (${what}) zeroed`;
      if (onlyData(cut)) add({ id, files: file, tests: zeroedTests, expect: 'accepted', why: 'only weight values are zeroed (the last bytes of the file are the bias): a whole file of another model.' });
      else refuse(id, file, zeroedTests, HDF5_DAMAGED);
    }
  }
}

const spread = (n: number) => [0, 8, 48, 96, 512, 1024, 2048, 4096, Math.floor(n / 2), n - 1].filter((x) => x < n);
const withSpread = (marks: Array<{ at: number; what: string }>, n: number) => {
  const seen = new Set(marks.map((m) => m.at));
  const extra = spread(n)
    .filter((x) => !seen.has(x))
    .map((x) => ({ at: x, what: x === 0 ? 'to nothing' : x === n - 1 ? 'one byte short' : x === Math.floor(n / 2) ? 'in the middle' : `at byte ${x}` }));
  return [...marks, ...extra].sort((a, b) => a.at - b.at);
};
/** Each object header cut halfway into its first 16 bytes too. */
const halfway = (marks: Array<{ at: number; what: string }>, n: number) => marks.filter((m) => /object header|OHDR/.test(m.what) && m.at + 8 < n).map((m) => ({ at: m.at + 8, what: `8 bytes into ${m.what.replace(/^at /, '')}` }));

const v0Marks = boundaries(V0, structure.boundaries[at('tiny-keras2.h5')]!);
cuts('tiny-keras2', V0, withSpread([...v0Marks, ...halfway(v0Marks, V0.length)], V0.length), { eoa: true, zeroed: true }, 'the tiny Keras 2 .h5', structure.data[at('tiny-keras2.h5')]);
const v3Marks = boundaries(V3, structure.boundaries[at('tiny-keras2-latest.h5')]!);
cuts('tiny-latest', V3, withSpread([...v3Marks, ...halfway(v3Marks, V3.length)], V3.length), { eoa: true, zeroed: false }, 'the tiny .h5 in the newest HDF5 format');
const realMarks = withSpread(boundaries(REAL, structure.boundaries[REAL_H5]!), REAL.length).filter((m) => m.at <= REAL_CUT_LIMIT);
cuts('real-keras26', REAL, realMarks, { eoa: true, zeroed: false }, 'a real Keras 2.6 .h5 (kilj4eden)');

// ---------------------------------------------------------------------------------------------------------------
// Superblocks changed: named fields, then seeded random bytes; object headers and everything else, seeded.

function patched(source: Uint8Array, change: (bytes: Uint8Array) => void, checksum = true): Uint8Array {
  const bytes = source.slice();
  change(bytes);
  return checksum ? fixChecksum(bytes, source[8]) : bytes;
}
const setByte = (offset: number, value: number) => (b: Uint8Array) => {
  b[offset] = value;
};
const setAddress = (offset: number, value: bigint) => (b: Uint8Array) => setU64(b, offset, value);
const MAX64 = 0xffffffffffffffffn;

const v0Fields: Array<[string, string, (b: Uint8Array) => void, string?]> = [
  ['version-255', 'superblock version 255', setByte(8, 255)],
  ['offsets-size-4', 'size of offsets 4 (the file has 8)', setByte(13, 4)],
  ['offsets-size-16', 'size of offsets 16', setByte(13, 16)],
  ['offsets-size-0', 'size of offsets 0', setByte(13, 0)],
  ['lengths-size-0', 'size of lengths 0', setByte(14, 0)],
  ['leaf-k-0', 'group leaf node K 0', (b) => b.fill(0, 16, 18)],
  ['internal-k-0', 'group internal node K 0', (b) => b.fill(0, 18, 20)],
  ['internal-k-65535', 'group internal node K 65,535', (b) => b.fill(0xff, 18, 20)],
  ['base-4096', 'base address 4,096', setAddress(24, 4096n)],
  ['base-max', 'base address 2^64-1', setAddress(24, MAX64)],
  ['eoa-0', 'end-of-file address 0', setAddress(40, 0n)],
  ['eoa-max', 'end-of-file address 2^64-1', setAddress(40, MAX64)],
  ['eoa-1tb', 'end-of-file address 1 TB', setAddress(40, 1n << 40n)],
  ['driver-info-at-root', "driver information block address pointing at the root's entry", setAddress(48, 56n), 'HDF5 reads a driver information block only for the multi and family drivers; the file reads as the tiny model.'],
  ['root-at-0', 'root object header address 0 (the superblock)', setAddress(64, 0n)],
  ['root-past-end', 'root object header address past the end', setAddress(64, BigInt(V0.length + 1000))],
  ['root-max', 'root object header address 2^64-1', setAddress(64, MAX64)],
  ['root-at-gcol', 'root object header address pointing at the global heap', setAddress(64, BigInt(v0Marks.find((m) => m.what.includes('GCOL'))?.at ?? 2048))],
  ['root-cache-garbage', 'root entry cache type 1 with a B-tree and heap address of 2^64-1 in its scratch pad', (b) => {
    b[72] = 1;
    setU64(b, 80, MAX64);
    setU64(b, 88, MAX64);
  }, "HDF5 opening a file to read takes the root group from its object header, not the superblock's cached copy; the file reads as the tiny model."],
  ['root-btree-at-heap', 'root entry cache: the B-tree address pointing at the local heap', (b) => {
    b[72] = 1;
    setU64(b, 80, BigInt(u64(b, 88)));
  }, "HDF5 opening a file to read takes the root group from its object header, not the superblock's cached copy; the file reads as the tiny model."],
];
for (const [id, what, change, accepted] of v0Fields) {
  const file = put(`h5/tiny-keras2-superblock-${id}.h5`, patched(V0, change, false));
  const tests = `the tiny Keras 2 .h5 with its superblock's ${what}`;
  if (accepted) add({ id: `tiny-keras2-superblock-${id}`, files: file, tests, expect: 'accepted', why: accepted, sameAsTiny: true });
  else refuse(`tiny-keras2-superblock-${id}`, file, tests, HDF5_DAMAGED);
}
const v3Fields: Array<[string, string, (b: Uint8Array) => void]> = [
  ['version-255', 'superblock version 255', setByte(8, 255)],
  ['offsets-size-4', 'size of offsets 4', setByte(9, 4)],
  ['flags-255', 'file consistency flags 255', setByte(11, 255)],
  ['base-4096', 'base address 4,096', setAddress(12, 4096n)],
  ['extension-at-root', 'superblock extension address pointing at the root object header', (b) => setU64(b, 20, BigInt(u64(b, 36)))],
  ['eoa-64', 'end-of-file address 64', setAddress(28, 64n)],
  ['eoa-max', 'end-of-file address 2^64-1', setAddress(28, MAX64)],
  ['root-at-0', 'root object header address 0', setAddress(36, 0n)],
  ['root-past-end', 'root object header address past the end', setAddress(36, BigInt(V3.length + 1000))],
  ['root-at-superblock-end', 'root object header address 48 (right after the superblock, mid-structure)', setAddress(36, 52n)],
];
for (const [id, what, change] of v3Fields) {
  refuse(`tiny-latest-superblock-${id}`, put(`h5/tiny-latest-superblock-${id}.h5`, patched(V3, change)), `the tiny newest-format .h5 with its superblock's ${what} (checksum made right)`, HDF5_DAMAGED);
}

const UNGUARDED = 'HDF5 format 0 checksums nothing (and format 3 not raw data): a flipped byte in padding, an unused field or a weight value leaves a readable file. Refused with a message, or read with every weight as the file holds it.';
/** Seeded flips: `count` files, each with `flips` bytes XORed with a non-zero byte, at offsets in [from, to). */
function flips(label: string, source: Uint8Array, count: number, flipsPer: number, from: number, to: number, tests: string, checksum: boolean, expect: 'refused' | 'any' = 'any'): void {
  for (let i = 0; i < count; i++) {
    const changed: string[] = [];
    const bytes = patched(
      source,
      (b) => {
        for (let k = 0; k < flipsPer; k++) {
          const offset = from + randomInt(to - from);
          const mask = 1 + randomInt(255);
          b[offset] = b[offset]! ^ mask;
          changed.push(`${offset}^${mask}`);
        }
      },
      checksum,
    );
    const file = put(`h5/${label}-${i + 1}.h5`, bytes);
    // A flip in model_config's text or a name may be refused for any reason a file can have: no pattern.
    add({ id: `${label}-${i + 1}`, files: file, tests: `${tests} (bytes ${changed.join(', ')})`, expect, ...(expect === 'any' ? { why: UNGUARDED } : { reason: HDF5_DAMAGED }) });
  }
}
flips('tiny-keras2-superblock-flip', V0, 12, 2, 0, 96, 'the tiny Keras 2 .h5 with seeded random bytes of its superblock flipped', false);
flips('tiny-latest-superblock-flip', V3, 4, 1, 0, 44, 'the tiny newest-format .h5 with a superblock byte flipped (its checksum then wrong)', false, 'refused');
flips('tiny-latest-superblock-flip-fixed', V3, 6, 1, 8, 44, 'the tiny newest-format .h5 with a superblock byte flipped and the checksum made right', true);
const v0RootHeader = u64(V0, 64);
flips('tiny-keras2-root-header-flip', V0, 8, 2, v0RootHeader, v0RootHeader + 272, "the tiny Keras 2 .h5 with bytes of the root group's object header (its attributes) flipped", false);
flips('tiny-keras2-anywhere-flip', V0, 16, 4, 96, V0.length, 'the tiny Keras 2 .h5 with seeded random bytes flipped after the superblock', false);
flips('tiny-latest-anywhere-flip', V3, 8, 4, 48, V3.length, 'the tiny newest-format .h5 with seeded random bytes flipped after the superblock', false);

// ---------------------------------------------------------------------------------------------------------------
// The semantic .h5 cases.

for (const c of h5Semantic) {
  let bytes: Uint8Array = read(at(`semantic-${c.id}.h5`));
  if (c.id === 'weight-gzip-damaged') {
    const [offset, size] = structure.chunks[`${at(`semantic-${c.id}.h5`)}:/model_weights/dense/dense/kernel:0`]!;
    bytes = patched(bytes, (b) => {
      for (let i = offset + Math.floor(size / 3); i < offset + Math.floor(size / 3) + 8; i++) b[i] = b[i]! ^ 0x5a;
    }, false);
  }
  const external = EXTERNAL_NAMES.find(([, target]) => c.id.endsWith(target.replace(/\W+/g, '-')));
  if (external) {
    const text = new TextDecoder('latin1').decode(bytes);
    const where = text.indexOf(`${external[0]}\0`);
    if (where < 0) throw new Error(`the external file name of ${c.id} is not in the file`);
    bytes = patched(bytes, (b) => b.set(utf8(external[1]), where), false);
  }
  const file = put(`h5/semantic-${c.id}.h5`, bytes);
  if ((c.expect ?? 'refused') === 'refused') refuse(`h5-${c.id}`, file, c.tests, c.reason);
  else add({ id: `h5-${c.id}`, files: file, tests: c.tests, expect: c.expect!, why: c.why!, ...(c.sameAsTiny ? { sameAsTiny: true } : {}) });
}

// ---------------------------------------------------------------------------------------------------------------
// Random bytes and other things that are not model files.

const RANDOM = randomBytes(4096);
const HDF5_SIGNATURE = Uint8Array.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
const withHead = (head: Uint8Array, body: Uint8Array) => {
  const out = body.slice();
  out.set(head, 0);
  return out;
};
refuse('random-h5', put('random/random.h5', RANDOM), '4 KB of random bytes named .h5', 'not an HDF5 file');
refuse('random-h5-signature', put('random/random-signature.h5', withHead(HDF5_SIGNATURE, randomBytes(4096))), 'the HDF5 signature then random bytes', HDF5_OPEN);
refuse('random-h5-superblock', put('random/random-after-superblock.h5', withHead(V0.subarray(0, 96), randomBytes(V0.length))), "the tiny .h5's superblock, then random bytes where its structures were", HDF5_DAMAGED);
refuse('random-h5-latest-superblock', put('random/random-after-latest-superblock.h5', withHead(V3.subarray(0, 48), randomBytes(V3.length))), "the newest-format superblock (checksum right), then random bytes", HDF5_DAMAGED);
refuse('random-keras', put('random/random.keras', randomBytes(4096)), '4 KB of random bytes named .keras', 'not a zip file');
refuse('random-keras-pk', put('random/random-pk.keras', withHead(Uint8Array.of(0x50, 0x4b, 0x03, 0x04), randomBytes(4096))), 'a zip signature then random bytes', 'not a readable zip file');
{
  const body = randomBytes(4096);
  const end = new Uint8Array(22);
  new DataView(end.buffer).setUint32(0, 0x06054b50, true);
  new DataView(end.buffer).setUint16(10, 3, true);
  new DataView(end.buffer).setUint32(16, 100, true);
  refuse('random-keras-end-record', put('random/random-end-record.keras', new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...body, ...end])), 'random bytes with a zip end record whose directory of 3 entries is random bytes', 'not a readable zip file');
}
refuse('random-model-json', put('random/random.model.json', randomBytes(4096)), '4 KB of random bytes named model.json', 'not a JSON file');
refuse('random-text-model-json', put('random/random-text.model.json', utf8(Array.from({ length: 4096 }, () => String.fromCharCode(32 + randomInt(95))).join(''))), '4 KB of random printable characters named model.json', 'not a JSON file');
for (const [name, file] of [['h5', 'random/empty.h5'], ['keras', 'random/empty.keras']] as const) refuse(`empty-${name}`, put(file, new Uint8Array(0)), `an empty .${name} file`, 'is empty');
add({ id: 'empty-model-json', files: [{ file: put('random/empty.model.json', new Uint8Array(0)), as: 'model.json' }], tests: 'an empty model.json', expect: 'refused', reason: 'not a JSON file' });
const lfs = utf8('version https://git-lfs.github.com/spec/v1\noid sha256:4cb6762fff87e4b7b3130b8b32137f9020486fd0ac75f4c9bd1e054e1b5ed565\nsize 454376\n');
refuse('lfs-pointer-h5', put('random/lfs-pointer.h5', lfs), 'a Git LFS pointer named .h5', 'Git LFS pointer');
refuse('keras-that-is-hdf5', put('random/hdf5-named.keras', V0), 'the tiny Keras 2 .h5 named .keras', 'not a zip file');
add({ id: 'h5-that-is-zip', files: [{ file: 'keras/tiny.keras', as: 'tiny-zip.h5' }], tests: 'the tiny .keras zip named .h5', expect: 'accepted', why: 'a zip is read as a .keras file whatever its name: its content decides, and it is whole.', sameAsTiny: true });
add({ id: 'two-keras-files', files: [{ file: 'h5/tiny-keras2.h5', as: 'a.h5' }, { file: 'keras/tiny.keras', as: 'b.keras' }], tests: 'two Keras files picked together', expect: 'refused', reason: 'one Keras file' });
for (const [id, text, reason] of [
  ['json-null', 'null', 'no modelTopology'],
  ['json-array', '[]', 'no modelTopology'],
  ['json-number', '42', 'no modelTopology'],
  ['json-string', '"model"', 'no modelTopology'],
  ['json-bom', '\ufeff{"modelTopology": 1}', 'not a JSON file|no model class'],
  ['json-nan-literal', JSON.stringify(TINY_JSON).replace('"units":10', '"units":NaN'), 'not a JSON file'],
  ['json-nested-10000', `{"modelTopology": ${'['.repeat(10_000)}${']'.repeat(10_000)}}`, 'nests arrays and objects more than 100 levels deep'],
  ['json-nested-in-strings', `{"modelTopology": {"class_name": "Sequential", "config": {"name": "${'['.repeat(10_000)}", "layers": 7}}, "weightsManifest": []}`, 'lists no layers \\(its layers are the number 7, not a list\\)'],
] as const) {
  add({ id, files: [{ file: put(`json/${id}.json`, utf8(text)), as: 'model.json' }], tests: `model.json: ${id.replace(/^json-/, '').replace(/-/g, ' ')}`, expect: 'refused', reason });
}

// ---------------------------------------------------------------------------------------------------------------
// .keras zips that lie.

const items = kerasItems;
const without = (name: string) => items().filter((i) => i.name !== name);
const replaced = (name: string, change: Partial<ZipItem>) => items().map((i) => (i.name === name ? { ...i, ...change } : i));
const ZIP_DAMAGED = 'not a readable zip file';
const zipCases: Array<{ id: string; tests: string; bytes: Uint8Array; reason?: string; expect?: Expect; why?: string }> = [
  { id: 'weights-declared-smaller', tests: 'model.weights.h5 deflated, declared 1,000 bytes', bytes: zip(replaced('model.weights.h5', { method: 8, size: 1000 })), reason: 'unpacks to more than the 1,000 bytes its zip directory declares' },
  { id: 'weights-declared-larger', tests: 'model.weights.h5 deflated, declared one byte more than it holds', bytes: zip(replaced('model.weights.h5', { method: 8, size: KERAS3_WEIGHTS.length + 1 })), reason: `${ZIP_DAMAGED}.*unpacks to [\\d,]+ bytes, not the` },
  { id: 'config-declared-smaller', tests: 'config.json deflated, declared 10 bytes', bytes: zip(replaced('config.json', { method: 8, size: 10 })), reason: 'unpacks to more than the 10 bytes' },
  { id: 'stored-size-lies-up', tests: 'model.weights.h5 stored, declared one byte more than stored', bytes: zip(replaced('model.weights.h5', { method: 0, size: KERAS3_WEIGHTS.length + 1 })), reason: 'is stored as [\\d]+ bytes but declared as' },
  { id: 'stored-size-lies-down', tests: 'model.weights.h5 stored, declared one byte less than stored', bytes: zip(replaced('model.weights.h5', { method: 0, size: KERAS3_WEIGHTS.length - 1 })), reason: 'is stored as [\\d]+ bytes but declared as' },
  { id: 'compressed-size-past-end', tests: 'model.weights.h5 with a compressed size past the end of the file', bytes: zip(replaced('model.weights.h5', { compressedSize: 10_000_000 })), reason: 'runs past the end of the file' },
  { id: 'compressed-size-short', tests: 'model.weights.h5 deflated, its compressed size a third of the real one', bytes: zip(replaced('model.weights.h5', { method: 8, compressedSize: 300 })), reason: ZIP_DAMAGED },
  { id: 'declared-4gb', tests: 'model.weights.h5 declared 4 GB', bytes: zip(replaced('model.weights.h5', { method: 8, size: 0xfffffffe })), reason: 'over 256 MB is refused' },
  { id: 'declared-255mb', tests: 'model.weights.h5 deflated, declared 255 MB (within the limits), holding 3 KB', bytes: zip(replaced('model.weights.h5', { method: 8, size: 255 * 1024 * 1024 })), reason: `${ZIP_DAMAGED}.*unpacks to [\\d,]+ bytes, not the` },
  { id: 'config-declared-2mb', tests: 'config.json declared 2 MB (over the config limit)', bytes: zip(replaced('config.json', { method: 8, size: 2 * 1024 * 1024 })), reason: 'config.json is 2\\.1 MB; a model config over 1 MB is refused' },
  { id: 'deflate-bomb', tests: 'model.weights.h5: 16 MB of zeros deflated (16 KB), declared 4,096 bytes', bytes: zip(replaced('model.weights.h5', { method: 8, data: new Uint8Array(16 * 1024 * 1024), size: 4096 })), reason: 'unpacks to more than the 4,096 bytes' },
  { id: 'duplicate-config', tests: 'two config.json entries (the second a Lambda model)', bytes: zip([...items(), { name: 'config.json', data: json(keras3Config(sequential([POOL, FLATTEN, lambdaLayer, DENSE]) as never, [null, 28, 28, 1])) }]), reason: 'holds two entries named config\\.json' },
  { id: 'duplicate-weights', tests: 'two model.weights.h5 entries', bytes: zip([...items(), { name: 'model.weights.h5', data: V0 }]), reason: 'holds two entries named model\\.weights\\.h5' },
  { id: 'missing-config', tests: 'no config.json', bytes: zip(without('config.json')), reason: 'has no config\\.json' },
  { id: 'missing-weights', tests: 'no model.weights.h5', bytes: zip(without('model.weights.h5')), reason: 'has no model\\.weights\\.h5' },
  { id: 'missing-metadata', tests: 'no metadata.json', bytes: zip(without('metadata.json')), expect: 'accepted', why: 'metadata.json only records the Keras version and a date; nothing in it is needed to read the model.' },
  { id: 'config-dot-dot', tests: "config.json named '../config.json' (and no config.json)", bytes: zip(replaced('config.json', { name: '../config.json' })), reason: 'has no config\\.json' },
  { id: 'config-directory', tests: "config.json named 'config.json/' (a directory)", bytes: zip(replaced('config.json', { name: 'config.json/' })), reason: 'has no config\\.json' },
  { id: 'config-not-json', tests: 'config.json that is not JSON', bytes: zip(replaced('config.json', { data: utf8('{"module": "keras", "class_name": ') })), reason: 'config\\.json is not valid JSON' },
  { id: 'config-not-utf8', tests: 'config.json of bytes that are not UTF-8', bytes: zip(replaced('config.json', { data: randomBytes(200) })), reason: 'config\\.json is not valid JSON' },
  { id: 'config-empty', tests: 'an empty config.json', bytes: zip(replaced('config.json', { data: new Uint8Array(0) })), reason: 'config\\.json is not valid JSON' },
  { id: 'config-null', tests: 'config.json the JSON text null', bytes: zip(replaced('config.json', { data: utf8('null') })), reason: 'names no model class' },
  { id: 'config-nested-10000', tests: 'config.json nested 10,000 deep', bytes: zip(replaced('config.json', { method: 8, data: utf8(deepText(10_000)) })), reason: 'config\\.json nests arrays and objects more than 100 levels deep' },
  { id: 'weights-random', tests: 'model.weights.h5 of random bytes', bytes: zip(replaced('model.weights.h5', { data: randomBytes(2048) })), reason: 'model\\.weights\\.h5 is not an HDF5 file' },
  { id: 'weights-truncated', tests: 'model.weights.h5 cut in half', bytes: zip(replaced('model.weights.h5', { data: KERAS3_WEIGHTS.slice(0, KERAS3_WEIGHTS.length >> 1) })), reason: 'not a readable HDF5 file' },
  { id: 'weights-keras2-h5', tests: 'model.weights.h5 that is a Keras 2 full-model .h5', bytes: zip(replaced('model.weights.h5', { data: V0 })), reason: 'needs 2 weights, and the file holds 0' },
  { id: 'weights-a-zip', tests: 'model.weights.h5 that is itself the .keras zip', bytes: zip(replaced('model.weights.h5', { data: zip(items()) })), reason: 'model\\.weights\\.h5 is not an HDF5 file' },
  { id: 'encrypted', tests: 'entries flagged encrypted', bytes: zip(items().map((i) => ({ ...i, flags: 0x0801 }))), reason: 'is encrypted' },
  { id: 'method-bzip2', tests: 'config.json compressed with method 12 (bzip2)', bytes: zip(replaced('config.json', { method: 12 })), reason: 'compressed with method 12' },
  { id: 'method-aes', tests: 'model.weights.h5 with method 99 (AES)', bytes: zip(replaced('model.weights.h5', { method: 99 })), reason: 'compressed with method 99' },
  { id: 'directory-past-end', tests: 'the end record placing the central directory past the end', bytes: zip(items(), { offset: 0x7fffffff }), reason: 'runs past the end of the file' },
  { id: 'directory-count-zip64', tests: 'the end record counting 65,535 entries (zip64) with no zip64 record', bytes: zip(items(), { count: 0xffff }), reason: 'zip64 directory is missing' },
  { id: 'directory-count-50', tests: 'the end record counting 50 entries where there are 3', bytes: zip(items(), { count: 50 }), reason: 'central directory is broken' },
  { id: 'directory-at-local-header', tests: 'the end record placing the directory at the first local header', bytes: zip(items(), { offset: 0 }), reason: 'central directory is broken' },
  { id: 'no-end-record', tests: 'the end record cut off', bytes: zip(items()).slice(0, -22), reason: 'no central directory' },
  { id: 'local-offset-wrong', tests: 'model.weights.h5 whose local header offset points into config.json', bytes: zip(replaced('model.weights.h5', { localOffset: 100 })), reason: 'is not where the directory says' },
  { id: 'local-offset-past-end', tests: 'model.weights.h5 whose local header offset is past the end', bytes: zip(replaced('model.weights.h5', { localOffset: 0x7fffffff })), reason: 'runs past the end of the file' },
  { id: 'overlapping-entries', tests: 'model.weights.h5 pointing at config.json’s data (overlapping entries)', bytes: (() => {
    const base = zip(items());
    const local = new TextDecoder('latin1').decode(base).indexOf('PK\x03\x04config.json'.slice(0, 4), 1);
    return zip(replaced('model.weights.h5', { method: 0, localOffset: local, size: KERAS_ENTRIES.config.length, compressedSize: KERAS_ENTRIES.config.length }));
  })(), reason: 'not an HDF5 file|not where the directory says' },
  { id: 'names-differ', tests: 'config.json whose local header names it evil.json (the directory says config.json)', bytes: zip(replaced('config.json', { name: 'evil.json', directoryName: 'config.json' })), expect: 'accepted', why: 'entries are found by the central directory, as zip readers do; the local name is not used, and the entry holds the real config.' },
  { id: 'zip64-2-53', tests: 'model.weights.h5 declared 2^53 bytes through a zip64 extra field', bytes: (() => {
    const extra = new Uint8Array(12);
    const v = new DataView(extra.buffer);
    v.setUint16(0, 1, true);
    v.setUint16(2, 8, true);
    v.setBigUint64(4, 1n << 53n, true);
    return zip(replaced('model.weights.h5', { method: 8, size: 0xffffffff, extra }));
  })(), reason: 'over 256 MB is refused' },
  { id: 'zip64-cut-short', tests: 'model.weights.h5 whose zip64 extra field is cut short', bytes: (() => {
    const extra = new Uint8Array(8);
    const v = new DataView(extra.buffer);
    v.setUint16(0, 1, true);
    v.setUint16(2, 4, true);
    return zip(replaced('model.weights.h5', { method: 0, size: 0xffffffff, extra }));
  })(), reason: 'zip64 sizes of model\\.weights\\.h5 are cut short' },
  { id: 'extra-field-length-lies', tests: 'an extra field (in the directory) whose own length says 60,000 bytes where it holds 4', bytes: (() => {
    const extra = new Uint8Array(8);
    const v = new DataView(extra.buffer);
    v.setUint16(0, 0x5455, true);
    v.setUint16(2, 60_000, true);
    return zip(replaced('model.weights.h5', { extra }));
  })(), expect: 'accepted', why: "an extra field's own length only says how far to skip it; the directory entry's lengths decide where the next entry is, and they are right." },
  { id: 'extra-length-past-end', tests: 'the last directory entry declaring an extra field of 60,000 bytes, past the end of the file', bytes: zip(replaced('model.weights.h5', { extraLength: 60_000 })), reason: 'runs past the end of the file' },
  { id: 'fake-end-record-in-comment', tests: 'a comment that holds a second end record, pointing at garbage', bytes: (() => {
    const fake = new Uint8Array(22);
    const v = new DataView(fake.buffer);
    v.setUint32(0, 0x06054b50, true);
    v.setUint16(10, 3, true);
    v.setUint32(16, 10, true);
    return zip(items(), { comment: fake });
  })(), reason: ZIP_DAMAGED },
  { id: 'three-hundred-entries', tests: '300 other entries besides the model’s three', bytes: zip([...items(), ...Array.from({ length: 300 }, (_, i) => ({ name: `j/${i}`, data: new Uint8Array(0) }))]), expect: 'accepted', why: 'other entries are ignored, and their directory is read in one pass; the model is whole.' },
];
for (const c of zipCases) {
  const file = put(`keras/${c.id}.keras`, c.bytes);
  if ((c.expect ?? 'refused') === 'refused') refuse(`keras-${c.id}`, file, `.keras: ${c.tests}`, c.reason!);
  else add({ id: `keras-${c.id}`, files: file, tests: `.keras: ${c.tests}`, expect: c.expect!, why: c.why!, sameAsTiny: true });
}

// ---------------------------------------------------------------------------------------------------------------
// Configs with absurd shapes and depths: as model.json (tfjs parses them), and a selection as .keras config.json
// (Keras 3's form, through the translation) and .h5 model_config.

const conv = (extra: Json) => layer('Conv2D', { name: 'conv', trainable: true, batch_input_shape: [null, 28, 28, 1], dtype: 'float32', filters: 4, kernel_size: [3, 3], strides: [1, 1], padding: 'valid', data_format: 'channels_last', dilation_rate: [1, 1], activation: 'relu', use_bias: true, ...extra });
const gap = layer('GlobalAveragePooling2D', { name: 'gap', trainable: true, dtype: 'float32', data_format: 'channels_last' });
const dense10 = (units = 10) => layer('Dense', denseConfig({ units }));
const withPool = (extra: Json) => sequential([{ ...POOL, config: { ...POOL.config, ...extra } }, FLATTEN, DENSE]);
/** A placeholder a JSON text replaces by a raw token (Infinity and such have no JSON form). */
const raw = (token: string) => `__RAW__${token}__`;
const rawText = (value: unknown) => JSON.stringify(value).replace(/"__RAW__(.*?)__"/g, '$1');

interface ConfigCase {
  id: string;
  tests: string;
  topology: unknown;
  reason: string;
  expect?: Expect;
  why?: string;
  sameAsTiny?: boolean;
  /** Also as a .keras config.json / .h5 model_config, with a Dense kernel of this shape (the tiny one's otherwise). */
  keras?: boolean;
  h5?: boolean;
  kernel?: [number, number];
}
const functional = (layers: unknown[], inputs: unknown, outputs: unknown) => ({ class_name: 'Model', config: { name: 'functional', layers, input_layers: inputs, output_layers: outputs } });
const inputLayer = layer('InputLayer', { batch_input_shape: [null, 28, 28, 1], dtype: 'float32', sparse: false, name: 'input' });
const node = (...names: string[]) => [names.map((n) => [n, 0, 0, {}])];
const fnLayer = (l: { class_name: string; config: Json }, inbound: unknown) => ({ ...l, name: l.config.name, inbound_nodes: inbound });
const fnPool = (inbound: unknown) => fnLayer({ ...POOL, config: { ...POOL.config, batch_input_shape: undefined } }, inbound);
const fnDense = (inbound: unknown) => fnLayer(DENSE, inbound);
const fnFlatten = (inbound: unknown) => fnLayer(FLATTEN, inbound);

const configCases: ConfigCase[] = [
  // A Keras file's weights are matched to the topology (from their headers) before the model is looked at whole.
  { id: 'dense-units-1e12', tests: 'Dense units 1e12', topology: withDense({ units: 1e12 }), reason: 'output is \\[null, 1000000000000\\]|needs a weight of shape \\[16, 1000000000000\\]', keras: true, h5: true },
  { id: 'dense-units-infinity', tests: 'Dense units 1e400 (Infinity once parsed)', topology: withDense({ units: raw('1e400') }), reason: 'could not be read|output is|cannot' , keras: true },
  { id: 'dense-units-negative', tests: 'Dense units -1', topology: withDense({ units: -1 }), reason: 'could not be read|output is|cannot', keras: true },
  { id: 'dense-units-zero', tests: 'Dense units 0', topology: withDense({ units: 0 }), reason: 'units to be a positive integer, but got 0' },
  { id: 'dense-units-fraction', tests: 'Dense units 10.5', topology: withDense({ units: 10.5 }), reason: 'could not be read|output is|cannot|need' },
  { id: 'dense-units-string', tests: "Dense units '10' (a string)", topology: withDense({ units: '10' }), reason: 'could not be read|output is|cannot|need', keras: true },
  { id: 'dense-units-nan-string', tests: "Dense units 'NaN'", topology: withDense({ units: 'NaN' }), reason: 'could not be read|output is|cannot|need', keras: true },
  { id: 'dense-units-null', tests: 'Dense units null', topology: withDense({ units: null }), reason: 'could not be read|output is|cannot|need' },
  { id: 'dense-units-object', tests: 'Dense units an object', topology: withDense({ units: { value: 10 } }), reason: 'could not be read|output is|cannot|need' },
  { id: 'dense-activation-unknown', tests: "Dense activation 'evil'", topology: withDense({ activation: 'evil' }), reason: 'does not know: Unknown activation' },
  { id: 'dense-initializer-unknown', tests: 'Dense kernel_initializer of an unknown class', topology: withDense({ kernel_initializer: { class_name: 'Evil', config: {} } }), reason: 'does not know: Unknown initializer' },
  { id: 'conv-filters-negative', tests: 'Conv2D filters -1', topology: sequential([conv({ filters: -1 }), gap, dense10()]), reason: 'could not be read|cannot|need', keras: true },
  { id: 'conv-kernel-zero', tests: 'Conv2D kernel_size 0', topology: sequential([conv({ kernel_size: 0 }), gap, dense10()]), reason: 'could not be read|cannot|need', keras: true },
  { id: 'conv-kernel-1e9', tests: 'Conv2D kernel_size [1e9, 1e9]', topology: sequential([conv({ kernel_size: [1e9, 1e9] }), gap, dense10()]), reason: 'could not be read|cannot|need' },
  { id: 'conv-strides-zero', tests: 'Conv2D strides 0', topology: sequential([conv({ strides: [0, 0] }), gap, dense10()]), reason: 'could not be read|cannot|need' },
  { id: 'conv-dilation-1e9', tests: 'Conv2D dilation_rate 1e9', topology: sequential([conv({ dilation_rate: [1e9, 1e9] }), gap, dense10()]), reason: 'could not be read|cannot|need' },
  { id: 'conv-padding-evil', tests: "Conv2D padding 'evil'", topology: sequential([conv({ padding: 'evil' }), gap, dense10()]), reason: 'could not be read|cannot|need' },
  { id: 'pool-size-zero', tests: 'MaxPooling2D pool_size 0, strides 0', topology: withPool({ pool_size: [0, 0], strides: [0, 0] }), reason: 'could not be read|cannot|need' },
  { id: 'pool-size-negative', tests: 'MaxPooling2D pool_size -7', topology: withPool({ pool_size: [-7, -7], strides: [7, 7] }), reason: 'could not be read|cannot|need' },
  { id: 'input-1e9', tests: 'input shape [null, 1e9, 1e9, 1]', topology: withPool({ batch_input_shape: [null, 1e9, 1e9, 1] }), reason: 'could not be read|cannot|need|input is', keras: true, h5: true },
  { id: 'input-negative', tests: 'input shape [null, -28, 28, 1]', topology: withPool({ batch_input_shape: [null, -28, 28, 1] }), reason: 'could not be read|cannot|need|input is' },
  { id: 'input-fraction', tests: 'input shape [null, 28.5, 28, 1]', topology: withPool({ batch_input_shape: [null, 28.5, 28, 1] }), reason: 'could not be read|cannot|need|input is' },
  { id: 'input-strings', tests: "input shape [null, '28', '28', '1']", topology: withPool({ batch_input_shape: [null, '28', '28', '1'] }), reason: 'could not be read|cannot|need|input is', keras: true },
  { id: 'input-nan-strings', tests: "input shape [null, 'NaN', 'NaN', 1]", topology: withPool({ batch_input_shape: [null, 'NaN', 'NaN', 1] }), reason: 'could not be read|cannot|need|input is', keras: true },
  { id: 'input-rank-0', tests: 'input shape []', topology: withPool({ batch_input_shape: [] }), reason: 'could not be read|cannot|need|input is' },
  { id: 'input-a-string', tests: "input shape 'x'", topology: withPool({ batch_input_shape: 'x' }), reason: 'could not be read|cannot|need|input is' },
  { id: 'reshape-minus-ones', tests: 'Reshape target_shape [-1, -1]', topology: sequential([POOL, layer('Reshape', { name: 'reshape', target_shape: [-1, -1] }), FLATTEN, DENSE]), reason: 'could not be read|cannot|need' },
  { id: 'reshape-1e9', tests: 'Reshape target_shape [1e9]', topology: sequential([POOL, layer('Reshape', { name: 'reshape', target_shape: [1e9] }), DENSE]), reason: 'could not be read|cannot|need' },
  { id: 'upsampling-12gb', tests: 'UpSampling2D 2000 -> GlobalAveragePooling2D -> Dense 10: 12.5 GB of activations for 80 bytes of weights', topology: sequential([layer('UpSampling2D', { name: 'up', size: [2000, 2000], batch_input_shape: [null, 28, 28, 1] }), gap, layer('Dense', denseConfig({ units: 10 }))]), reason: 'Reading one digit with this model would need 12\\.5 GB', keras: true, h5: true, kernel: [1, 10] },
  { id: 'upsampling-conv-im2col', tests: 'UpSampling2D 40 then a 9x9 Conv2D: a 5 GB im2col buffer', topology: sequential([layer('UpSampling2D', { name: 'up', size: [40, 40], batch_input_shape: [null, 28, 28, 1] }), conv({ batch_input_shape: undefined, kernel_size: [9, 9] }), gap, dense10()]), reason: 'would need .* GB|models that need over 64 MB of activations' },
  { id: 'lstm-units-1e6', tests: 'an LSTM of 1e6 units on a 28x28 input', topology: sequential([layer('Reshape', { name: 'r', target_shape: [28, 28], batch_input_shape: [null, 28, 28, 1] }), layer('LSTM', { name: 'lstm', units: 1_000_000 }), dense10()]), reason: 'need|hold|could not be read' },
  { id: 'embedding-1e12', tests: 'an Embedding of input_dim 1e12', topology: sequential([layer('Flatten', { name: 'f', batch_input_shape: [null, 28, 28, 1] }), layer('Embedding', { name: 'e', input_dim: 1e12, output_dim: 8 }), layer('Flatten', { name: 'f2' }), dense10()]), reason: 'need|hold|could not be read' },
  { id: 'batchnorm-axis-99', tests: 'BatchNormalization axis 99', topology: sequential([POOL, layer('BatchNormalization', { name: 'bn', axis: 99 }), FLATTEN, DENSE]), reason: 'could not be read|cannot|need' },
  { id: 'layer-dtype-string', tests: "a layer's dtype 'string'", topology: withDense({ dtype: 'string' }), reason: '', expect: 'accepted', why: 'tfjs makes the layer’s weights float32 whatever dtype its config names (the weights given are float32), and it reads as the tiny model.', sameAsTiny: true },
  { id: 'layer-dtype-complex64', tests: "a layer's dtype 'complex64'", topology: withDense({ dtype: 'complex64' }), reason: '', expect: 'accepted', why: 'tfjs makes the layer’s weights float32 whatever dtype its config names (the weights given are float32), and it reads as the tiny model.', sameAsTiny: true },
  { id: 'lambda', tests: 'a Lambda layer (Python bytecode)', topology: sequential([POOL, FLATTEN, lambdaLayer, DENSE]), reason: 'Unknown layer: Lambda|Lambda layer, which holds Python code', keras: true, h5: true },
  { id: 'unknown-layer', tests: 'a layer of an unknown class', topology: sequential([POOL, FLATTEN, layer('EvilLayer', { name: 'evil' }), DENSE]), reason: 'does not know: Unknown layer: EvilLayer' },
  ...['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'Object'].map((name) => ({
    id: `layer-class-${name.replace(/_/g, '') || 'x'}`,
    tests: `a layer whose class_name is '${name}'`,
    topology: sequential([POOL, FLATTEN, layer(name, { name: 'evil', units: 10 }), DENSE]),
    reason: 'does not know|could not be read|not a layer config',
    keras: name === 'constructor',
  })),
  { id: 'model-class-constructor', tests: "a topology whose class_name is 'constructor'", topology: { class_name: 'constructor', config: { name: 'x', layers: TINY_LAYERS } }, reason: 'does not know|could not be read|not a TensorFlow.js' },
  { id: 'proto-in-layer-config', tests: "a '__proto__' key (with units) in the Dense layer's config", topology: sequential([POOL, FLATTEN, layer('Dense', { ...denseConfig(), ['__proto__']: { polluted: true, units: 1e9 } })]), reason: '', expect: 'accepted', why: 'JSON.parse keeps __proto__ as an own key; tfjs ignores keys it does not know; nothing in Object.prototype changes (asserted).', sameAsTiny: true },
  { id: 'constructor-prototype-in-config', tests: "a 'constructor': {'prototype': ...} key in the Dense layer's config", topology: sequential([POOL, FLATTEN, layer('Dense', { ...denseConfig(), constructor: { prototype: { polluted: true } } })]), reason: '', expect: 'accepted', why: 'an unknown key, ignored; nothing in Object.prototype changes (asserted).', sameAsTiny: true },
  { id: 'layer-named-proto', tests: "a Dense layer named '__proto__' (its weights named to match)", topology: sequential([POOL, FLATTEN, layer('Dense', denseConfig({ name: '__proto__' }))]), reason: 'could not be read|hold|need' },
  { id: 'functional-missing-inbound', tests: 'a functional model whose Dense layer reads from a layer that does not exist', topology: functional([fnLayer(inputLayer, []), fnPool(node('input')), fnFlatten(node('pool')), fnDense(node('nowhere'))], [['input', 0, 0]], [['dense', 0, 0]]), reason: 'cannot be connected', keras: true, h5: true },
  { id: 'functional-self-loop', tests: 'a functional model whose Flatten layer reads from itself', topology: functional([fnLayer(inputLayer, []), fnPool(node('input')), fnFlatten(node('flatten')), fnDense(node('flatten'))], [['input', 0, 0]], [['dense', 0, 0]]), reason: 'cannot be connected' },
  { id: 'functional-cycle', tests: 'a functional model whose Flatten and Dense layers read from each other', topology: functional([fnLayer(inputLayer, []), fnPool(node('input')), fnFlatten(node('dense')), fnDense(node('flatten'))], [['input', 0, 0]], [['dense', 0, 0]]), reason: 'cannot be connected' },
  { id: 'functional-node-index-99', tests: "a functional model reading its pooling layer's node 99", topology: functional([fnLayer(inputLayer, []), fnPool(node('input')), fnFlatten([[['pool', 99, 0, {}]]]), fnDense(node('flatten'))], [['input', 0, 0]], [['dense', 0, 0]]), reason: 'cannot be connected' },
  { id: 'functional-inbound-constructor', tests: "a functional model whose Flatten reads from a layer named 'constructor'", topology: functional([fnLayer(inputLayer, []), fnPool(node('input')), fnFlatten(node('constructor')), fnDense(node('flatten'))], [['input', 0, 0]], [['dense', 0, 0]]), reason: 'cannot be connected' },
  { id: 'functional-output-missing', tests: 'a functional model whose output layer does not exist', topology: functional([fnLayer(inputLayer, []), fnPool(node('input')), fnFlatten(node('pool')), fnDense(node('flatten'))], [['input', 0, 0]], [['nowhere', 0, 0]]), reason: 'cannot be connected' },
  { id: 'functional-input-missing', tests: 'a functional model whose input layer does not exist', topology: functional([fnLayer(inputLayer, []), fnPool(node('input')), fnFlatten(node('pool')), fnDense(node('flatten'))], [['nowhere', 0, 0]], [['dense', 0, 0]]), reason: 'cannot be connected' },
  { id: 'functional-tensor-index-99', tests: "a functional model reading its pooling layer's output tensor 99", topology: functional([fnLayer(inputLayer, []), fnPool(node('input')), fnFlatten([[['pool', 0, 99, {}]]]), fnDense(node('flatten'))], [['input', 0, 0]], [['dense', 0, 0]]), reason: 'cannot be connected' },
  { id: 'five-hundred-layers', tests: '500 linear Activation layers between the pooling and the Dense layer', topology: sequential([POOL, FLATTEN, ...Array.from({ length: 500 }, (_, i) => layer('Activation', { name: `a${i}`, activation: 'linear' })), DENSE]), reason: '', expect: 'accepted', why: 'a long but valid model: 500 layers of 16 values each read a digit in well under a second.', sameAsTiny: true },
];

for (const c of configCases) {
  const id = `json-config-${c.id}`;
  const own = c.kernel && new Uint8Array(new Float32Array(c.kernel[0] * c.kernel[1] + 10).fill(0.01).buffer);
  const weights = own ? [{ ...TINY_SPECS[0], shape: c.kernel }, TINY_SPECS[1]] : TINY_SPECS;
  const file = put(`json/config-${c.id}.json`, utf8(rawText({ ...TINY_JSON, modelTopology: c.topology, weightsManifest: [{ paths: ['tiny.bin'], weights }] })));
  const files = [{ file, as: 'model.json' }, own ? { file: put(`json/config-${c.id}.bin`, own), as: 'tiny.bin' } : TINY_BIN];
  const dense: H5Dataset | undefined = c.kernel && { shape: c.kernel, data: Array<number>(c.kernel[0] * c.kernel[1]).fill(0.01) };
  const expect = c.expect ?? 'refused';
  const extra = { ...(c.why ? { why: c.why } : {}), ...(c.sameAsTiny ? { sameAsTiny: true } : {}) };
  add({ id, files, tests: `model.json: ${c.tests}`, expect, ...(expect === 'refused' ? { reason: c.reason } : {}), ...extra });
  if (c.keras) {
    const first = (c.topology as { config: { layers: Array<{ config: Json }> } }).config.layers[0]?.config.batch_input_shape;
    const text = rawText(keras3Config(c.topology as never, (Array.isArray(first) ? first : [null, 28, 28, 1]) as Array<number | null>));
    let kerasItems = replaced('config.json', { data: utf8(text) });
    if (dense) {
      h5py([{ path: at(`config-${c.id}-weights.h5`), root: keras3WeightsRoot({ groups: { vars: { datasets: { '0': dense, '1': { shape: [10], data: floats(BIAS) } } } } }) }]);
      kerasItems = kerasItems.map((i) => (i.name === 'model.weights.h5' ? { ...i, data: read(at(`config-${c.id}-weights.h5`)) } : i));
    }
    const kfile = put(`keras/config-${c.id}.keras`, zip(kerasItems));
    add({ id: `keras-config-${c.id}`, files: kfile, tests: `.keras: ${c.tests}`, expect, ...(expect === 'refused' ? { reason: c.reason } : {}), ...extra });
  }
  if (c.h5) {
    // The tiny .h5 with this model_config: the bytes of its JSON text changed in place would move everything, so
    // it is written by h5py again.
    h5py([{ path: at(`config-${c.id}.h5`), root: keras2Root({ fixed: rawText(c.topology) }, dense ? { dense: denseWith(dense) } : {}) }]);
    const hfile = put(`h5/config-${c.id}.h5`, read(at(`config-${c.id}.h5`)));
    add({ id: `h5-config-${c.id}`, files: hfile, tests: `.h5: ${c.tests}`, expect, ...(expect === 'refused' ? { reason: c.reason } : {}), ...extra });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// model.json's manifest and weights.

const manifestWith = (weights: unknown, paths: unknown = ['tiny.bin']) => ({ ...TINY_JSON, weightsManifest: [{ paths, weights }] });
const specWith = (change: Json) => [{ ...TINY_SPECS[0], ...change }, TINY_SPECS[1]];
const manifestCases: Array<{ id: string; tests: string; json: unknown; bin?: Uint8Array | 'tiny' | 'none'; binAs?: string; reason?: string; expect?: Expect; why?: string; sameAsTiny?: boolean }> = [
  { id: 'no-topology', tests: 'no modelTopology', json: { ...TINY_JSON, modelTopology: undefined }, reason: 'has no modelTopology' },
  { id: 'topology-null', tests: 'modelTopology null', json: { ...TINY_JSON, modelTopology: null }, reason: 'has no modelTopology' },
  { id: 'topology-number', tests: 'modelTopology 42', json: { ...TINY_JSON, modelTopology: 42 }, reason: 'names no model class' },
  { id: 'topology-array', tests: 'modelTopology an array of layers', json: { ...TINY_JSON, modelTopology: TINY_LAYERS }, reason: 'names no model class' },
  { id: 'graph-model', tests: "format 'graph-model'", json: { ...TINY_JSON, format: 'graph-model' }, reason: 'graph model' },
  { id: 'no-manifest', tests: 'no weightsManifest', json: { ...TINY_JSON, weightsManifest: undefined }, reason: 'no valid weightsManifest' },
  { id: 'sequential-layers-object', tests: 'a Sequential config whose layers are an object (the tiny model’s, by name)', json: { ...TINY_JSON, modelTopology: sequential({ pool: POOL, flatten: FLATTEN, dense: DENSE }) }, reason: 'lists no layers \\(its layers are an object, not a list\\)' },
  { id: 'sequential-layers-string', tests: "a Sequential config whose layers are 'dense'", json: { ...TINY_JSON, modelTopology: sequential('dense') }, reason: 'lists no layers \\(its layers are a string, not a list\\)' },
  { id: 'sequential-config-empty-list', tests: 'a Sequential config that is an empty list (Keras 2.1’s form)', json: { ...TINY_JSON, modelTopology: { class_name: 'Sequential', config: [] } }, reason: 'Sequential config lists no layers' },
  { id: 'sequential-layer-null', tests: 'a Sequential config whose second layer is null', json: { ...TINY_JSON, modelTopology: sequential([POOL, null, DENSE]) }, reason: 'layer 2 of its Sequential config is null, not a layer config' },
  { id: 'manifest-string', tests: "weightsManifest 'x'", json: { ...TINY_JSON, weightsManifest: 'x' }, reason: 'no valid weightsManifest' },
  { id: 'manifest-paths-string', tests: 'a manifest group whose paths are a string', json: manifestWith(TINY_SPECS, 'tiny.bin'), reason: 'no valid weightsManifest' },
  { id: 'manifest-paths-number', tests: 'a manifest path that is the number 42', json: manifestWith(TINY_SPECS, [42]), reason: 'weight file 42 is missing' },
  { id: 'manifest-paths-null', tests: 'a manifest path that is null', json: manifestWith(TINY_SPECS, [null]), reason: 'weight file null is missing' },
  { id: 'path-etc-passwd', tests: "weights at '../etc/passwd', no such file picked", json: manifestWith(TINY_SPECS, ['../etc/passwd']), reason: 'weight file passwd is missing' },
  { id: 'path-etc-passwd-picked', tests: "weights at '../etc/passwd' and a picked file named passwd holding them", json: manifestWith(TINY_SPECS, ['../etc/passwd']), binAs: 'passwd', expect: 'accepted', why: 'weight files are matched by base name among the files the user picked, and only those are read: a path cannot reach anything else (a browser gives no other file).', sameAsTiny: true },
  { id: 'path-url', tests: "weights at 'https://evil.example/tiny.bin' (the picked tiny.bin holds them)", json: manifestWith(TINY_SPECS, ['https://evil.example/tiny.bin']), expect: 'accepted', why: 'only the picked file of that base name is read; nothing is fetched (the test fails on any fetch).', sameAsTiny: true },
  { id: 'path-dev-zero', tests: "weights at '/dev/zero', no such file picked", json: manifestWith(TINY_SPECS, ['/dev/zero']), reason: 'weight file zero is missing' },
  { id: 'paths-1000', tests: 'the weight file listed 1,000 times', json: manifestWith(TINY_SPECS, Array(1000).fill('tiny.bin')), reason: 'hold 680,000 bytes but the model needs 680' },
  { id: 'weights-short', tests: 'the weight file one byte short', json: TINY_JSON, bin: TINY_WEIGHTS.slice(0, -1), reason: 'hold 679 bytes but the model needs 680 \\(truncated' },
  { id: 'weights-long', tests: 'the weight file one byte long', json: TINY_JSON, bin: new Uint8Array([...TINY_WEIGHTS, 0]), reason: 'hold 681 bytes but the model needs 680' },
  { id: 'weights-empty', tests: 'an empty weight file', json: TINY_JSON, bin: new Uint8Array(0), reason: 'hold 0 bytes but the model needs 680' },
  { id: 'weights-missing', tests: 'model.json picked without its weight file', json: TINY_JSON, bin: 'none', reason: 'weight file tiny\\.bin is missing' },
  ...['float64', 'complex64', 'string', 'int64', '', 'float32 '].map((dtype) => ({ id: `dtype-${dtype.trim() || 'empty'}${dtype.endsWith(' ') ? '-space' : ''}`, tests: `a weight of dtype '${dtype}'`, json: manifestWith(specWith({ dtype })), reason: 'has an unsupported type' })),
  { id: 'dtype-null', tests: 'a weight of dtype null', json: manifestWith(specWith({ dtype: null })), reason: 'has an unsupported type' },
  { id: 'dtype-int32', tests: "the kernel of dtype 'int32' (same size)", json: manifestWith(specWith({ dtype: 'int32' })), reason: 'could not be read|int32', expect: 'refused' },
  { id: 'quantization-float64', tests: "quantization dtype 'float64'", json: manifestWith(specWith({ quantization: { dtype: 'float64', scale: 1, min: 0 } })), reason: 'has an unsupported type' },
  { id: 'shape-negative', tests: 'a weight of shape [-16, 10]', json: manifestWith(specWith({ shape: [-16, 10] })), reason: 'has no valid shape' },
  { id: 'shape-fraction', tests: 'a weight of shape [16.5, 10]', json: manifestWith(specWith({ shape: [16.5, 10] })), reason: 'has no valid shape' },
  { id: 'shape-null', tests: 'a weight of shape [null, 10] (NaN has no JSON form)', json: manifestWith(specWith({ shape: [null, 10] })), reason: 'has no valid shape' },
  { id: 'shape-strings', tests: "a weight of shape ['16', '10']", json: manifestWith(specWith({ shape: ['16', '10'] })), reason: 'has no valid shape' },
  { id: 'shape-string', tests: "a weight of shape '16,10'", json: manifestWith(specWith({ shape: '16,10' })), reason: 'has no valid shape' },
  { id: 'shape-1e12', tests: 'a weight of shape [1e12, 10]', json: manifestWith(specWith({ shape: [1e12, 10] })), reason: 'need 40000000\\.0 MB|models over 64 MB are refused|larger than' },
  { id: 'shape-2-53-times-0', tests: 'a weight of shape [2^53, 0] (no bytes) and the bias', json: manifestWith(specWith({ shape: [2 ** 53, 0] })), bin: biasBytes(), reason: 'need a weight dense/kernel of shape \\[16, 10\\]|larger than' },
  { id: 'shape-overflow', tests: 'a weight of shape [1e200, 1e200, 0] (Infinity times 0 is NaN)', json: manifestWith(specWith({ shape: [1e200, 1e200, 0] })), reason: 'has no valid shape|larger than' },
  { id: 'names-duplicated', tests: 'the kernel listed twice, no bias', json: manifestWith([TINY_SPECS[0], TINY_SPECS[0]]), bin: new Uint8Array(1280), reason: 'need a weight dense/bias of shape \\[10\\]' },
  { id: 'names-wrong', tests: 'weights of the right shapes under names no layer has', json: manifestWith([{ ...TINY_SPECS[0], name: 'evil/kernel' }, { ...TINY_SPECS[1], name: 'evil/bias' }]), reason: 'could not be read' },
  { id: 'name-proto', tests: "weights named '__proto__' and 'constructor'", json: manifestWith([{ ...TINY_SPECS[0], name: '__proto__' }, { ...TINY_SPECS[1], name: 'constructor' }]), reason: 'could not be read' },
  { id: 'top-level-proto', tests: "a top-level '__proto__' key holding another modelTopology", json: JSON.parse(`{"__proto__": {"modelTopology": ${JSON.stringify(sequential([POOL, FLATTEN, lambdaLayer, DENSE]))}}, ${JSON.stringify(TINY_JSON).slice(1)}`) as unknown, expect: 'accepted', why: "JSON.parse keeps __proto__ as an own key, so the model read is the file's own modelTopology; nothing in Object.prototype changes (asserted).", sameAsTiny: true },
  { id: 'metadata-string', tests: "userDefinedMetadata 'x' (not an object)", json: { ...TINY_JSON, userDefinedMetadata: 'x' }, reason: 'could not be read' },
  { id: 'metadata-array', tests: 'userDefinedMetadata an array', json: { ...TINY_JSON, userDefinedMetadata: [1, 2] }, reason: 'could not be read' },
  { id: 'weights-nan', tests: 'every weight NaN', json: TINY_JSON, bin: new Uint8Array(new Float32Array(170).fill(NaN).buffer), reason: 'not finite|NaN|cannot read' },
  { id: 'weights-infinite', tests: 'every weight +Infinity', json: TINY_JSON, bin: new Uint8Array(new Float32Array(170).fill(Infinity).buffer), reason: 'not finite|Infinity|cannot read' },
  { id: 'weights-huge', tests: 'every weight 3e38 (finite, overflowing to Infinity in the first sum)', json: TINY_JSON, bin: new Uint8Array(new Float32Array(170).fill(3e38).buffer), reason: 'not finite|cannot read|no numbers' },
];
function biasBytes(): Uint8Array {
  return new Uint8Array(BIAS.buffer.slice(0));
}
for (const c of manifestCases) {
  const id = `json-${c.id}`;
  const file = put(`json/${c.id}.json`, utf8(JSON.stringify(c.json)));
  const files = [{ file, as: 'model.json' }];
  if (c.bin instanceof Uint8Array) files.push({ file: put(`json/${c.id}.bin`, c.bin), as: 'tiny.bin' });
  else if (c.bin !== 'none') files.push({ file: TINY_BIN.file, as: c.binAs ?? 'tiny.bin' });
  const expect = c.expect ?? 'refused';
  add({ id, files, tests: `model.json: ${c.tests}`, expect, ...(expect === 'refused' ? { reason: c.reason! } : { why: c.why! }), ...(c.sameAsTiny ? { sameAsTiny: true } : {}) });
}

// ---------------------------------------------------------------------------------------------------------------
// A personal memory (personalMetadata.ts) in model.json's userDefinedMetadata, with absurd values. The model
// itself is whole: it imports, and the memory is refused when the model is made active (as the app does).

const unit = (dim: number, at = 0) => {
  const v = new Float32Array(dim);
  v[at % dim] = 1;
  return v;
};
const base64 = (values: Float32Array) => Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
const memory = (change: Json) => ({ format: 'digit-lab-personal-memory', version: 1, dim: 16, labels: [3], radii: [0.5], entries: base64(unit(16)), ...change });
const metadataCases: Array<{ id: string; tests: string; value: unknown; reason?: string; expect?: Expect; why?: string; text?: string }> = [
  { id: 'valid', tests: 'a valid memory of one entry (the control)', value: memory({}), expect: 'accepted', why: 'a memory the app could have written: it is read (1 entry).' },
  { id: 'dim-1e30', tests: 'dim 1e30', value: memory({ dim: 1e30 }), reason: 'feature size is not a whole number from 1 to 4096' },
  { id: 'dim-negative', tests: 'dim -1', value: memory({ dim: -1 }), reason: 'feature size is not a whole number' },
  { id: 'dim-fraction', tests: 'dim 16.5', value: memory({ dim: 16.5 }), reason: 'feature size is not a whole number' },
  { id: 'dim-string', tests: "dim '16'", value: memory({ dim: '16' }), reason: 'feature size is not a whole number' },
  { id: 'dim-infinity', tests: 'dim 1e400 (Infinity once parsed)', value: memory({ dim: raw('1e400') }), reason: 'feature size is not a whole number' },
  { id: 'labels-1e30', tests: 'labels 1e30 (a number, not a list)', value: memory({ labels: 1e30 }), reason: 'digits and radii do not match' },
  { id: 'labels-10001', tests: '10,001 entries (the limit is 10,000)', value: memory({ labels: Array(10_001).fill(0), radii: Array(10_001).fill(0) }), reason: 'digits and radii do not match' },
  { id: 'labels-radii-mismatch', tests: '2 digits and 1 radius', value: memory({ labels: [1, 2] }), reason: 'digits and radii do not match' },
  { id: 'labels-empty', tests: 'no entries', value: memory({ labels: [], radii: [], entries: '' }), reason: 'digits and radii do not match' },
  { id: 'label-10', tests: 'a digit 10', value: memory({ labels: [10] }), reason: 'a digit is not 0-9' },
  { id: 'label-null', tests: 'a digit null (NaN has no JSON form)', value: memory({ labels: [null] }), reason: 'a digit is not 0-9' },
  { id: 'label-fraction', tests: 'a digit 1.5', value: memory({ labels: [1.5] }), reason: 'a digit is not 0-9' },
  { id: 'label-string', tests: "a digit '3'", value: memory({ labels: ['3'] }), reason: 'a digit is not 0-9' },
  { id: 'radius-negative', tests: 'a radius -1', value: memory({ radii: [-1] }), reason: 'a radius is not a number from 0 to 2' },
  { id: 'radius-3', tests: 'a radius 3', value: memory({ radii: [3] }), reason: 'a radius is not a number from 0 to 2' },
  { id: 'radius-nan-string', tests: "a radius 'NaN'", value: memory({ radii: ['NaN'] }), reason: 'a radius is not a number from 0 to 2' },
  { id: 'radius-null', tests: 'a radius null', value: memory({ radii: [null] }), reason: 'a radius is not a number from 0 to 2' },
  { id: 'radius-infinity', tests: 'a radius 1e400 (Infinity once parsed)', value: memory({ radii: [raw('1e400')] }), reason: 'a radius is not a number from 0 to 2' },
  { id: 'entries-number', tests: 'features the number 1e30', value: memory({ entries: 1e30 }), reason: 'its features are missing' },
  { id: 'entries-not-base64', tests: "features '@@@@' (not base64)", value: memory({ entries: '@@@@' }), reason: 'its features are not base64' },
  { id: 'entries-short', tests: 'features one float short', value: memory({ entries: base64(unit(15)) }), reason: 'its features do not match its digits' },
  { id: 'entries-nan', tests: 'features all NaN', value: memory({ entries: base64(new Float32Array(16).fill(NaN)) }), reason: 'a feature is not a finite number' },
  { id: 'entries-infinite', tests: 'a feature +Infinity', value: memory({ entries: base64(Float32Array.from({ length: 16 }, (_, i) => (i ? 0 : Infinity))) }), reason: 'a feature is not a finite number' },
  { id: 'entries-not-unit', tests: 'a feature vector of length 2', value: memory({ entries: base64(unit(16).map((v) => v * 2)) }), reason: 'feature vector 1 is not of unit length' },
  { id: 'entries-1e30', tests: 'a feature vector of length 1e30', value: memory({ entries: base64(unit(16).map((v) => v * 1e30)) }), reason: 'feature vector 1 is not of unit length' },
  { id: 'format-other', tests: "format 'evil'", value: memory({ format: 'evil' }), reason: 'not in Digit Lab’s format' },
  { id: 'version-2', tests: 'version 2', value: memory({ version: 2 }), reason: 'of version 2, this app reads version 1' },
  { id: 'version-string', tests: "version '1'", value: memory({ version: '1' }), reason: 'of version 1, this app reads version 1' },
  { id: 'a-string', tests: 'the memory a string', value: 'memory', reason: 'not in Digit Lab’s format' },
  { id: 'null', tests: 'the memory null', value: null, reason: 'not in Digit Lab’s format' },
  { id: 'proto-fields', tests: "the memory's fields under a '__proto__' key", value: null, text: `{"__proto__": ${JSON.stringify(memory({}))}}`, reason: 'not in Digit Lab’s format' },
];
for (const c of metadataCases) {
  const value = c.text ?? rawText(c.value);
  const text = JSON.stringify({ ...TINY_JSON, userDefinedMetadata: { [PERSONAL_METADATA_KEY]: '__VALUE__' } }).replace('"__VALUE__"', value);
  const file = put(`json/memory-${c.id}.json`, utf8(text));
  const expect = c.expect ?? 'memory-refused';
  add({ id: `memory-${c.id}`, files: [{ file, as: 'model.json' }, TINY_BIN], tests: `a personal memory in model.json: ${c.tests}`, expect, sameAsTiny: true, ...(expect === 'memory-refused' ? { reason: c.reason! } : { why: c.why! }) });
}
{
  const deep = `{"digitLabPersonalMemory": ${'['.repeat(150)}${']'.repeat(150)}}`;
  const text = JSON.stringify({ ...TINY_JSON, userDefinedMetadata: '__VALUE__' }).replace('"__VALUE__"', deep);
  add({ id: 'memory-nested-150', files: [{ file: put('json/memory-nested-150.json', utf8(text)), as: 'model.json' }, TINY_BIN], tests: 'a personal memory nested 150 deep', expect: 'refused', reason: 'nests arrays and objects more than 100 levels deep' });
}

// ---------------------------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------------------------
// Known bugs: what the import does now with these entries is wrong. Each keeps its expectation as `shouldBe`;
// the test asserts the current behaviour, so that a fix fails it until the entry leaves this table.

// None now. Fixed: a Sequential config whose layers are not a list (json-nested-in-strings: the engine's "Object is
// not iterable"), and float16 weights (h5-weight-float16: h5wasm gives no values for them, refused as damaged).
const KNOWN_BUGS: Array<{ ids: string[]; bug: string; current: NonNullable<HostileEntry['current']> }> = [];
for (const { ids, bug, current } of KNOWN_BUGS) {
  for (const id of ids) {
    const entry = entries.find((e) => e.id === id);
    if (!entry) throw new Error(`known bug ${id} is no entry`);
    if (entry.expect !== 'refused' && entry.expect !== 'accepted' && entry.expect !== 'any') throw new Error(`known bug ${id} expects ${entry.expect}`);
    entry.shouldBe = entry.expect === 'accepted' ? 'accepted' : 'refused';
    entry.expect = 'known-bug';
    entry.bug = bug;
    entry.current = current;
  }
}

rmSync(scratch, { recursive: true, force: true });
const manifest = {
  '//': 'Written by scripts/make-hostile-models.ts; do not edit. Read by src/model/hostileModels.test.ts.',
  seed: SEED,
  files: written.size,
  bytes: totalBytes,
  entries,
};
// One entry a line: readable, and a third of the bytes of an indented file.
const { entries: listed, ...head } = manifest;
writeFileSync(join(OUT, 'manifest.json'), `${JSON.stringify(head).slice(0, -1)},\n"entries": [\n${listed.map((e) => JSON.stringify(e)).join(',\n')}\n]}\n`);
console.log(`${entries.length} entries, ${written.size} files, ${totalBytes.toLocaleString('en')} bytes in ${relative(process.cwd(), OUT) || '.'}`);
