/**
 * A network and its training read back from storage (a run's, a checkpoint's, the editor's kept edit): what the
 * app wrote, or something else (another version's record, a damaged one, garbage). Its form is checked here, its
 * settings by the editor's own rules (definitionProblems). Never throws. Pure.
 */
import { type DefinitionProblem, definitionProblems } from './definitionProblems';
import type { NetworkDefinition, TrainingDefinition } from './networkDefinition';

/** A network with its training (model/trainSettings.ts's EditorRunSettings, the editor's state). */
export interface StoredDefinition {
  network: NetworkDefinition;
  training: TrainingDefinition;
}

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `value` as a network and its training, or undefined unless it has their form and the editor's rules find no
 * problem with it but those `allowed` lets through (none by default: the editor could train it as it is).
 */
export function storedDefinition(value: unknown, allowed: (problem: DefinitionProblem) => boolean = () => false): StoredDefinition | undefined {
  if (!isObject(value) || !isObject(value.network) || !isObject(value.training)) return undefined;
  const { network, training } = value;
  if (!Array.isArray(network.input) || network.input.length !== 3 || !network.input.every((n) => typeof n === 'number' && Number.isFinite(n))) return undefined;
  if (!Array.isArray(network.layers) || !network.layers.every((l) => isObject(l) && typeof l.kind === 'string')) return undefined;
  if (!isObject(training.optimizer) || typeof training.optimizer.name !== 'string') return undefined;
  const settings = { network, training } as unknown as StoredDefinition;
  try {
    return definitionProblems(settings.network, {}, settings.training).every(allowed) ? settings : undefined;
  } catch {
    return undefined;
  }
}
