/**
 * The training worker's side of an editor run (training/trainingRun.ts's EditorNetworks): the network built and
 * compiled as its settings say. The workshop's network with the workshop's optimizer (Keras's Adadelta at its
 * defaults) takes the app's own path exactly, buildCnn() and compileForTraining(), as the training panel's runs
 * do; any other network is buildNetwork's, with optimizerFor's optimizer.
 */
import type * as tf from '@tensorflow/tfjs';
import { buildCnn, compileForTraining } from '../../../model/cnn';
import { KERAS_ADADELTA_DEFAULTS } from '../../../model/defaults';
import { formatKeras } from '../shared/kerasText';
import type { NetworkDefinition, TrainingDefinition } from '../shared/networkDefinition';
import { WORKSHOP_NETWORK } from '../shared/workshopNetwork';
import { buildNetwork, compileNetwork } from './buildNetwork';

interface EditorRun {
  network: NetworkDefinition;
  training: TrainingDefinition;
}

const WORKSHOP_TEXT = formatKeras(WORKSHOP_NETWORK);

/** Whether a run is the workshop's: its network (as its Keras text, which is canonical) and Adadelta at Keras's defaults. */
export function isWorkshopRun({ network, training }: EditorRun): boolean {
  const { optimizer } = training;
  return (
    formatKeras(network) === WORKSHOP_TEXT &&
    optimizer.name === 'adadelta' &&
    optimizer.learningRate === KERAS_ADADELTA_DEFAULTS.learningRate &&
    optimizer.rho === KERAS_ADADELTA_DEFAULTS.rho &&
    optimizer.epsilon === KERAS_ADADELTA_DEFAULTS.epsilon
  );
}

export const runNetworks = {
  build: (run: EditorRun): tf.LayersModel => (isWorkshopRun(run) ? buildCnn() : buildNetwork(run.network)),
  compile(model: tf.LayersModel, run: EditorRun): void {
    if (isWorkshopRun(run)) compileForTraining(model);
    else compileNetwork(model, run.training.optimizer);
  },
};
