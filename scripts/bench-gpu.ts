/**
 * The GPU check (npm run bench:gpu): wherever a GPU is found, the training benchmark with each backend the
 * browser offers on it (WebGPU, WebGL, wasm for comparison), in Chromium with its GPU switched on, and a
 * PyTorch reference on the same GPU when python3 can import torch with CUDA. Where no GPU is found it says so
 * and exits 0: nothing to measure, and no failure.
 *
 * Usage: npm run bench:gpu [-- --batches 10]  (other npm run bench options pass through)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

/** What GPU this machine has, as the system sees it, or undefined when none. */
function findGpu(): string | undefined {
  const nvidia = spawnSync('nvidia-smi', ['-L'], { encoding: 'utf8' });
  if (nvidia.status === 0 && nvidia.stdout.trim()) return nvidia.stdout.trim();
  const renderNodes = existsSync('/dev/dri') ? readdirSync('/dev/dri').filter((f) => f.startsWith('renderD')) : [];
  return renderNodes.length ? `render nodes ${renderNodes.join(', ')} in /dev/dri` : undefined;
}

const gpu = findGpu();
if (!gpu) {
  console.log('bench:gpu: no GPU on this machine (no nvidia-smi, no /dev/dri render node). Nothing to measure; `npm run bench` gives the CPU figures.');
  process.exit(0);
}
console.log(`bench:gpu: ${gpu}`);

const torch = spawnSync('python3', ['-c', 'import torch; print(torch.cuda.get_device_name(0) if torch.cuda.is_available() else "")'], { encoding: 'utf8' });
const cuda = torch.status === 0 ? torch.stdout.trim() : '';
console.log(cuda ? `PyTorch with CUDA on ${cuda}: the reference is timed there too.` : 'PyTorch with CUDA: not available here, no GPU reference.');

for (const batch of ['128', '512']) {
  if (cuda) {
    const torchRun = spawnSync('python3', ['scripts/pytorch_reference.py', '--device', 'cuda', '--batch-size', batch], { encoding: 'utf8' });
    console.log(`\nPyTorch on ${cuda}, batch ${batch}: ${torchRun.status === 0 ? torchRun.stdout.trim() : torchRun.stderr.trim().split('\n').at(-1)}`);
  }
  console.log(`\n== Training benchmark, batch ${batch}: WebGPU, WebGL, wasm (images/s, single-image prediction latency; one full epoch at batch 128 for the accuracy) ==`);
  const run = spawnSync('npm', ['run', 'bench', '--', '--backends', 'webgpu,webgl,wasm', '--batch-size', batch, '--full-epochs', batch === '128' ? '1' : '0', '--full-epochs-all', ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, DIGIT_LAB_CHROMIUM_EXTRA_ARGS: '--enable-unsafe-webgpu --ignore-gpu-blocklist --enable-gpu --use-angle=vulkan --enable-features=Vulkan' },
  });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
