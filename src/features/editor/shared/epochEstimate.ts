/**
 * How long an epoch of an edited network should take on this device, before it is trained: the speed measured
 * training the workshop's network (images a second), scaled by how many multiply-accumulates an image takes in
 * each network. Training one image is its forward pass and its backward pass, which works out the gradients of
 * both the layer's input and its weights, each about as many products as the forward pass: about 3x the
 * forward's. A rough guide: layers without products (pooling, dropout) and each batch's fixed overheads are not
 * counted, so a much smaller network runs slower than its products promise. Pure.
 */
import { networkFigures } from './layerShapes';
import { WORKSHOP_NETWORK } from './workshopNetwork';

/** Forward and backward passes together, in forward passes. */
export const TRAINING_MACS_FACTOR = 3;

/** The workshop network's multiply-accumulates for one image, forward: 11,992,448. */
export const WORKSHOP_MACS_PER_IMAGE = networkFigures(WORKSHOP_NETWORK).macs!;

/** Multiply-accumulates training one image takes, from its forward pass's. */
export function trainingMacsPerImage(forwardMacs: number): number {
  return TRAINING_MACS_FACTOR * forwardMacs;
}

/** A training speed measured on this device. */
export interface MeasuredSpeed {
  imagesPerSecond: number;
  /** Forward multiply-accumulates an image of the network measured; the workshop network's when left out. */
  macsPerImage?: number;
}

export interface EpochEstimate {
  /** Training images a second the network should reach. */
  imagesPerSecond: number;
  secondsPerEpoch: number;
  /** Multiply-accumulates training one image takes (forward and backward). */
  trainingMacsPerImage: number;
}

const positive = (n: number | undefined): n is number => typeof n === 'number' && Number.isFinite(n) && n > 0;

/**
 * The time an epoch of `images` images takes a network of `macsPerImage` forward multiply-accumulates an image,
 * from a measured speed; undefined when any figure is missing, zero or not finite.
 */
export function estimateEpoch(macsPerImage: number | undefined, images: number, measured: MeasuredSpeed): EpochEstimate | undefined {
  const reference = measured.macsPerImage ?? WORKSHOP_MACS_PER_IMAGE;
  if (!positive(macsPerImage) || !positive(images) || !positive(measured.imagesPerSecond) || !positive(reference)) return undefined;
  // MACs an image times images a second is the device's MACs a second, the same for either network.
  const macsPerSecond = trainingMacsPerImage(reference) * measured.imagesPerSecond;
  const training = trainingMacsPerImage(macsPerImage);
  const imagesPerSecond = macsPerSecond / training;
  return { imagesPerSecond, secondsPerEpoch: images / imagesPerSecond, trainingMacsPerImage: training };
}
