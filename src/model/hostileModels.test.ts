/**
 * The hostile-model corpus (src/testing/hostile-models/, written by scripts/make-hostile-models.ts: HDF5 files cut
 * at every structure boundary and with bytes flipped, random bytes, zips that lie, configs of absurd shapes and
 * depths, manifests and personal memories of absurd values), every entry imported in Node through the function the
 * browser's import uses (importModelFiles), as the files the user picked. Each is held to:
 *  - refused: an ImportError (what the worker reports as an invalid model) whose message is a sentence for people,
 *    naming the reason the manifest gives, not a JavaScript engine's error;
 *  - accepted (where the manifest says why that is right): reads a digit, exactly as the tiny model does where it
 *    holds the same weights, with no HDF5 read failing under it; made active as the app makes an imported model;
 *  - a personal memory of absurd values: the model reads, the memory is refused with a message when it is made active;
 *  - every one, within 5 s and 300 MB (heap, array buffers, both WebAssembly heaps), leaving no tensor or variable,
 *    fetching nothing, changing no built-in prototype.
 * Known bugs (the manifest's `known-bug` entries) are held to what they do now: a fix fails the test until the
 * entry leaves scripts/make-hostile-models.ts's KNOWN_BUGS. A hang runs in a child process, killed after 5 s.
 */
import * as tf from '@tensorflow/tfjs';
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWasmBackend } from '../../scripts/nodeBackend';
import type { HostileEntry } from '../../scripts/make-hostile-models';
import { ActiveModel } from '../library/activeModel';
import { mnistTestDigits } from '../testing/keras/reference';
import { importModelFiles } from './importLayersModel';
import type { StoredModel } from './modelCard';

