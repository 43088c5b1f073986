/**
 * What deleting a kept run does to its model. A run's model is the model library's, under the run's own id (the
 * run store is keyed by it), so no other run ever refers to it: it is deleted with the run unless it is the model
 * in use (that one stays, and the page says so) or has left the library already. Pure.
 */
import type { StoredModel } from '../../../model/modelCard';

export type RunModel =
  /** In the library, not in use: deleted with the run, unless the user keeps it. */
  | { kind: 'deletable'; name: string }
  /** The model in use: it stays. */
  | { kind: 'in-use'; name: string }
  /** No longer in the library (deleted there). */
  | { kind: 'gone' };

export interface LibraryView {
  models: readonly StoredModel[];
  /** The model in use; undefined while none is (or start-up still loads: the prediction worker refuses it anyway). */
  activeId: string | undefined;
}

export function runModel(runId: string, { models, activeId }: LibraryView): RunModel {
  const model = models.find((m) => m.id === runId);
  if (!model) return { kind: 'gone' };
  return { kind: runId === activeId ? 'in-use' : 'deletable', name: model.card.name };
}

/** The model to delete with run `runId` when the user asks for both: only a deletable one, only its own. */
export function modelToDeleteWith(runId: string, library: LibraryView): string | undefined {
  return runModel(runId, library).kind === 'deletable' ? runId : undefined;
}
