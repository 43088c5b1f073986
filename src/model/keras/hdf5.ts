/**
 * HDF5 files in and out through h5wasm (the HDF5 C library compiled to WebAssembly, 4 MB of JavaScript with the
 * binary inside). It is imported dynamically, on the first Keras file read or written, so the app's first visit
 * never downloads it. Files live in h5wasm's in-memory file system only while they are read or written.
 * No DOM: runs in the prediction worker and in Node.
 */

import type * as H5 from 'h5wasm';
import { halvesToFloats } from './float16';

type H5wasm = typeof H5;

let loading: Promise<H5wasm> | undefined;

/** h5wasm, loaded on first use. */
function h5wasm(): Promise<H5wasm> {
  loading ??= import('h5wasm').then(async (module) => {
    await module.ready;
    return module;
  });
  return loading;
}

let counter = 0;
const scratchPath = () => `/digit-lab-${Date.now().toString(36)}-${++counter}.h5`;

export class Hdf5Error extends Error {
  override name = 'Hdf5Error';
}

/** HDF5's class of floating-point types (H5T_FLOAT), as h5wasm's metadata gives it. */
const FLOAT_CLASS = 1;
/**
 * The floats read, by bytes per number: float16 (IEEE half, numpy's and so h5py's 2-byte float: h5wasm's metadata
 * does not give a float's bit layout, and no writer Keras uses makes another), float32, float64.
 */
export const READ_FLOAT_BYTES: ReadonlySet<number> = new Set([2, 4, 8]);

/** Why a float dataset of another size (a 128-bit long double, say) is not read. */
export const unreadFloats = (p: string, bytesPerElement: number) =>
  `the weight ${p} holds ${bytesPerElement * 8}-bit floating-point numbers, which Digit Lab does not read (it reads 16-, 32- and 64-bit ones)`;

export interface DatasetInfo {
  shape: number[];
  /** HDF5's class of the numbers: float (with bytesPerElement 2, 4 or 8: float16, float32, float64), int or other. */
  type: 'float' | 'int' | 'other';
  bytesPerElement: number;
}

/** One HDF5 file open for reading. Paths are absolute within the file (`/model_weights/dense`). */
export interface Hdf5Reader {
  /** A string attribute, a list of strings, or undefined when absent or of another type. */
  attr(path: string, name: string): string | string[] | undefined;
  /**
   * An attribute's size from its header alone, nothing read: how many values it holds, and their bytes when they
   * are fixed-length (a variable-length string's length is known only once it is read). Undefined when absent.
   */
  attrSize(path: string, name: string): { count: number; bytes?: number } | undefined;
  attrNames(path: string): string[];
  /** What is at `path`: a group, a dataset, or nothing. */
  kind(path: string): 'group' | 'dataset' | undefined;
  keys(path: string): string[];
  /** A dataset's shape and element type, from its header alone (no data read). */
  dataset(path: string): DatasetInfo | undefined;
  /** A float dataset's values as float32 (float16 and float64 datasets converted); Hdf5Error when it holds other numbers. */
  readFloats(path: string): Float32Array;
  close(): void;
}

function asStrings(value: unknown): string | string[] | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return undefined;
}

/** Opens HDF5 bytes; throws Hdf5Error when they are not a readable HDF5 file (not HDF5, truncated, damaged). */
export async function openHdf5(bytes: Uint8Array): Promise<Hdf5Reader> {
  const h5 = await h5wasm();
  const fs = h5.FS!;
  const path = scratchPath();
  fs.writeFile(path, bytes);
  let file: InstanceType<H5wasm['File']>;
  try {
    file = new h5.File(path, 'r');
    // h5wasm hands back a File for some damaged files and fails on first use: use it once here.
    void file.keys();
    void Object.keys(file.attrs);
  } catch {
    fs.unlink(path);
    throw new Hdf5Error('it is not a readable HDF5 file (damaged or truncated?)');
  }
  type Entity = ReturnType<typeof file.get>;
  const at = (p: string): Entity => {
    try {
      return p === '/' ? file : file.get(p);
    } catch {
      return null;
    }
  };
  const attrsOf = (p: string) => {
    const entity = at(p);
    try {
      return entity instanceof h5.Group || entity instanceof h5.Dataset ? entity.attrs : {};
    } catch {
      throw new Hdf5Error(`its attributes at ${p} cannot be read (damaged?)`);
    }
  };
  return {
    attr(p, name) {
      const attribute = attrsOf(p)[name];
      if (!attribute) return undefined;
      try {
        return asStrings(attribute.value);
      } catch {
        throw new Hdf5Error(`its attribute ${name} cannot be read`);
      }
    },
    attrSize(p, name) {
      const attributes = attrsOf(p);
      if (!(name in attributes)) return undefined;
      let metadata: { size: number; total_size: number; vlen: boolean };
      try {
        // Building the Attribute reads its header (h5wasm reads the value only when asked).
        metadata = attributes[name]!.metadata;
      } catch {
        throw new Hdf5Error(`its attribute ${name} cannot be read`);
      }
      return { count: metadata.total_size, ...(metadata.vlen ? {} : { bytes: metadata.size * metadata.total_size }) };
    },
    attrNames: (p) => Object.keys(attrsOf(p)),
    kind(p) {
      const entity = at(p);
      if (entity instanceof h5.Dataset) return 'dataset';
      if (entity instanceof h5.Group) return 'group';
      return undefined;
    },
    keys(p) {
      const entity = at(p);
      return entity instanceof h5.Group ? entity.keys() : [];
    },
    dataset(p) {
      const entity = at(p);
      if (!(entity instanceof h5.Dataset)) return undefined;
      let meta: { type: number; size: number };
      try {
        meta = entity.metadata;
      } catch {
        // h5wasm throws its own Error('error - name not defined!') for a header it cannot read.
        throw new Hdf5Error(`its dataset ${p} cannot be read (damaged?)`);
      }
      const type = meta.type === FLOAT_CLASS ? 'float' : meta.type === 0 ? 'int' : 'other';
      return { shape: [...(entity.shape ?? [])], type, bytesPerElement: meta.size };
    },
    readFloats(p) {
      const entity = at(p);
      if (!(entity instanceof h5.Dataset)) throw new Hdf5Error(`it has no dataset ${p}`);
      let meta: { type: number; size: number; total_size: number; shape: number[] | null };
      try {
        meta = entity.metadata;
      } catch {
        throw new Hdf5Error(`its dataset ${p} cannot be read (damaged?)`);
      }
      if (meta.type !== FLOAT_CLASS || !meta.shape) throw new Hdf5Error(`its dataset ${p} does not hold floating-point numbers`);
      if (!READ_FLOAT_BYTES.has(meta.size)) throw new Hdf5Error(unreadFloats(p, meta.size));
      return floatsFromBytes(readRaw(h5, file, entity, p, meta.size * meta.total_size), meta.size);
    },
    close() {
      try {
        file.close();
      } finally {
        fs.unlink(path);
      }
    },
  };
}

