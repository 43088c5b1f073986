/**
 * Prepared experiments: questions a teacher can start with one click, each answered by training two setups that
 * differ in one thing, the workshop's side (the baseline) and the variant. Pure data over the definitions
 * (networkDefinition.ts): the editor loads either side, `npm run bench` times each variant's network.
 */
import { NUM_CLASSES } from '../../../data/mnistFacts';
import { type LayerDefinition, type NetworkDefinition, OPTIMIZER_DEFAULTS, type TrainingDefinition } from './networkDefinition';
import { WORKSHOP_NETWORK, WORKSHOP_TRAINING } from './workshopNetwork';

/** One side of an experiment: a network and how it trains, as the editor holds them. */
export interface ExperimentSetup {
  /** What this side is, in words ("the workshop's network, with its two Dropout layers"). */
  readonly label: string;
  readonly network: NetworkDefinition;
  readonly training: TrainingDefinition;
}

export interface Experiment {
  readonly id: string;
  /** Short, for the button: "Try: <title>". */
  readonly title: string;
  readonly question: string;
  /** What to compare once both sides have run: the answer is left to the runs. */
  readonly lookFor: string;
  readonly baseline: ExperimentSetup;
  readonly variant: ExperimentSetup;
}

const workshopLayers = (change: (layer: LayerDefinition) => LayerDefinition | undefined): NetworkDefinition => ({
  ...WORKSHOP_NETWORK,
  layers: WORKSHOP_NETWORK.layers.flatMap((layer) => change(layer) ?? []),
});

const WORKSHOP: ExperimentSetup = { label: 'the workshop’s network and training', network: WORKSHOP_NETWORK, training: WORKSHOP_TRAINING };

/**
 * Few images, many passes and no augmentation: memorising the training images pays, so a network without
 * dropout shows it within minutes.
 */
const OVERFITTING_TRAINING: TrainingDefinition = { ...WORKSHOP_TRAINING, recipe: 'workshop', images: 6_000, epochs: 10 };

export const EXPERIMENTS: readonly Experiment[] = [
  {
    id: 'without-dropout',
    title: 'Without dropout',
    question: 'What do the two Dropout layers do? Train the network without them, and with them, on the same 6,000 images ten times over.',
    lookFor:
      'Without dropout the training loss falls close to zero while the test accuracy stops improving: the network learns the training images by heart (overfitting). With dropout the training curve stays higher and noisier, and the test accuracy holds up.',
    baseline: { label: 'the workshop’s network, with dropout', network: WORKSHOP_NETWORK, training: OVERFITTING_TRAINING },
    variant: {
      label: 'the workshop’s network without its Dropout layers',
      network: workshopLayers((layer) => (layer.kind === 'Dropout' ? undefined : layer)),
      training: OVERFITTING_TRAINING,
    },
  },
  {
    id: 'eight-filters',
    title: '8 filters',
    question: 'Does the network need 32 and 64 filters? Train it with 8 in each convolution.',
    lookFor: 'Compare the test accuracy, the time each run took and the parameters: 8 filters have about an eighth of the parameters and train several times faster.',
    baseline: WORKSHOP,
    variant: {
      label: 'the workshop’s network with 8 filters in each Conv2D',
      network: workshopLayers((layer) => (layer.kind === 'Conv2D' ? { ...layer, filters: 8 } : layer)),
      training: WORKSHOP_TRAINING,
    },
  },
  {
    id: 'adam',
    title: 'Adam',
    question: 'Does the optimizer matter? Train the same network with Adam instead of the workshop’s Adadelta.',
    lookFor: 'Compare how fast the loss falls in the first pass, and the test accuracy at the end.',
    baseline: WORKSHOP,
    variant: { label: 'the workshop’s network trained with Adam', network: WORKSHOP_NETWORK, training: { ...WORKSHOP_TRAINING, optimizer: OPTIMIZER_DEFAULTS.adam } },
  },
  {
    id: 'one-small-epoch',
    title: 'One pass over 6,000 images',
    question: 'How much data and training does the network need? Train one pass over 6,000 images against the workshop’s four over all 60,000.',
    lookFor: 'Compare the test accuracy against the time each run took: a fortieth of the images, and how far behind is it?',
    baseline: WORKSHOP,
    variant: { label: 'one pass over 6,000 images', network: WORKSHOP_NETWORK, training: { ...WORKSHOP_TRAINING, epochs: 1, images: 6_000 } },
  },
  {
    id: 'one-dense-layer',
    title: 'One Dense layer',
    question: 'What do the convolutions bring? Train a network of a single Dense layer, each pixel weighed once for each digit, against the workshop’s CNN.',
    lookFor: 'Compare the test accuracy: a single layer reads most digits, and the CNN’s extra accuracy is the errors that remain.',
    baseline: WORKSHOP,
    variant: {
      label: 'one Dense layer (Flatten, then Dense 10 softmax)',
      network: { ...WORKSHOP_NETWORK, layers: [{ kind: 'Flatten' }, { kind: 'Dense', units: NUM_CLASSES, activation: 'softmax' }] },
      training: WORKSHOP_TRAINING,
    },
  },
];
