import { describe, expect, it } from 'vitest';
import { ImportError, MAX_WEIGHT_BYTES, parseModelFiles } from './importModel';

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const modelJson = {
  format: 'layers-model',
  modelTopology: { class_name: 'Sequential', config: { layers: [] } },
  weightsManifest: [{ paths: ['w.bin'], weights: [{ name: 'dense/kernel', shape: [784, 10], dtype: 'float32' }] }],
};
const good = () => [
  { name: 'model.json', bytes: encode(modelJson) },
  { name: 'w.bin', bytes: new Uint8Array(784 * 10 * 4) },
];

describe('parseModelFiles', () => {
  it('accepts model.json with complete weights', () => {
    const artifacts = parseModelFiles(good());
    expect(artifacts.weightSpecs).toHaveLength(1);
    expect((artifacts.weightData as ArrayBuffer).byteLength).toBe(31_360);
  });

  it('refuses a file that is not JSON', () => {
    expect(() => parseModelFiles([{ name: 'model.json', bytes: new Uint8Array([0xff, 0x00, 0x12]) }])).toThrowError(/model.json is not a JSON file/);
  });

  it('refuses JSON that is not a model, and graph models', () => {
    expect(() => parseModelFiles([{ name: 'model.json', bytes: encode({ hello: 1 }) }])).toThrowError(/lacks modelTopology/);
    expect(() => parseModelFiles([{ name: 'model.json', bytes: encode({ ...modelJson, format: 'graph-model' }) }])).toThrowError(/graph model/);
  });

  it('refuses missing and truncated weights, naming the file', () => {
    expect(() => parseModelFiles([good()[0]!])).toThrowError(/weight file w.bin is missing/);
    const truncated = good();
    truncated[1]!.bytes = truncated[1]!.bytes.subarray(0, 1000);
    expect(() => parseModelFiles(truncated)).toThrowError(/hold 1,000 bytes but the model needs 31,360 \(truncated/);
  });

  it('refuses no model.json, two of them, and oversized weights', () => {
    expect(() => parseModelFiles([good()[1]!])).toThrowError(/Choose model.json/);
    expect(() => parseModelFiles([...good(), { name: 'other.json', bytes: encode({}) }])).toThrowError(/only one model.json/);
    expect(() => parseModelFiles([good()[0]!, { name: 'w.bin', bytes: new Uint8Array(MAX_WEIGHT_BYTES + 1) }])).toThrowError(ImportError);
  });
});
