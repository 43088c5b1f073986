/**
 * The editor's state and every edit to it, as a reducer: the network's layers (added, removed, moved, changed)
 * and the training settings (the optimizer switched with its own defaults). Pure: no React, no DOM, no
 * TensorFlow.js; what the state means (shapes, problems) is the shared core's (../shared).
 */
import {
  type LayerDefinition,
  type LayerKind,
  type NetworkDefinition,
  OPTIMIZER_DEFAULTS,
  type OptimizerName,
  type OptimizerSettings,
  type TrainingDefinition,
  type TrainingFromText,
  WORKSHOP_NETWORK,
  WORKSHOP_TRAINING,
} from '../shared';

export interface EditorState {
  network: NetworkDefinition;
  training: TrainingDefinition;
}

export type EditorAction =
  /** A new layer of `kind` with its defaults, inserted at `at` (0: first; the number of layers: last). */
  | { type: 'add'; kind: LayerKind; at: number }
  | { type: 'remove'; index: number }
  /** Moves a layer one place up (-1) or down (+1). */
  | { type: 'move'; index: number; by: -1 | 1 }
  /** Replaces a layer's settings (its kind stays). */
  | { type: 'update'; index: number; layer: LayerDefinition }
  | { type: 'training'; change: Partial<Omit<TrainingDefinition, 'optimizer'>> }
  /** Switches the optimizer: it starts from Keras's defaults for it. */
  | { type: 'optimizer'; name: OptimizerName }
  /** Changes the optimizer's own settings (learning rate, momentum). */
  | { type: 'optimizer-setting'; change: Partial<{ learningRate: number; momentum: number }> }
  /** A network read from Keras text, with what the text said of its training. */
  | { type: 'load'; network: NetworkDefinition; training: TrainingFromText }
  /** A whole setup, network and training (a prepared experiment's side). */
  | { type: 'setup'; network: NetworkDefinition; training: TrainingDefinition }
  /** Back to the workshop's network and training. */
  | { type: 'reset' };

export const INITIAL_EDITOR: EditorState = { network: WORKSHOP_NETWORK, training: WORKSHOP_TRAINING };

/** What a new layer of each kind starts as: the workshop's own settings for that kind. */
export function newLayer(kind: LayerKind): LayerDefinition {
  switch (kind) {
    case 'Conv2D':
      return { kind, filters: 32, kernelSize: 3, activation: 'relu', padding: 'valid' };
    case 'MaxPooling2D':
      return { kind, poolSize: 2 };
    case 'Dropout':
      return { kind, rate: 0.25 };
    case 'Flatten':
      return { kind };
    case 'Dense':
      return { kind, units: 128, activation: 'relu' };
    case 'BatchNormalization':
      return { kind };
  }
}

const withLayers = (state: EditorState, layers: readonly LayerDefinition[]): EditorState => ({ ...state, network: { ...state.network, layers } });

export function editorReducer(state: EditorState, action: EditorAction): EditorState {
  const layers = state.network.layers;
  switch (action.type) {
    case 'add': {
      const at = Math.max(0, Math.min(layers.length, Math.floor(action.at)));
      return withLayers(state, [...layers.slice(0, at), newLayer(action.kind), ...layers.slice(at)]);
    }
    case 'remove':
      if (action.index < 0 || action.index >= layers.length) return state;
      return withLayers(
        state,
        layers.filter((_, i) => i !== action.index),
      );
    case 'move': {
      const to = action.index + action.by;
      if (action.index < 0 || action.index >= layers.length || to < 0 || to >= layers.length) return state;
      const moved = [...layers];
      [moved[action.index], moved[to]] = [moved[to]!, moved[action.index]!];
      return withLayers(state, moved);
    }
    case 'update':
      if (action.index < 0 || action.index >= layers.length || layers[action.index]!.kind !== action.layer.kind) return state;
      return withLayers(
        state,
        layers.map((layer, i) => (i === action.index ? action.layer : layer)),
      );
    case 'training':
      return { ...state, training: { ...state.training, ...action.change } };
    case 'optimizer':
      if (action.name === state.training.optimizer.name) return state;
      return { ...state, training: { ...state.training, optimizer: OPTIMIZER_DEFAULTS[action.name] } };
    case 'optimizer-setting': {
      const optimizer = state.training.optimizer;
      const change = optimizer.name === 'sgd' ? action.change : { ...(action.change.learningRate !== undefined ? { learningRate: action.change.learningRate } : {}) };
      return { ...state, training: { ...state.training, optimizer: { ...optimizer, ...change } as OptimizerSettings } };
    }
    case 'load': {
      const { optimizer, batchSize, epochs, images } = action.training;
      return {
        network: action.network,
        training: {
          ...state.training,
          ...(optimizer ? { optimizer } : {}),
          ...(batchSize !== undefined ? { batchSize } : {}),
          ...(epochs !== undefined ? { epochs } : {}),
          ...(images !== undefined ? { images } : {}),
        },
      };
    }
    case 'setup':
      return { network: action.network, training: action.training };
    case 'reset':
      return INITIAL_EDITOR;
  }
}
