/**
 * The training worker's backend: chosen once per worker (so the start-up probe and a Train click share one
 * choice), and replaced only by a fallback when it fails mid-way.
 */
import { type BackendInfo, type BackendName, chooseTrainingBackend, fallBackFrom } from '../backend/backendChoice';

export class TrainingBackend {
  private choice: Promise<BackendInfo> | undefined;
  private current: BackendInfo | undefined;

  /** The backend in use; the first call chooses it, taking `requested` (e.g. `?backend=webgl`) into account. */
  async ensure(requested?: BackendName): Promise<BackendInfo> {
    this.choice ??= chooseTrainingBackend(requested);
    this.current ??= await this.choice;
    return this.current;
  }

  /** After the current backend failed with `cause`: the next one, now in use, or undefined when there is none. */
  async fallBack(cause: string): Promise<BackendInfo | undefined> {
    const current = await this.ensure();
    const next = await fallBackFrom(current.name, cause);
    if (next) this.current = next;
    return next;
  }
}