const CORPUS = fileURLToPath(new URL('../testing/hostile-models/', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const manifest = JSON.parse(readFileSync(join(CORPUS, 'manifest.json'), 'utf8')) as { entries: HostileEntry[]; files: number; bytes: number };

const TIME_LIMIT_MS = 5000;
const MEMORY_LIMIT_BYTES = 300 * 1024 * 1024;
const DIGITS = 4;

const picked = (entry: HostileEntry) => entry.files.map(({ file, as }) => new File([readFileSync(join(CORPUS, file))], as));

/**
 * HDF5 prints its error stack for every file it cannot read (thousands of lines here). h5wasm binds console.error
 * when it is first imported, which is after this: those lines are counted and dropped, everything else printed.
 */
const consoleError = console.error;
let hdf5Diagnostics = 0;
console.error = (...args: unknown[]) => {
  if (/^(HDF5-DIAG|\s+#\d{3}:|\s+(major|minor):)/.test(args.map(String).join(' '))) hdf5Diagnostics++;
  else consoleError(...args);
};

/** A full collection, so that a measurement starts from what is alive. */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

interface H5Module {
  HEAPU8: Uint8Array;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  get_dataset_data(file: bigint, path: string, count: null, offset: null, stride: null, pointer: bigint): number;
}
const h5wasm = async () => {
  const h5 = await import('h5wasm');
  await h5.ready;
  return h5;
};
const wasmHeaps = async () => (await h5wasm()).Module.HEAPU8.byteLength + (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.byteLength;
async function memoryInUse(): Promise<number> {
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external + (await wasmHeaps());
}

/** What makes a message no sentence for people: a JavaScript engine's or a library's internals, or nothing. */
const INTERNAL = /Maximum call stack|Cannot read propert|Cannot set propert|is not iterable|is not a function|is not a constructor|not defined|undefined \(reading|Invalid (typed )?array length|out of memory|RuntimeError|Aborted\(|unreachable|out of bounds|needs? NaN\b/;
function notASentence(message: string): string | undefined {
  if (message.trim().length < 15 || !/[a-z]{3,}.*\s.*[a-z]{3,}/i.test(message)) return 'it is empty or no sentence';
  if (/:\s*$/.test(message)) return 'it stops where its reason should be';
  if (INTERNAL.test(message)) return 'it is a JavaScript engine’s error, not a reason';
  return undefined;
}

/** The ten probabilities for each of the first DIGITS MNIST test digits. */
function readings(model: tf.LayersModel): number[] {
  const { images } = mnistTestDigits(DIGITS);
  const flat = model.inputs[0]!.shape.length === 2;
  return tf.tidy(() => Array.from((model.predict(flat ? tf.tensor2d(images, [DIGITS, 784]) : tf.tensor4d(images, [DIGITS, 28, 28, 1])) as tf.Tensor).dataSync()));
}
function readsDigits(probabilities: number[]): void {
  expect(probabilities).toHaveLength(DIGITS * 10);
  for (let i = 0; i < DIGITS; i++) {
    const row = probabilities.slice(i * 10, i * 10 + 10);
    expect(row.every(Number.isFinite), `digit ${i}'s probabilities ${row.join(', ')}`).toBe(true);
    expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-3);
  }
}

/**
 * The datasets of the entry's HDF5 files (a .keras file's model.weights.h5) that HDF5 fails to read: h5wasm hands
 * back a buffer whatever the read's status, so a failed read would come through the import as weights.
 */
async function failedReads(entry: HostileEntry): Promise<string[]> {
  const h5 = await h5wasm();
  const module = h5.Module as unknown as H5Module;
  const failed: string[] = [];
  for (const { file } of entry.files) {
    let bytes = new Uint8Array(readFileSync(join(CORPUS, file)));
    if (bytes[0] === 0x50 && bytes[1] === 0x4b) bytes = unzipSync(bytes)['model.weights.h5'] ?? new Uint8Array(0);
    if (bytes[1] !== 0x48 || bytes[2] !== 0x44 || bytes[3] !== 0x46) continue;
    const path = `/hostile-check-${entry.id}.h5`;
    h5.FS!.writeFile(path, bytes);
    const h5file = new h5.File(path, 'r');
    try {
      // Every dataset, groups walked to a depth of 8 (a file may hold a cycle).
      const pending: Array<[string, number]> = [['/', 0]];
      for (let item = pending.pop(); item; item = pending.pop()) {
        const [group, depth] = item;
        const entity = group === '/' ? h5file : h5file.get(group);
        if (!(entity instanceof h5.Group) || depth > 8) continue;
        for (const key of entity.keys()) {
          const child = `${group === '/' ? '' : group}/${key}`;
          let found: ReturnType<typeof h5file.get>;
          try {
            found = h5file.get(child);
          } catch {
            continue;
          }
          if (found instanceof h5.Group) pending.push([child, depth + 1]);
          if (!(found instanceof h5.Dataset)) continue;
          const { size, total_size: count } = found.metadata;
          const pointer = module._malloc(Math.max(1, size * count));
          try {
            if (module.get_dataset_data(h5file.file_id, child, null, null, null, BigInt(pointer)) < 0) failed.push(`${file}:${child}`);
          } finally {
            module._free(pointer);
          }
        }
      }
    } finally {
      h5file.close();
      h5.FS!.unlink(path);
    }
  }
  return failed;
}

/** The entry imported in a child process (the same import, in Node): whether it ends within TIME_LIMIT_MS. */
async function endsInChild(entry: HostileEntry): Promise<{ ended: boolean; output: string }> {
  const files = entry.files.map(({ file, as }) => [join(CORPUS, file), as]);
  const code = `
    const { readFileSync } = await import('node:fs');
    const { startWasmBackend } = await import(${JSON.stringify(join(ROOT, 'scripts/nodeBackend.ts'))});
    const { importModelFiles } = await import(${JSON.stringify(join(ROOT, 'src/model/importLayersModel.ts'))});
    await startWasmBackend();
    const files = ${JSON.stringify(files)}.map(([path, name]) => new File([readFileSync(path)], name));
    console.log('IMPORTING');
    try { await importModelFiles(files); console.log('ACCEPTED'); } catch (error) { console.log('REFUSED ' + error.message); }
    process.exit(0);`;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] });
  let output = '';
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const startup = setTimeout(() => finish(false), 90_000);
    const finish = (ended: boolean) => {
      clearTimeout(startup);
      clearTimeout(timer);
      if (child.exitCode === null) child.kill('SIGKILL');
      resolve({ ended, output });
    };
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (!timer && output.includes('IMPORTING')) timer = setTimeout(() => finish(false), TIME_LIMIT_MS);
      if (/ACCEPTED|REFUSED/.test(output)) finish(true);
    });
    child.on('exit', () => finish(/ACCEPTED|REFUSED/.test(output)));
  });
}

const builtIns = [Object.prototype, Array.prototype, Function.prototype, String.prototype];
const prototypeKeys = () => builtIns.map((p) => Reflect.ownKeys(p).map(String).sort().join(','));
const STORED: StoredModel = { id: 'hostile', card: { name: 'Imported', source: 'imported', createdAt: new Date(0).toISOString() } };

