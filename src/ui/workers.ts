/** The page's connections to its two workers (api.ts): one function each, typed by the worker's API. */
import type { PredictorApi, TrainerApi } from '../worker/api';
import { type Connection, connect } from '../worker/bridge';

export type Predictor = Connection<PredictorApi>;
export type Trainer = Connection<TrainerApi>;

export const openPredictor = (): Predictor =>
  connect<PredictorApi>(new Worker(new URL('../worker/predict.worker.ts', import.meta.url), { type: 'module', name: 'predict' }));

export const openTrainer = (): Trainer => connect<TrainerApi>(new Worker(new URL('../worker/train.worker.ts', import.meta.url), { type: 'module', name: 'train' }));
