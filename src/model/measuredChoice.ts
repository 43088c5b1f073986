/**
 * The training backend chosen by measuring, not by guessing: each backend the device offers is timed on a few
 * real training steps (training/backendTrials.ts), a GPU backend's gradients are compared with the cpu
 * backend's on a probe step, and the fastest backend that trains right wins. The measurement is kept per device
 * (browser, GPU, cores) and made again when the device changes. Pure: unit-tested with measured timings.
 */
import type { BackendName } from './modelCard';

/** How far a backend's gradients may drift from the cpu backend's on the probe step (relative, per weight tensor). */
export const MAX_GRADIENT_DRIFT = 1e-3;

/** One backend as measured on this device. */
export interface BackendTrial {
  backend: BackendName;
  /** Training images per second at the batch it was timed at; absent when it could not train here. */
  imagesPerSecond?: number;
  /** The batch size the figure was timed at (a hopeless backend is stopped after a small probe batch). */
  batchSize?: number;
  /** Why it could not train here (no adapter, a kernel missing, an error). */
  unavailable?: string;
  /** The largest relative difference of its gradients from the cpu backend's on the probe step (GPU backends). */
  drift?: number;
  /** The renderer, adapter or worker count it ran with. */
  detail?: string;
}

/** What identifies a device for the kept measurement: when any of it changes, measure again. */
export interface DeviceKey {
  userAgent: string;
  /** The GPU as the backends saw it (WebGL renderer, WebGPU adapter), or '' when none. */
  gpu: string;
  cores: number;
}

export interface Measurement {
  device: DeviceKey;
  trials: BackendTrial[];
  chosen: BackendName;
  measuredAt: string;
}

export const sameDevice = (a: DeviceKey, b: DeviceKey): boolean => a.userAgent === b.userAgent && a.gpu === b.gpu && a.cores === b.cores;

/** The kept measurement when it was made on this very device; otherwise undefined (measure again). */
export function keptFor(device: DeviceKey, kept: Measurement | undefined): Measurement | undefined {
  return kept && sameDevice(device, kept.device) ? kept : undefined;
}

/** Why a trial cannot be chosen, or undefined when it can. */
export function disqualified(trial: BackendTrial): string | undefined {
  if (trial.unavailable) return trial.unavailable;
  if (trial.imagesPerSecond === undefined || !Number.isFinite(trial.imagesPerSecond) || trial.imagesPerSecond <= 0) return 'it did not finish a timed step';
  if (trial.drift !== undefined && !(trial.drift <= MAX_GRADIENT_DRIFT)) {
    return `its gradients differ from the cpu backend's by ${trial.drift.toExponential(1)} (more than ${MAX_GRADIENT_DRIFT.toExponential(0)})`;
  }
  return undefined;
}

/** The fastest trial that trains right, or undefined when none does. */
export function fastest(trials: readonly BackendTrial[]): BackendTrial | undefined {
  return trials.filter((t) => !disqualified(t)).sort((a, b) => b.imagesPerSecond! - a.imagesPerSecond!)[0];
}

const NAMES: Record<BackendName, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'wasm', cpu: 'plain JavaScript' };

/** A trial in words: "WebGPU 2,400 images/s", "WebGL: no WebGL context". */
export function describeTrial(trial: BackendTrial): string {
  const name = trial.backend === 'wasm' && trial.detail ? `wasm (${trial.detail})` : NAMES[trial.backend];
  const why = disqualified(trial);
  if (trial.imagesPerSecond === undefined) return `${name}: ${trial.unavailable ?? 'not timed'}`;
  const figure = `${name} ${Math.round(trial.imagesPerSecond).toLocaleString('en-US')} images/s`;
  return why ? `${figure}, not used: ${why}` : figure;
}

/** The whole measurement in one line, fastest first: what the training panel says it chose by. */
export function describeMeasurement(trials: readonly BackendTrial[]): string {
  const ordered = [...trials].sort((a, b) => (b.imagesPerSecond ?? -1) - (a.imagesPerSecond ?? -1));
  return ordered.map(describeTrial).join(', ');
}
