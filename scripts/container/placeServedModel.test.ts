/**
 * scripts/container/place-served-model.sh, which the Dockerfile's build stage runs to choose the model the image
 * serves, run here with sh on folders like those a user hands it (the container test builds with the default
 * and with INCLUDE_PRETRAINED=false; these are the ways a folder of one's own can be wrong).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const SCRIPT = resolve(import.meta.dirname, 'place-served-model.sh');
const REPOSITORY_MODEL = resolve(import.meta.dirname, '../../public/models/pretrained');
let context: string;

/** A build context as the Dockerfile's build stage has it: the repository's model under public/. */
function freshContext(): string {
  context = mkdtempSync(join(tmpdir(), 'served-model-'));
  cpSync(REPOSITORY_MODEL, join(context, 'public/models/pretrained'), { recursive: true });
  return context;
}

function place(include: string, served: string) {
  const result = spawnSync('sh', [SCRIPT, include, served], { cwd: context, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** A folder as the app's TensorFlow.js export saves it: model.json, two shards, the card. */
function exported(name: string, card: object | null = { name: 'My seven reader', source: 'trained' }): string {
  const dir = join(context, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.json'), JSON.stringify({ modelTopology: {}, weightsManifest: [{ paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'], weights: [] }] }));
  writeFileSync(join(dir, 'group1-shard1of2.bin'), new Uint8Array(8));
  writeFileSync(join(dir, 'group1-shard2of2.bin'), new Uint8Array(4));
  if (card) writeFileSync(join(dir, 'model-card.json'), JSON.stringify(card, null, 2));
  return name;
}

const served = () => readdirSync(join(context, 'public/models/pretrained')).sort();

afterEach(() => rmSync(context, { recursive: true, force: true }));

describe('the model an image serves', () => {
  it("keeps the repository's model by default", () => {
    freshContext();
    expect(place('true', '')).toMatchObject({ status: 0 });
    expect(served()).toEqual(['group1-shard1of1.bin', 'model-card.json', 'model.json']);
  });

  it('serves none with INCLUDE_PRETRAINED=false', () => {
    freshContext();
    const { status, output } = place('false', '');
    expect(status).toBe(0);
    expect(output).toContain('No model is served');
    expect(existsSync(join(context, 'public/models/pretrained'))).toBe(false);
  });

  it('serves an exported folder instead, only its model files, and names it', () => {
    freshContext();
    const dir = exported('my-model');
    writeFileSync(join(context, dir, 'notes.txt'), 'not served');
    const { status, output } = place('true', dir);
    expect(status, output).toBe(0);
    expect(output).toContain('Serving the model in my-model: My seven reader');
    expect(served()).toEqual(['group1-shard1of2.bin', 'group1-shard2of2.bin', 'model-card.json', 'model.json']);
    expect(JSON.parse(readFileSync(join(context, 'public/models/pretrained/model-card.json'), 'utf8')).name).toBe('My seven reader');
  });

  it('refuses, with the reason, a folder the page could not serve', () => {
    freshContext();
    expect(place('true', 'nowhere').output).toMatch(/SERVED_MODEL=nowhere is not a folder in the build context/);
    expect(place('true', exported('no-card', null)).output).toMatch(/SERVED_MODEL=no-card has no model-card.json: export the model from the app/);
    const missingShard = exported('missing-shard');
    rmSync(join(context, missingShard, 'group1-shard2of2.bin'));
    const refused = place('true', missingShard);
    expect(refused.status).not.toBe(0);
    expect(refused.output).toContain('lacks group1-shard2of2.bin, which its model.json names');
    expect(place('false', exported('both')).output).toContain('choose one');
    // Nothing refused changed what is served.
    expect(served()).toEqual(['group1-shard1of1.bin', 'model-card.json', 'model.json']);
  });
});