type Outcome = { refused: string } | { accepted: tf.LayersModel };
const tally = {
  tried: 0,
  refused: 0,
  accepted: new Map<string, number>(),
  memoryRefused: 0,
  either: { refused: 0, accepted: 0 },
  knownBugs: new Map<string, string[]>(),
  keptByActivation: 0,
  slowest: { id: '', ms: 0 },
  largest: { id: '', bytes: 0 },
};
let tiny: number[] = [];
let before: string[] = [];
const realFetch = globalThis.fetch;
let fetches: string[] = [];

beforeAll(async () => {
  await startWasmBackend();
  // The tiny model's readings, and everything loaded (h5wasm, kernels) before anything is measured.
  for (const id of ['control-h5-keras2', 'control-keras', 'control-model-json']) {
    const { model } = await importModelFiles(picked(manifest.entries.find((e) => e.id === id)!));
    tiny = readings(model);
    model.dispose();
  }
  before = prototypeKeys();
  globalThis.fetch = (async (input: unknown) => {
    fetches.push(String(input));
    throw new Error('the import fetched something');
  }) as typeof fetch;
});

afterAll(() => {
  globalThis.fetch = realFetch;
  console.error = consoleError;
  const accepted = [...tally.accepted].map(([why, n]) => `  ${n} accepted: ${why}`);
  const bugs = [...tally.knownBugs].map(([bug, ids]) => `  ${ids.length} known bug (${ids.join(', ')}): ${bug}`);
  console.log(
    [
      `Hostile models: ${tally.tried} imports tried (${manifest.entries.length} entries, ${manifest.files} files, ${manifest.bytes.toLocaleString('en')} bytes)`,
      `  ${tally.refused} refused with a message`,
      `  slowest ${tally.slowest.ms.toFixed(0)} ms (${tally.slowest.id}), most memory ${(tally.largest.bytes / 1e6).toFixed(1)} MB (${tally.largest.id}), in process`,
      `  ${tally.memoryRefused} read, their personal memory refused with a message`,
      `  ${tally.either.refused + tally.either.accepted} with flipped bytes no checksum guards: ${tally.either.refused} refused with a message, ${tally.either.accepted} read with every weight as the file holds it`,
      ...accepted,
      ...bugs,
      `  (HDF5 printed ${hdf5Diagnostics.toLocaleString('en')} lines of diagnostics on the way, not shown; ActiveModel.activate kept ${tally.keptByActivation} warm-up readings, a tensor each)`,
    ].join('\n'),
  );
});

async function attempt(entry: HostileEntry): Promise<{ outcome: Outcome; error?: unknown }> {
  try {
    const { model } = await importModelFiles(picked(entry));
    return { outcome: { accepted: model } };
  } catch (error) {
    return { outcome: { refused: error instanceof Error ? error.message : String(error) }, error };
  }
}

function expectRefusedWell(entry: HostileEntry, error: unknown): void {
  const message = (error as Error).message;
  expect((error as { code?: unknown }).code, `${entry.id}: ${String((error as Error).name)} ${message}`).toBe('invalid-model');
  expect(notASentence(message), `${entry.id}: "${message}"`).toBeUndefined();
  if (entry.reason) expect(message, entry.id).toMatch(new RegExp(entry.reason, 'i'));
}

/**
 * Reads digits, as the tiny model where it should; made active as the app makes an imported model (warmed up, its
 * carried memory read): the memory's problem, if any, and the tensors the activation kept.
 */
async function expectReadsWell(entry: HostileEntry, model: tf.LayersModel): Promise<{ problem?: string; kept: number }> {
  const probabilities = readings(model);
  readsDigits(probabilities);
  if (entry.sameAsTiny) expect(probabilities, `${entry.id} reads as the tiny model`).toEqual(tiny);
  expect(await failedReads(entry), `${entry.id}: HDF5 reads that failed under an accepted import`).toEqual([]);
  const tensors = tf.memory().numTensors;
  const active = new ActiveModel();
  active.activate(model, STORED);
  // activate() keeps its warm-up reading (tf.tidy returns what model.predict gave): one tensor, not the import's.
  const kept = tf.memory().numTensors - tensors;
  expect(kept).toBeLessThanOrEqual(1);
  tally.keptByActivation += kept;
  return { ...(active.carriedMemory.problem ? { problem: active.carriedMemory.problem } : {}), kept };
}

