import { describe, expect, it } from 'vitest';
import { type BackendTrial, type DeviceKey, type Measurement, describeMeasurement, disqualified, fastest, keptFor } from './measuredChoice';

const laptop: DeviceKey = { userAgent: 'Mozilla/5.0 Chrome/156', gpu: 'ANGLE (Intel, Mesa Intel(R) UHD 620)', cores: 8 };

describe('the backend chosen by measuring', () => {
  it('the fastest wins, whichever it is', () => {
    const integrated: BackendTrial[] = [
      { backend: 'webgpu', imagesPerSecond: 420, drift: 2e-6 },
      { backend: 'webgl', imagesPerSecond: 310, drift: 4e-6 },
      { backend: 'wasm', imagesPerSecond: 900, detail: '8 workers' },
    ];
    expect(fastest(integrated)?.backend).toBe('wasm');
    const discrete: BackendTrial[] = [
      { backend: 'webgpu', imagesPerSecond: 2400, drift: 3e-6 },
      { backend: 'webgl', imagesPerSecond: 700, drift: 1e-5 },
      { backend: 'wasm', imagesPerSecond: 900 },
    ];
    expect(fastest(discrete)?.backend).toBe('webgpu');
    expect(describeMeasurement(discrete)).toBe('WebGPU 2,400 images/s, wasm 900 images/s, WebGL 700 images/s');
  });

  it('a backend that failed or whose gradients drift from the cpu backend is skipped, and the reason says so', () => {
    const trials: BackendTrial[] = [
      { backend: 'webgpu', unavailable: 'no WebGPU adapter' },
      { backend: 'webgl', imagesPerSecond: 5000, drift: 4e-3 },
      { backend: 'wasm', imagesPerSecond: 600 },
    ];
    expect(fastest(trials)?.backend).toBe('wasm');
    expect(disqualified(trials[1]!)).toMatch(/gradients differ from the cpu backend's by 4\.0e-3/);
    expect(describeMeasurement(trials)).toBe('WebGL 5,000 images/s, not used: its gradients differ from the cpu backend\'s by 4.0e-3 (more than 1e-3), wasm 600 images/s, WebGPU: no WebGPU adapter');
    expect(disqualified({ backend: 'webgl', imagesPerSecond: 900, drift: Number.NaN })).toBeDefined();
    expect(disqualified({ backend: 'webgl', imagesPerSecond: 0 })).toBeDefined();
    expect(fastest([{ backend: 'webgl', unavailable: 'lost context' }])).toBeUndefined();
  });

  it('a kept measurement counts on the device it was made on, and is made again when the browser, GPU or cores change', () => {
    const kept: Measurement = { device: laptop, trials: [{ backend: 'wasm', imagesPerSecond: 900 }], chosen: 'wasm', measuredAt: '2026-12-04T20:00:00Z' };
    expect(keptFor({ ...laptop }, kept)).toBe(kept);
    expect(keptFor({ ...laptop, gpu: 'ANGLE (NVIDIA, RTX 4070)' }, kept)).toBeUndefined();
    expect(keptFor({ ...laptop, cores: 4 }, kept)).toBeUndefined();
    expect(keptFor({ ...laptop, userAgent: 'Mozilla/5.0 Chrome/157' }, kept)).toBeUndefined();
    expect(keptFor(laptop, undefined)).toBeUndefined();
  });
});