/**
 * A float dataset's raw values (little-endian: h5wasm asks HDF5 for that order whatever the file's) as float32:
 * float16 converted exactly, float64 rounded to the nearest float32. `bytes` starts a buffer of its own (aligned).
 */
function floatsFromBytes(bytes: Uint8Array, bytesPerElement: number): Float32Array {
  if (bytesPerElement === 2) return halvesToFloats(bytes);
  if (bytesPerElement === 8) return Float32Array.from(new Float64Array(bytes.buffer, bytes.byteOffset, bytes.length / 8));
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
}

/** h5wasm's module as far as reading a dataset ourselves goes. */
interface H5Module {
  HEAPU8: Uint8Array;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  get_dataset_data(file: bigint, path: string, count: null, offset: null, stride: null, pointer: bigint): number;
}

/**
 * Reads the dataset's `bytes` (all of it, in the dataset's own type) into scratch memory and copies them out,
 * refusing them when HDF5 says the read failed: h5wasm's own `value` ignores that status and hands back the
 * buffer it allocated, leftover WebAssembly heap (a damaged compressed chunk, external storage that is not
 * there). Reading the bytes, not `value`, also reads float16, for which h5wasm has no typed array.
 */
function readRaw(h5: H5wasm, file: InstanceType<H5wasm['File']>, entity: InstanceType<H5wasm['Dataset']>, p: string, bytes: number): Uint8Array {
  const module = (h5 as unknown as { Module: H5Module }).Module;
  const pointer = module._malloc(Math.max(1, bytes));
  if (!pointer) throw new Hdf5Error(`its dataset ${p} is too large to read`);
  try {
    const fileId = (file as unknown as { file_id: bigint }).file_id;
    let status: number;
    try {
      status = module.get_dataset_data(fileId, entity.path, null, null, null, BigInt(pointer));
    } catch {
      status = -1;
    }
    if (status < 0) throw new Hdf5Error(`its dataset ${p} cannot be read (damaged?)`);
    // The heap may have grown during the read: HEAPU8 is looked up after it.
    return module.HEAPU8.slice(pointer, pointer + bytes);
  } finally {
    module._free(pointer);
  }
}

/** A group to write: string attributes, float32 datasets and groups within. */
export interface Hdf5Group {
  attrs?: Record<string, string | string[]>;
  datasets?: Record<string, { shape: number[]; data: Float32Array }>;
  groups?: Record<string, Hdf5Group>;
}

/** Writes a tree of groups as an HDF5 file's bytes. */
export async function writeHdf5(root: Hdf5Group): Promise<Uint8Array> {
  const h5 = await h5wasm();
  const fs = h5.FS!;
  const path = scratchPath();
  const file = new h5.File(path, 'w');
  try {
    const fill = (group: InstanceType<H5wasm['Group']>, spec: Hdf5Group) => {
      for (const [name, value] of Object.entries(spec.attrs ?? {})) group.create_attribute(name, value);
      for (const [name, { shape, data }] of Object.entries(spec.datasets ?? {})) {
        group.create_dataset({ name, data, shape, dtype: '<f' });
      }
      for (const [name, child] of Object.entries(spec.groups ?? {})) fill(group.create_group(name), child);
    };
    fill(file, root);
    file.flush();
  } finally {
    file.close();
  }
  try {
    return fs.readFile(path, { encoding: 'binary' }) as Uint8Array;
  } finally {
    fs.unlink(path);
  }
}
