import { describe, expect, it } from 'vitest';
import { EXPERIMENTS, WORKSHOP_NETWORK, WORKSHOP_TRAINING, networkFigures, parseKeras } from '../shared';
import { INITIAL_EDITOR, editorReducer, newLayer, type EditorAction, type EditorState } from './editorState';

const apply = (...actions: EditorAction[]): EditorState => actions.reduce(editorReducer, INITIAL_EDITOR);
const kinds = (state: EditorState) => state.network.layers.map((l) => l.kind);

describe('editing the layer list', () => {
  it('starts from the workshop network and its training', () => {
    expect(INITIAL_EDITOR.network).toBe(WORKSHOP_NETWORK);
    expect(INITIAL_EDITOR.training).toBe(WORKSHOP_TRAINING);
  });

  it('removes layers: without its Dropouts the network keeps its 1,199,882 parameters', () => {
    const state = apply({ type: 'remove', index: 6 }, { type: 'remove', index: 3 });
    expect(kinds(state)).toEqual(['Conv2D', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dense', 'Dense']);
    expect(networkFigures(state.network).parameters).toBe(1_199_882);
    // The workshop's definition itself is untouched.
    expect(WORKSHOP_NETWORK.layers).toHaveLength(8);
  });

  it('adds a layer with its defaults where asked, clamped to the list', () => {
    const state = apply({ type: 'add', kind: 'BatchNormalization', at: 1 }, { type: 'add', kind: 'Dense', at: 99 }, { type: 'add', kind: 'Dropout', at: -3 });
    expect(kinds(state)).toEqual(['Dropout', 'Conv2D', 'BatchNormalization', 'Conv2D', 'MaxPooling2D', 'Dropout', 'Flatten', 'Dense', 'Dropout', 'Dense', 'Dense']);
    expect(state.network.layers.at(-1)).toEqual(newLayer('Dense'));
  });

  it('moves a layer up and down, and ignores moves past either end', () => {
    const up = apply({ type: 'move', index: 3, by: -1 });
    expect(kinds(up).slice(2, 4)).toEqual(['Dropout', 'MaxPooling2D']);
    expect(apply({ type: 'move', index: 0, by: -1 })).toBe(INITIAL_EDITOR);
    expect(apply({ type: 'move', index: 7, by: 1 })).toBe(INITIAL_EDITOR);
    expect(apply({ type: 'move', index: 2, by: 1 }, { type: 'move', index: 3, by: -1 }).network).toEqual(WORKSHOP_NETWORK);
  });

  it('changes a layer’s settings; the new parameters follow (8 filters: 80 and 4,672)', () => {
    const state = apply({ type: 'update', index: 0, layer: { kind: 'Conv2D', filters: 8, kernelSize: 3, activation: 'relu', padding: 'valid' } });
    const figures = networkFigures(state.network);
    expect(figures.layers[0]!.parameters).toBe(80);
    expect(figures.layers[1]!.parameters).toBe((3 * 3 * 8 + 1) * 64);
    // An update may not change a layer's kind.
    expect(apply({ type: 'update', index: 0, layer: { kind: 'Flatten' } })).toBe(INITIAL_EDITOR);
    expect(apply({ type: 'remove', index: 42 })).toBe(INITIAL_EDITOR);
  });

  it('switches optimizers from Keras’s defaults, and changes only the settings the optimizer has', () => {
    const adam = apply({ type: 'optimizer', name: 'adam' });
    expect(adam.training.optimizer).toEqual({ name: 'adam', learningRate: 0.001 });
    expect(editorReducer(adam, { type: 'optimizer-setting', change: { learningRate: 0.01, momentum: 0.9 } }).training.optimizer).toEqual({ name: 'adam', learningRate: 0.01 });
    const sgd = apply({ type: 'optimizer', name: 'sgd' }, { type: 'optimizer-setting', change: { momentum: 0.9 } });
    expect(sgd.training.optimizer).toEqual({ name: 'sgd', learningRate: 0.01, momentum: 0.9 });
    expect(apply({ type: 'training', change: { epochs: 1, images: 256 } }).training).toEqual({ ...WORKSHOP_TRAINING, epochs: 1, images: 256 });
  });

  it('loads Keras text with what it says of training, keeping the rest; reset goes back to the workshop', () => {
    const parsed = parseKeras(
      ['model = Sequential()', "model.add(Flatten(input_shape=(28, 28, 1)))", "model.add(Dense(10, activation='softmax'))", 'model.compile(optimizer=Adam(learning_rate=0.002))'].join('\n'),
    );
    if (!parsed.ok) throw new Error(parsed.error.message);
    const state = apply({ type: 'training', change: { images: 512 } }, { type: 'load', network: parsed.network, training: parsed.training });
    expect(kinds(state)).toEqual(['Flatten', 'Dense']);
    expect(state.training.optimizer).toEqual({ name: 'adam', learningRate: 0.002 });
    expect(state.training.images).toBe(512);
    expect(editorReducer(state, { type: 'reset' })).toBe(INITIAL_EDITOR);
  });
});

describe('loading a prepared experiment', () => {
  it('replaces the network and all its training with the side loaded', () => {
    const { variant } = EXPERIMENTS.find((e) => e.id === 'one-dense-layer')!;
    const state = apply({ type: 'remove', index: 0 }, { type: 'setup', network: variant.network, training: variant.training });
    expect(state).toEqual({ network: variant.network, training: variant.training });
    expect(networkFigures(state.network).parameters).toBe(7_850);
  });
});
