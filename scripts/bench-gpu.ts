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
console.log(cuda ? `PyTorch sees CUDA on ${cuda} (the reference in the benchmark below still runs on the CPU cores).` : 'PyTorch with CUDA: not available here.');

console.log('\n== Training benchmark, batch 128: WebGPU, WebGL, wasm; one full epoch each for the accuracy ==');
const run = spawnSync('npm', ['run', 'bench', '--', '--backends', 'webgpu,webgl,wasm', '--full-epochs', '1', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, DIGIT_LAB_CHROMIUM_EXTRA_ARGS: '--enable-unsafe-webgpu --ignore-gpu-blocklist --enable-gpu --use-angle=vulkan --enable-features=Vulkan' },
});
process.exit(run.status ?? 1);