describe('the hostile-model corpus, through the import the browser uses', () => {
  it('is what the generator wrote: every file listed, small', () => {
    expect(manifest.entries.length).toBeGreaterThan(400);
    expect(manifest.bytes).toBeLessThan(2.2e6);
    for (const entry of manifest.entries) for (const { file } of entry.files) expect(() => readFileSync(join(CORPUS, file))).not.toThrow();
  });

  for (const entry of manifest.entries) {
    it(`${entry.id}: ${entry.tests}`, async () => {
      tally.tried++;
      if (entry.current && 'hangs' in entry.current) {
        const { ended, output } = await endsInChild(entry);
        expect(ended, `${entry.id} ended (${output.trim().split('\n').pop()}): the bug is fixed? Take it out of KNOWN_BUGS`).toBe(false);
        tally.knownBugs.set(entry.bug!, [...(tally.knownBugs.get(entry.bug!) ?? []), entry.id]);
        return;
      }
      let tensors = tf.memory().numTensors;
      const variables = Object.keys(tf.engine().state.registeredVariables).length;
      fetches = [];
      gc();
      const memoryBefore = await memoryInUse();
      const started = performance.now();
      const { outcome, error } = await attempt(entry);
      const elapsed = performance.now() - started;
      const grown = (await memoryInUse()) - memoryBefore;
      if (elapsed > tally.slowest.ms) tally.slowest = { id: entry.id, ms: elapsed };
      if (grown > tally.largest.bytes) tally.largest = { id: entry.id, bytes: grown };
      try {
        expect(elapsed, `${entry.id} took ${elapsed.toFixed(0)} ms`).toBeLessThan(TIME_LIMIT_MS);
        expect(grown, `${entry.id} grew memory by ${(grown / 1e6).toFixed(1)} MB`).toBeLessThan(MEMORY_LIMIT_BYTES);
        expect(fetches, entry.id).toEqual([]);
        expect(prototypeKeys(), `${entry.id} changed a built-in prototype`).toEqual(before);
        expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
        const accepted = 'accepted' in outcome ? outcome.accepted : undefined;
        switch (entry.expect) {
          case 'refused':
            expect(accepted && `accepted (${accepted.countParams()} parameters)`, entry.id).toBeUndefined();
            expectRefusedWell(entry, error);
            tally.refused++;
            break;
          case 'accepted': {
            expect(accepted, `${entry.id} refused: ${'refused' in outcome ? outcome.refused : ''}`).toBeDefined();
            const { problem, kept } = await expectReadsWell(entry, accepted!);
            tensors += kept;
            expect(problem, entry.id).toBeUndefined();
            tally.accepted.set(entry.why!, (tally.accepted.get(entry.why!) ?? 0) + 1);
            break;
          }
          case 'memory-refused': {
            expect(accepted, `${entry.id} refused: ${'refused' in outcome ? outcome.refused : ''}`).toBeDefined();
            const { problem, kept } = await expectReadsWell(entry, accepted!);
            tensors += kept;
            expect(problem, `${entry.id}: its memory was read`).toBeDefined();
            expect(notASentence(problem!), `${entry.id}: "${problem}"`).toBeUndefined();
            expect(problem, entry.id).toMatch(new RegExp(entry.reason!, 'i'));
            tally.memoryRefused++;
            break;
          }
          case 'any':
            if (accepted) {
              tensors += (await expectReadsWell(entry, accepted)).kept;
              tally.either.accepted++;
            } else {
              expectRefusedWell(entry, error);
              tally.either.refused++;
            }
            break;
          case 'known-bug': {
            const now = accepted ? 'accepted' : `refused: ${'refused' in outcome ? outcome.refused : ''}`;
            const fixed = `${entry.id} is now ${now}: the bug is fixed? Take it out of KNOWN_BUGS`;
            if (entry.current && 'accepted' in entry.current) expect(accepted, fixed).toBeDefined();
            else {
              expect(accepted, fixed).toBeUndefined();
              expect('refused' in outcome ? outcome.refused : '', fixed).toMatch(new RegExp((entry.current as { message: string }).message));
            }
            tally.knownBugs.set(entry.bug!, [...(tally.knownBugs.get(entry.bug!) ?? []), entry.id]);
            break;
          }
        }
      } finally {
        if ('accepted' in outcome) outcome.accepted.dispose();
      }
      expect(tf.memory().numTensors, `${entry.id} left tensors`).toBe(tensors);
      expect(Object.keys(tf.engine().state.registeredVariables).length, `${entry.id} left variables`).toBe(variables);
    });
  }
});
