import { describe, expect, it } from 'vitest';
import { ImportError, MAX_MODEL_JSON_BYTES, MAX_WEIGHT_BYTES, type PickedFile, readModelFiles, topologyKind } from './importModel';

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const modelJson = {
  format: 'layers-model',
  modelTopology: { class_name: 'Sequential', config: { layers: [] } },
  weightsManifest: [{ paths: ['w.bin'], weights: [{ name: 'dense/kernel', shape: [784, 10], dtype: 'float32' }] }],
};
const file = (name: string, bytes: Uint8Array) => new File([bytes as Uint8Array<ArrayBuffer>], name);
const good = () => [file('model.json', encode(modelJson)), file('w.bin', new Uint8Array(784 * 10 * 4))];

/** A file that fails the test if anything reads it: size checks must come first. */
const unreadable = (name: string, size: number): PickedFile => ({
  name,
  size,
  arrayBuffer: () => {
    throw new Error(`${name} was read before its size was checked`);
  },
});

describe('readModelFiles', () => {
  it('accepts model.json with complete weights', async () => {
    const artifacts = await readModelFiles(good());
    expect(artifacts.weightSpecs).toHaveLength(1);
    expect((artifacts.weightData as ArrayBuffer).byteLength).toBe(31_360);
  });

  it('keeps model.json’s user-defined metadata (where an exported personal model carries its memory)', async () => {
    const metadata = { digitLabPersonalMemory: { format: 'digit-lab-personal-memory' }, author: 'someone' };
    const artifacts = await readModelFiles([file('model.json', encode({ ...modelJson, userDefinedMetadata: metadata })), good()[1]!]);
    expect(artifacts.userDefinedMetadata).toEqual(metadata);
    expect((await readModelFiles(good())).userDefinedMetadata).toBeUndefined();
  });

  it('reads only the weight files model.json names, whatever else was picked', async () => {
    const artifacts = await readModelFiles([...good(), unreadable('mnist.h5', 10_000_000), unreadable('notes.txt', 10)]);
    expect((artifacts.weightData as ArrayBuffer).byteLength).toBe(31_360);
  });

  it('takes the files an export saved, model-card.json among them (the card is read by nothing here)', async () => {
    const artifacts = await readModelFiles([...good(), unreadable('model-card.json', 500)]);
    expect((artifacts.weightData as ArrayBuffer).byteLength).toBe(31_360);
    await expect(readModelFiles([unreadable('model-card.json', 500), good()[1]!])).rejects.toThrowError(/Choose model.json together with its weight/);
  });

  it('refuses a file that is not JSON', async () => {
    await expect(readModelFiles([file('model.json', new Uint8Array([0xff, 0x00, 0x12]))])).rejects.toThrowError(/model.json is not a JSON file/);
  });

  it('refuses JSON that is not a model, graph models by what they are, and topologies with no model class', async () => {
    await expect(readModelFiles([file('model.json', encode({ hello: 1 }))])).rejects.toThrowError(/has no modelTopology/);
    await expect(readModelFiles([file('model.json', encode({ ...modelJson, format: 'graph-model' }))])).rejects.toThrowError(/graph model/);
    // A converted SavedModel without the format key (older converters): its topology is a GraphDef.
    const graphDef = { modelTopology: { node: [{ name: 'x', op: 'Placeholder' }], library: {}, versions: { producer: 1 } }, weightsManifest: [] };
    await expect(readModelFiles([file('model.json', encode(graphDef))])).rejects.toThrowError(/graph model/);
    await expect(readModelFiles([file('model.json', encode({ ...modelJson, modelTopology: { layers: [] } }))])).rejects.toThrowError(/names no model class/);
    await expect(readModelFiles([file('model.json', encode({ ...modelJson, weightsManifest: 'x' }))])).rejects.toThrowError(/no valid weightsManifest/);
  });

  it('tells Layers topologies apart in every shape the converter writes', () => {
    const layers = [{ class_name: 'Dense', config: {} }];
    expect(topologyKind({ modelTopology: { class_name: 'Sequential', config: { layers } } })).toBe('layers');
    expect(topologyKind({ modelTopology: { keras_version: '2.2.4', backend: 'tensorflow', model_config: { class_name: 'Sequential', config: layers } } })).toBe('layers');
    expect(topologyKind({ modelTopology: { keras_version: '2.8.0', model_config: { class_name: 'Functional', config: { layers } } } })).toBe('layers');
    expect(topologyKind({ format: 'graph-model', modelTopology: { node: [] } })).toBe('graph');
    expect(topologyKind({ modelTopology: 'x' })).toBe('unknown');
  });

  it('refuses missing and truncated weights, naming the file', async () => {
    await expect(readModelFiles([good()[0]!])).rejects.toThrowError(/weight file w.bin is missing/);
    const truncated = [good()[0]!, file('w.bin', new Uint8Array(1000))];
    await expect(readModelFiles(truncated)).rejects.toThrowError(/hold 1,000 bytes but the model needs 31,360 \(truncated/);
  });

  it('refuses no model.json, two of them, and oversized files by their sizes alone, reading nothing', async () => {
    await expect(readModelFiles([good()[1]!])).rejects.toThrowError(/Choose model.json/);
    await expect(readModelFiles([...good(), file('other.json', encode({}))])).rejects.toThrowError(/only one model.json/);
    await expect(readModelFiles([unreadable('model.json', MAX_MODEL_JSON_BYTES + 1)])).rejects.toThrowError(/model.json over 5 MB is refused/);
    const big = { ...modelJson, weightsManifest: [{ paths: ['w.bin'], weights: [{ name: 'k', shape: [MAX_WEIGHT_BYTES / 4 + 1], dtype: 'float32' }] }] };
    await expect(readModelFiles([file('model.json', encode(big)), unreadable('w.bin', MAX_WEIGHT_BYTES + 4)])).rejects.toThrowError(ImportError);
    await expect(readModelFiles([file('model.json', encode(big)), unreadable('w.bin', MAX_WEIGHT_BYTES + 4)])).rejects.toThrowError(/models over 64 MB are refused/);
    await expect(readModelFiles([good()[0]!, unreadable('w.bin', 5)])).rejects.toThrowError(/hold 5 bytes/);
  });
});
