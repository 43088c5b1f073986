import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BATCH_SIZE, DEFAULT_EPOCHS, KERAS_ADADELTA_DEFAULTS } from '../../../model/defaults';
import { layerFaults, OPTIMIZER_DEFAULTS, trainingFaults } from './networkDefinition';
import { WORKSHOP_NETWORK, WORKSHOP_TRAINING } from './workshopNetwork';

const here = dirname(fileURLToPath(import.meta.url));

/** Every module a file imports, transitively, by relative path; and the packages they import. */
function imports(start: string[]): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = [...start];
  for (let file = pending.pop(); file; file = pending.pop()) {
    if (files.has(file)) continue;
    files.add(file);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)\b[^'";]*?from\s+['"]([^'"]+)['"]/g)) {
      if (specifier!.startsWith('.')) pending.push(`${resolve(dirname(file), specifier!)}.ts`);
      else packages.add(specifier!);
    }
  }
  return { files, packages };
}

describe('the editor core', () => {
  it('imports no package, TensorFlow.js least of all, and nothing of the page, the workers or storage', () => {
    const sources = readdirSync(here).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));
    expect(sources).toContain('index.ts');
    const { files, packages } = imports(sources.map((name) => join(here, name)));
    expect([...packages]).toEqual([]);
    const src = resolve(here, '../../..');
    const outside = [...files].map((f) => f.slice(src.length + 1)).filter((f) => !f.startsWith('features/editor/shared/'));
    expect(outside.sort()).toEqual(['data/mnistFacts.ts', 'model/activationCost.ts', 'model/defaults.ts', 'model/importLimits.ts', 'model/modelCard.ts']);
  });

  it("starts from the workshop's settings: Keras's Adadelta, batch 128, 4 epochs, every training image", () => {
    expect(WORKSHOP_TRAINING).toEqual({ optimizer: { name: 'adadelta', learningRate: 1.0, rho: 0.95, epsilon: 1e-7 }, batchSize: DEFAULT_BATCH_SIZE, epochs: DEFAULT_EPOCHS, images: 60_000, recipe: 'handwriting' });
    expect(OPTIMIZER_DEFAULTS.adadelta).toEqual({ name: 'adadelta', ...KERAS_ADADELTA_DEFAULTS });
    expect(OPTIMIZER_DEFAULTS.adam).toEqual({ name: 'adam', learningRate: 0.001 });
    expect(OPTIMIZER_DEFAULTS.sgd).toEqual({ name: 'sgd', learningRate: 0.01, momentum: 0 });
    expect(trainingFaults(WORKSHOP_TRAINING)).toEqual([]);
    expect(WORKSHOP_NETWORK.layers.flatMap(layerFaults)).toEqual([]);
  });

  it('finds each setting out of range, at both ends', () => {
    const conv = { kind: 'Conv2D', filters: 512, kernelSize: 7, activation: 'relu', padding: 'same', strides: 4 } as const;
    expect(layerFaults(conv)).toEqual([]);
    expect(layerFaults({ ...conv, filters: 513, kernelSize: 0, strides: 0 }).map((f) => f.field)).toEqual(['filters', 'kernelSize', 'strides']);
    expect(layerFaults({ kind: 'Dense', units: 4096, activation: 'linear' })).toEqual([]);
    expect(layerFaults({ kind: 'Dropout', rate: 0.999 })).toEqual([]);
    expect(layerFaults({ kind: 'Pooling' } as never)).toEqual([{ field: 'kind', value: 'Pooling', expected: 'one of Conv2D, MaxPooling2D, Dropout, Flatten, Dense, BatchNormalization' }]);
    const edges = { ...WORKSHOP_TRAINING, batchSize: 1024, epochs: 50, images: 1024, optimizer: { name: 'sgd', learningRate: 10, momentum: 0.99 } } as const;
    expect(trainingFaults(edges)).toEqual([]);
    expect(trainingFaults({ ...edges, images: 1023, batchSize: 1.5 }).map((f) => f.field)).toEqual(['batchSize']);
    expect(trainingFaults({ ...edges, images: 0, batchSize: 1.5 }).map((f) => f.field)).toEqual(['batchSize', 'images']);
  });
});
