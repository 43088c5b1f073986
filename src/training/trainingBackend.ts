/**
 * The training worker's backend: chosen once per worker (so the start-up probe and a Train click share one
 * choice), and replaced only by a fallback when it fails mid-way. Chosen by measuring (model/measuredChoice.ts):
 * the measurement kept for this device when there is one; otherwise the first run measures every backend first
 * (backendTrials.ts) and keeps what it found. `?backend=` forces one and measures nothing.
 */
import { type BackendInfo, type BackendName, chooseTrainingBackend, fallBackFrom, gpuIdentity, releaseOtherBackends, setBackend } from '../backend/backendChoice';
import { type BackendTrial, type DeviceKey, type Measurement, describeMeasurement, disqualified, fastest, keptFor } from '../model/measuredChoice';
import { getMeasurement, putMeasurement } from '../storage/modelStore';
import { type TrialContext, checkNumerics, measureBackends } from './backendTrials';

const NAMES: Record<BackendName, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'wasm', cpu: 'plain JavaScript' };

/** What the training panel says about a measured choice. */
export function measuredInfo(chosen: BackendName, trials: BackendTrial[], when: 'now' | 'kept'): BackendInfo {
  const where = chosen === 'webgpu' || chosen === 'webgl' ? 'this device’s graphics processor' : 'this device’s processor';
  return {
    name: chosen,
    figures: trials,
    summary: `Training on ${where} with ${NAMES[chosen]}, the fastest here as measured${when === 'kept' ? ' on this device before' : ''}.`,
    reason: `measured: ${describeMeasurement(trials)}`,
  };
}

export class TrainingBackend {
  private choice: Promise<BackendInfo> | undefined;
  private current: BackendInfo | undefined;
  /** The GPU backend the page address forces, whose numerics the first run checks against the cpu backend. */
  private forced: BackendName | undefined;
  /** The device still to be measured (no measurement of it is kept), once the first choice is made. */
  private unmeasured: DeviceKey | undefined;

  /** The backend in use; the first call chooses it, taking `requested` (e.g. `?backend=webgl`) into account. */
  async ensure(requested?: BackendName): Promise<BackendInfo> {
    if (requested && !this.choice) this.forced = requested;
    this.choice ??= this.first(requested);
    this.current ??= await this.choice;
    return this.current;
  }

  private async first(requested?: BackendName): Promise<BackendInfo> {
    if (requested) return chooseTrainingBackend(requested);
    const device: DeviceKey = { userAgent: navigator.userAgent, gpu: await gpuIdentity(), cores: navigator.hardwareConcurrency || 1 };
    const kept = keptFor(device, await getMeasurement().catch(() => undefined));
    if (kept && (await setBackend(kept.chosen))) return measuredInfo(kept.chosen, kept.trials, 'kept');
    this.unmeasured = device;
    // Until the first run measures: the backend the old rule takes (a real GPU's WebGL, else wasm).
    const guess = await chooseTrainingBackend(undefined, true);
    return { ...guess, summary: `${guess.summary} Not measured yet: the first training run times each backend first.`, reason: `${guess.reason} (not measured yet)` };
  }

  /**
   * Before a run: when this device has not been measured, times every backend (`onInfo` hears each figure),
   * keeps the result and switches to the fastest. The backend in use afterwards.
   */
  async measureIfNeeded(ctx: Omit<TrialContext, 'onTrial'>, onInfo: (info: BackendInfo) => void): Promise<BackendInfo> {
    const before = await this.ensure();
    const forced = this.forced;
    if (forced && before.name === forced && (forced === 'webgpu' || forced === 'webgl')) {
      // Forced: nothing to choose, but the run should know whether this backend computes right here.
      this.forced = undefined;
      const trial = await checkNumerics(forced, ctx.train);
      const why = disqualified({ ...trial, imagesPerSecond: 1 });
      this.current = { ...before, figures: [trial], reason: `${before.reason}; its gradients are within ${trial.drift!.toExponential(1)} of the cpu backend's${why ? ` (${why})` : ''}` };
      onInfo(this.current);
      return this.current;
    }
    const device = this.unmeasured;
    if (!device) return before;
    onInfo({ ...before, summary: 'Timing each backend on a few training steps, to train on the fastest…' });
    const trials = await measureBackends({
      ...ctx,
      onTrial: (_trial, done) => onInfo({ ...before, figures: [...done], summary: 'Timing each backend on a few training steps, to train on the fastest…' }),
    });
    const best = fastest(trials)?.backend;
    let info: BackendInfo;
    if (best && (await setBackend(best))) info = measuredInfo(best, trials, 'now');
    else info = { ...(await chooseTrainingBackend()), figures: trials };
    releaseOtherBackends(info.name);
    this.unmeasured = undefined;
    this.current = info;
    const measurement: Measurement = { device, trials, chosen: info.name, measuredAt: new Date().toISOString() };
    await putMeasurement(measurement).catch(() => undefined); // not kept: measured again next time
    return info;
  }

  /** After the current backend failed with `cause`: the next one, now in use, or undefined when there is none. */
  async fallBack(cause: string): Promise<BackendInfo | undefined> {
    const current = await this.ensure();
    const next = await fallBackFrom(current.name, cause);
    if (next) this.current = next;
    return next;
  }
}
