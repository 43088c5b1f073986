import * as tf from '@tensorflow/tfjs';
import { startWasmBackend } from './nodeBackend';
await startWasmBackend();
const time = (name: string, f: () => tf.Tensor) => {
  for (let i = 0; i < 2; i++) f().dispose();
  const t0 = performance.now();
  const n = 5;
  for (let i = 0; i < n; i++) { const r = f(); r.dataSync(); r.dispose(); }
  console.log(name, ((performance.now() - t0) / n).toFixed(1), 'ms');
};
for (const N of [64]) {
  const x1 = tf.randomUniform([N, 28, 28, 1]); const dy1 = tf.randomUniform([N, 26, 26, 32]);
  const x2 = tf.randomUniform([N, 26, 26, 32]); const dy2 = tf.randomUniform([N, 24, 24, 64]);
  const w2 = tf.randomUniform([3, 3, 32, 64]);
  const bpf = (x: tf.Tensor, dy: tf.Tensor, fs: number[]) => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape: fs }) as tf.Tensor;
  time(`N${N} bpf conv1`, () => bpf(x1, dy1, [3, 3, 1, 32]));
  time(`N${N} bpf conv2`, () => bpf(x2, dy2, [3, 3, 32, 64]));
  time(`N${N} bpi conv2`, () => tf.engine().runKernel('Conv2DBackpropInput', { dy: dy2, filter: w2 }, { strides: 1, pad: 'valid', dataFormat: 'NHWC', inputShape: [N, 26, 26, 32] }) as tf.Tensor);
  time(`N${N} fwd conv2`, () => tf.conv2d(x2 as tf.Tensor4D, w2 as tf.Tensor4D, 1, 'valid'));
  const pooled = tf.maxPool(dy2 as tf.Tensor4D, 2, 2, 'valid');
  time(`N${N} maxpoolgrad`, () => tf.engine().runKernel('MaxPoolGrad', { dy: pooled, input: dy2, output: pooled }, { filterSize: 2, strides: 2, pad: 'valid' }) as tf.Tensor);
  time(`N${N} transpose x2`, () => tf.transpose(x2, [3, 1, 2, 0]));
  time(`N${N} transpose dy2`, () => tf.transpose(dy2, [1, 2, 0, 3]));
}
