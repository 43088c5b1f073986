/**
 * The source of Digit Lab's own WebAssembly SIMD training kernels, as WebAssembly text. They run on the memory
 * of tfjs-backend-wasm itself (imported as env.memory), so they read and write tensors in place, with no copy.
 * One source, two builds: with relaxed-SIMD fused multiply-add where the browser has it, plain SIMD128
 * otherwise (`fma`). scripts/build-kernels.ts compiles both into trainingKernels.wasm.ts.
 *
 * Why our own: in `npm run bench -- --profile` the filter gradient of the 26x26x32 -> 64 convolution was the
 * costliest kernel of a training step (200-235 ms of 520-570 for 128 images), because tfjs has none for wasm and
 * the one built from XNNPACK's convolution contracts over all 73,728 positions at once, which XNNPACK's
 * microkernels stream from memory; and MaxPoolGrad (53-60 ms) is a scalar loop.
 *
 *  - conv_filter_grad: dW[r][s][i][o] = sum over n, y, x of X[n][y+r][x+s][i] * dY[n][y][x][o]: stride 1, no
 *    padding (the app's CNN), NHWC, Cin a multiple of 4, Cout a multiple of 8. Image by image (each image's X and
 *    dY stay in the core's L2), a 4 x 8 tile of dW in eight SIMD registers swept over every position.
 *  - conv2d_winograd, conv2d_winograd_f4: a 3x3, stride-1 convolution as Winograd F(2x2, 3x3) or F(4x4, 3x3) (the
 *    second conv layer's forward pass and input gradient, about 90% of a step's arithmetic): transformed input
 *    tiles times the transformed filter, 16 multiplications per 2x2 outputs and channel pair, or 36 per 4x4, where
 *    conv2d does 36 or 144; as 16 or 36 GEMMs on $gemm's tiles.
 *  - conv_filter_grad_winograd: conv_filter_grad for 3x3 filters as Winograd F(3x3, 2x2) (the second conv layer's
 *    filter gradient): per 2 x 2 tile of dY and the 4 x 4 inputs under it, 16 multiplications per channel pair
 *    where conv_filter_grad does 36, summed over every tile of the batch by 16 GEMMs that add to their result,
 *    and transformed back to the 3 x 3 taps once.
 *  - max_pool_grad_2x2: the gradient of a 2x2, stride-2, unpadded max pooling (NHWC, C a multiple of 4): each
 *    window's gradient goes to its first maximum in row-major order, as tfjs's own kernels do.
 *  - conv_filter_grad_c1x3: the same for one input channel and 3-wide kernels (the first layer): a row of dW,
 *    3 x 8 of it, in six registers.
 *  - column_sums: the sum over the rows of a [rows, c] matrix (c a multiple of 16): the bias gradients, summed
 *    over batch and pixels in one pass where tfjs transposes first.
 *  - keras_adadelta: one Keras Adadelta step of a weight tensor in one pass over memory (tfjs's ops make about
 *    seventeen), with the operations in the order model/kerasAdadelta.ts writes them.
 */
/** Rows of a $gemm tile: 4 x 2 accumulators (3 and 5 rows ran 6% and 100% slower in Chromium's V8 for the second conv layer, 6 spilled registers: 75%). */
const GEMM_ROWS = 4;
const GEMM_ACCS = Array.from({ length: GEMM_ROWS * 2 }, (_, i) => `$g${i}`);
/**
 * Winograd F(m x m, 3 x 3)'s matrices (Lavin and Gray 2015): B^T (input, alpha x alpha for alpha = m + 2), G
 * (filter, alpha x 3) and A^T (output, m x alpha); Y = A^T [(G g G^T) * (B^T d B)] A for each tile.
 */
const WINOGRAD = {
  2: {
    bt: [[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]],
    g: [[1, 0, 0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0, 0, 1]],
    at: [[1, 1, 1, 0], [0, 1, -1, -1]],
  },
  4: {
    bt: [[4, 0, -5, 0, 1, 0], [0, -4, -4, 1, 1, 0], [0, 4, -4, -1, 1, 0], [0, -2, -1, 2, 1, 0], [0, 2, -1, -2, 1, 0], [0, 4, 0, -5, 0, 1]],
    g: [[1 / 4, 0, 0], [-1 / 6, -1 / 6, -1 / 6], [-1 / 6, 1 / 6, -1 / 6], [1 / 24, 1 / 12, 1 / 6], [1 / 24, -1 / 12, 1 / 6], [0, 0, 1]],
    at: [[1, 1, 1, 1, 1, 0], [0, 1, -1, 2, -2, 0], [0, 1, 1, 4, 4, 0], [0, 1, -1, 8, -8, 1]],
  },
} as const;
/** Rows column_sums adds up before it adds their sum to the total. */
const COLUMN_BLOCK = 256;
/** matmul_nt's accumulators: 2 rows of A x 4 of B. */
const NT_ACCS = [0, 1].map((i) => [0, 1, 2, 3].map((j) => `$h${i}${j}`));
/** Byte offsets of rows 1 .. GEMM_ROWS-1 of A from row 0. */
const GEMM_OFFSETS = Array.from({ length: GEMM_ROWS - 1 }, (_, i) => `$o${i + 1}`);

export function trainingKernelsWat({ fma }: { fma: boolean }): string {
  /** acc += a * b, on four floats. */
  const madd = (acc: string, a: string, b: string) =>
    fma ? `(local.set ${acc} (f32x4.relaxed_madd ${a} ${b} (local.get ${acc})))` : `(local.set ${acc} (f32x4.add (local.get ${acc}) (f32x4.mul ${a} ${b})))`;
  const accs = ['$a00', '$a01', '$a10', '$a11', '$a20', '$a21', '$a30', '$a31'];
  /** dW row (i) for this tile: dw + ((r*KW + s)*CI + ci0 + i)*CO*4 + co0*4. */
  const tileAddress = (i: number) => `(i32.add (local.get $tile) (i32.mul (i32.const ${i}) (local.get $rowBytes)))`;
  const rowAt = tileAddress;
  /** One Adadelta pass from $i to $end, on four floats at a time (f32x4) or one (f32): the same formula for both. */
  const adadeltaLoop = (
    name: string,
    v: { t: string; load: string; store: string; g: string; a: string; u: string; rho: string; keep: string; eps: string; lr: string; step: number },
  ) => {
    const at = (base: string) => `(i32.add (local.get ${base}) (local.get $i))`;
    const get = (x: string) => `(local.get ${x})`;
    return `(block $${name}Done (loop $${name}
      (br_if $${name}Done (i32.ge_u (local.get $i) (local.get $end)))
      (local.set ${v.g} (${v.load} ${at('$g')}))
      (local.set ${v.a} (${v.t}.add (${v.t}.mul (${v.load} ${at('$a')}) ${get(v.rho)}) (${v.t}.mul (${v.t}.mul ${get(v.g)} ${get(v.g)}) ${get(v.keep)})))
      (local.set ${v.u} (${v.t}.div
        (${v.t}.mul ${get(v.g)} (${v.t}.sqrt (${v.t}.add (${v.load} ${at('$d')}) ${get(v.eps)})))
        (${v.t}.sqrt (${v.t}.add ${get(v.a)} ${get(v.eps)}))))
      (${v.store} ${at('$aOut')} ${get(v.a)})
      (${v.store} ${at('$dOut')} (${v.t}.add (${v.t}.mul (${v.load} ${at('$d')}) ${get(v.rho)}) (${v.t}.mul (${v.t}.mul ${get(v.u)} ${get(v.u)}) ${get(v.keep)})))
      (${v.store} ${at('$pOut')} (${v.t}.sub (${v.load} ${at('$p')}) (${v.t}.mul ${get(v.u)} ${get(v.lr)})))
      (local.set $i (i32.add (local.get $i) (i32.const ${v.step})))
      (br $${name})))`;
  };
  /** for (v = 0; v < limit; v += step) { body }, as WebAssembly's block, loop and branches. */
  const forRange = (v: string, limit: string, step: number, body: string) => `(local.set ${v} (i32.const 0))
    (block ${v}Done (loop ${v}Next
      (br_if ${v}Done (i32.ge_u (local.get ${v}) ${limit}))
      ${body.trim()}
      (local.set ${v} (i32.add (local.get ${v}) (i32.const ${step})))
      (br ${v}Next)))`;
  /**
   * One tile of $gemm: rows p0 .. p0+rows-1, columns j0 .. j0+7 for every j0, accumulated over every tap and q
   * in registers (2 per row), then biased, rectified if asked, and stored.
   */
  const gemmTile = (rows: number) => {
    const acc = (p: number, h: number) => GEMM_ACCS[p * 2 + h]!;
    const each = (f: (p: number) => string) => Array.from({ length: rows }, (_, p) => f(p)).join('\n          ');
    const rowAddress = (p: number) => (p === 0 ? '(local.get $ap)' : `(i32.add (local.get $ap) (local.get ${GEMM_OFFSETS[p - 1]}))`);
    const cRow = (p: number) => (p === 0 ? '(local.get $cp)' : `(i32.add (local.get $cp) (i32.mul (local.get $cP) (i32.const ${p})))`);
    return `${forRange('$j0', '(local.get $n)', 8, `
        (if (i32.eq (local.get $hasBias) (i32.const 1))
          (then
            (local.set $z0 (v128.load (i32.add (local.get $bias) (i32.shl (local.get $j0) (i32.const 2)))))
            (local.set $z1 (v128.load offset=16 (i32.add (local.get $bias) (i32.shl (local.get $j0) (i32.const 2))))))
          (else (local.set $z0 (v128.const i32x4 0 0 0 0)) (local.set $z1 (v128.const i32x4 0 0 0 0))))
        ${each((p) => `(local.set ${acc(p, 0)} (local.get $z0)) (local.set ${acc(p, 1)} (local.get $z1))`)}
        (local.set $ap (i32.add (local.get $a) (i32.mul (local.get $p0) (local.get $aP))))
        (local.set $bp (i32.add (local.get $b) (i32.shl (local.get $j0) (i32.const 2))))
        (local.set $t (local.get $taps))
        (loop $taps${rows}
          (local.set $q (local.get $k))
          (loop $k${rows}
            (local.set $w0 (v128.load (local.get $bp)))
            (local.set $w1 (v128.load offset=16 (local.get $bp)))
            ${each((p) => `(local.set $v (v128.load32_splat ${rowAddress(p)}))
            ${madd(acc(p, 0), '(local.get $v)', '(local.get $w0)')}
            ${madd(acc(p, 1), '(local.get $v)', '(local.get $w1)')}`)}
            (local.set $ap (i32.add (local.get $ap) (local.get $aK)))
            (local.set $bp (i32.add (local.get $bp) (local.get $bK)))
            (local.set $q (i32.sub (local.get $q) (i32.const 1)))
            (br_if $k${rows} (local.get $q)))
          ;; next tap: back over the k steps just taken, then one tap on
          (local.set $ap (i32.add (i32.sub (local.get $ap) (i32.mul (local.get $k) (local.get $aK))) (local.get $aT)))
          (local.set $bp (i32.add (i32.sub (local.get $bp) (i32.mul (local.get $k) (local.get $bK))) (local.get $bT)))
          (local.set $t (i32.sub (local.get $t) (i32.const 1)))
          (br_if $taps${rows} (local.get $t)))
        (local.set $cp (i32.add (i32.add (local.get $c) (i32.mul (local.get $p0) (local.get $cP))) (i32.shl (local.get $j0) (i32.const 2))))
        (if (i32.eq (local.get $hasBias) (i32.const 2)) (then
          ${each((p) => `(local.set ${acc(p, 0)} (f32x4.add (local.get ${acc(p, 0)}) (v128.load ${cRow(p)})))
          (local.set ${acc(p, 1)} (f32x4.add (local.get ${acc(p, 1)}) (v128.load offset=16 ${cRow(p)})))`)}))
        (if (local.get $relu) (then
          ${each((p) => `(local.set ${acc(p, 0)} (f32x4.max (local.get ${acc(p, 0)}) (v128.const i32x4 0 0 0 0)))
          (local.set ${acc(p, 1)} (f32x4.max (local.get ${acc(p, 1)}) (v128.const i32x4 0 0 0 0)))`)}))
        ${each((p) => `(v128.store ${cRow(p)} (local.get ${acc(p, 0)}))
        (v128.store offset=16 ${cRow(p)} (local.get ${acc(p, 1)}))`)}`)}`;
  };
  /** Lanes of two f32x4 (0-3 from the first, 4-7 from the second) as i8x16.shuffle's byte indices. */
  const shuffle = (lanes: number[], x: string, y: string) =>
    `(i8x16.shuffle ${lanes.flatMap((l) => [0, 1, 2, 3].map((b) => l * 4 + b)).join(' ')} ${x} ${y})`;
  /** [sum of h0's lanes, sum of h1's, sum of h2's, sum of h3's]. */
  const laneSums = (h: string[]) => {
    const get = (x: string) => `(local.get ${x})`;
    const pair = (x: string, y: string) => `(f32x4.add ${shuffle([0, 1, 4, 5], get(x), get(y))} ${shuffle([2, 3, 6, 7], get(x), get(y))})`;
    const low = pair(h[0]!, h[1]!);
    const high = pair(h[2]!, h[3]!);
    return `(f32x4.add ${shuffle([0, 2, 4, 6], low, high)} ${shuffle([1, 3, 5, 7], low, high)})`;
  };
  /** One tile of matmul_nt: rows m0 .. m0+rows-1 of A against rows n0 .. n0+3 of B. */
  const ntTile = (rows: number) => {
    const rowsOf = Array.from({ length: rows }, (_, i) => i);
    return `${rowsOf.map((i) => NT_ACCS[i]!.map((h) => `(local.set ${h} (v128.const i32x4 0 0 0 0))`).join(' ')).join('\n        ')}
        (local.set $ra0 (i32.add (local.get $a) (i32.mul (local.get $m0) (local.get $kb))))
        (local.set $ra1 (i32.add (local.get $ra0) (local.get $kb)))
        ${forRange('$q', '(local.get $kb)', 16, `
          ${rowsOf.map((i) => `(local.set $va${i} (v128.load (i32.add (local.get $ra${i}) (local.get $q))))`).join('\n          ')}
          ${[0, 1, 2, 3].map((j) => `(local.set $vb (v128.load (i32.add (local.get $rb${j}) (local.get $q))))
          ${rowsOf.map((i) => madd(NT_ACCS[i]![j]!, `(local.get $va${i})`, '(local.get $vb)')).join('\n          ')}`).join('\n          ')}`)}
        ${rowsOf.map((i) => `(v128.store (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (i32.add (local.get $m0) (i32.const ${i})) (local.get $n)) (local.get $n0)) (i32.const 2)))
          ${laneSums(NT_ACCS[i]!)})`).join('\n        ')}`;
  };
  const get = (x: string) => `(local.get ${x})`;
  const f32 = (c: number) => `(v128.const f32x4 ${[c, c, c, c].join(' ')})`;
  /**
   * sum of coefficients[i] * terms[i], on f32x4: additions and subtractions where the coefficients are +-1, one
   * multiplication where the others share a magnitude (G's halves and sixths), a multiplication each otherwise.
   */
  const combine = (coefficients: readonly number[], terms: string[]) => {
    // a positive term first where there is one: b - a rather than -a + b
    const used = coefficients
      .map((c, i) => [c, terms[i]!] as const)
      .filter(([c]) => c !== 0)
      .sort(([a], [b]) => Number(b > 0) - Number(a > 0));
    const scale = Math.abs(used[0]![0]);
    const shared = used.every(([c]) => Math.abs(c) === scale);
    const unit = (c: number) => (shared ? Math.sign(c) : c);
    const scaled = (c: number, t: string) => (Math.abs(c) === 1 ? t : `(f32x4.mul ${t} ${f32(Math.abs(c))})`);
    let sum = unit(used[0]![0]) > 0 ? scaled(unit(used[0]![0]), used[0]![1]) : `(f32x4.neg ${scaled(unit(used[0]![0]), used[0]![1])})`;
    for (const [c, t] of used.slice(1)) sum = `(${unit(c) > 0 ? 'f32x4.add' : 'f32x4.sub'} ${sum} ${scaled(unit(c), t)})`;
    return shared && scale !== 1 ? `(f32x4.mul ${sum} ${f32(scale)})` : sum;
  };
  /** Registers for a transform's alpha x alpha terms ($wa..) and its intermediate ones ($wb..). */
  const transformRegisters = (taps: number) => ({
    A: Array.from({ length: taps }, (_, i) => `$wa${i}`),
    S: Array.from({ length: taps }, (_, i) => `$wb${i}`),
  });
  /**
   * V = B^T d B for the alpha x alpha inputs d[i][j] at dq + $row{i} + $col{j} (rows and pixels apart), stored at
   * vq, vq + step, vq + 2 step, ... (k = i*alpha + j), four channels of one tile.
   */
  const winogradInputTransform = (tile: 2 | 4, step: string) => {
    const { bt } = WINOGRAD[tile];
    const alpha = tile + 2;
    const { A, S } = transformRegisters(alpha * alpha);
    const d = (i: number, j: number) => A[i * alpha + j]!;
    const r = (i: number, j: number) => S[i * alpha + j]!;
    const address = (i: number, j: number) => {
      const row = i === 0 ? '(local.get $dq)' : `(i32.add (local.get $dq) (local.get $row${i}))`;
      return j === 0 ? row : `(i32.add ${row} (local.get $col${j}))`;
    };
    const loads = bt.flatMap((_, i) => bt.map((__, j) => `(local.set ${d(i, j)} (v128.load ${address(i, j)}))`));
    const rows = bt.flatMap((row, i) => bt.map((__, j) => `(local.set ${r(i, j)} ${combine(row, bt.map((___, l) => get(d(l, j))))})`));
    const stores = bt.flatMap((_, i) =>
      bt.map((row) => `(v128.store (local.get $vq) ${combine(row, bt.map((___, l) => get(r(i, l))))})
          (local.set $vq (i32.add (local.get $vq) (local.get ${step})))`),
    );
    return [...loads, ...rows, ...stores].join('\n          ');
  };
  /** A Winograd F(m x m, 3 x 3) convolution as conv2d_winograd's source: its transforms below, on four channels at a time. */
  const winogradConv = (name: string, tile: 2 | 4) => {
    const { g, at: aT } = WINOGRAD[tile];
    const alpha = tile + 2;
    const taps = alpha * alpha;
    const { A, S } = transformRegisters(taps);
    /** U = G w G^T for the 3 x 3 taps w[r][s] at wq + (r*3 + s)*tap, stored at uq + k*tap (k = i*alpha + j). */
    const filterTransform = () => {
      const w = (r: number, s: number) => `(local.get ${A[r * 3 + s]!})`;
      const t = (i: number, s: number) => S[i * 3 + s]!;
      const loads = [0, 1, 2].flatMap((r) => [0, 1, 2].map((s) => `(local.set ${A[r * 3 + s]!} (v128.load (i32.add (local.get $wq) (i32.mul (local.get $tap) (i32.const ${r * 3 + s})))))`));
      const gw = g.flatMap((row, i) => [0, 1, 2].map((s) => `(local.set ${t(i, s)} ${combine(row, [0, 1, 2].map((r) => w(r, s)))})`));
      const stores = g.flatMap((_, i) =>
        g.map((row, j) => `(v128.store (i32.add (local.get $uq) (i32.mul (local.get $tap) (i32.const ${i * alpha + j}))) ${combine(row, [0, 1, 2].map((s) => get(t(i, s))))})`),
      );
      return [...loads, ...gw, ...stores].join('\n        ');
    };
    const inputTransform = () => winogradInputTransform(tile, '$pixel');
    /**
     * Y = A^T m A (tile x tile) for m[k] at mq, mq + coBytes, ..., plus the bias in $z0, rectified if asked, and
     * stored: all of it where the tile lies inside the output, otherwise the outputs inside ($rowsIn x $colsIn).
     */
    const outputTransform = () => {
      const m = (i: number, j: number) => A[i * alpha + j]!;
      const t = (i: number, j: number) => S[i * alpha + j]!;
      const y = (i: number, j: number) => A[i * tile + j]!;
      const loads = Array.from({ length: taps }, (_, k) => `(local.set ${A[k]!} (v128.load (local.get $mq)))
          (local.set $mq (i32.add (local.get $mq) (local.get $coBytes)))`);
      const rows = aT.flatMap((row, i) => aT[0]!.map((__, j) => `(local.set ${t(i, j)} ${combine(row, aT[0]!.map((___, l) => get(m(l, j))))})`));
      const outs = aT.flatMap((_, i) => aT.map((row, j) => `(local.set ${y(i, j)} (f32x4.add ${combine(row, aT[0]!.map((___, l) => get(t(i, l))))} (local.get $z0)))`));
      const ys = aT.flatMap((_, i) => aT.map((__, j) => [i, j] as const));
      const relu = ys.map(([i, j]) => `(local.set ${y(i, j)} (f32x4.max (local.get ${y(i, j)}) (v128.const i32x4 0 0 0 0)))`);
      const address = (i: number, j: number) => {
        const row = i === 0 ? '(local.get $yq)' : `(i32.add (local.get $yq) (local.get $yr${i}))`;
        return j === 0 ? row : `(i32.add ${row} (local.get $yc${j}))`;
      };
      const store = (i: number, j: number) => `(v128.store ${address(i, j)} (local.get ${y(i, j)}))`;
      const inside = (i: number, j: number) =>
        i + j === 0 ? store(i, j) : `(if (i32.and (i32.gt_u (local.get $rowsIn) (i32.const ${i})) (i32.gt_u (local.get $colsIn) (i32.const ${j}))) (then ${store(i, j)}))`;
      return `${[...loads, ...rows, ...outs].join('\n          ')}
          (if (local.get $relu) (then ${relu.join(' ')}))
          (if (local.get $whole) (then
            ${ys.map(([i, j]) => store(i, j)).join('\n            ')})
          (else
            ${ys.map(([i, j]) => inside(i, j)).join('\n            ')}))`;
    };
    const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
    const perTile = (x: string) => `(i32.mul (local.get ${x}) (i32.const ${taps}))`;
    const nextTile = `(local.set $tx (i32.add (local.get $tx) (i32.const 1)))
          (if (i32.eq (local.get $tx) (local.get $tw)) (then (local.set $tx (i32.const 0)) (local.set $ty (i32.add (local.get $ty) (i32.const 1)))))`;
    return `(func (export "${name}")
    (param $x i32) (param $w i32) (param $bias i32) (param $hasBias i32) (param $y i32)
    (param $n i32) (param $h i32) (param $wd i32) (param $ci i32) (param $co i32)
    (param $pt i32) (param $pb i32) (param $pl i32) (param $pr i32) (param $relu i32) (param $scratch i32) (param $block i32)
    (local $ho i32) (local $wo i32) (local $th i32) (local $tw i32) (local $hp2 i32) (local $wp2 i32) (local $tiles i32)
    (local $pixel i32) (local $coBytes i32) (local $tap i32) (local $u i32) (local $pad i32) (local $vBase i32) (local $mBase i32)
    (local $copy i32) (local $img i32) (local $row i32) (local $src i32) (local $rowBytes i32) (local $e i32) (local $wq i32) (local $uq i32)
    (local $p0 i32) (local $m i32) (local $p i32) (local $ty i32) (local $tx i32) (local $dq i32) (local $vq i32) (local $mq i32)
    (local $yq i32) (local $yRow i32) (local $yImage i32) (local $o i32) (local $rowsIn i32) (local $colsIn i32) (local $whole i32)
    ${range(1, alpha).map((i) => `(local $row${i} i32) (local $col${i} i32)`).join(' ')}
    ${range(1, tile).map((i) => `(local $yr${i} i32) (local $yc${i} i32)`).join(' ')}
    (local $z0 v128)
    ${[...A, ...S].map((v) => `(local ${v} v128)`).join(' ')}
    (local.set $ho (i32.sub (i32.add (local.get $h) (i32.add (local.get $pt) (local.get $pb))) (i32.const 2)))
    (local.set $wo (i32.sub (i32.add (local.get $wd) (i32.add (local.get $pl) (local.get $pr))) (i32.const 2)))
    (local.set $th (i32.div_u (i32.add (local.get $ho) (i32.const ${tile - 1})) (i32.const ${tile})))
    (local.set $tw (i32.div_u (i32.add (local.get $wo) (i32.const ${tile - 1})) (i32.const ${tile})))
    (local.set $hp2 (i32.add (i32.mul (local.get $th) (i32.const ${tile})) (i32.const 2)))
    (local.set $wp2 (i32.add (i32.mul (local.get $tw) (i32.const ${tile})) (i32.const 2)))
    (local.set $tiles (i32.mul (local.get $th) (local.get $tw)))
    (local.set $pixel (i32.shl (local.get $ci) (i32.const 2)))
    (local.set $coBytes (i32.shl (local.get $co) (i32.const 2)))
    (local.set $tap (i32.mul (local.get $ci) (local.get $coBytes)))
    (local.set $u (local.get $scratch))
    (local.set $pad (i32.add (local.get $u) ${perTile('$tap')}))
    (local.set $vBase (i32.add (local.get $pad) (i32.mul (i32.mul (local.get $hp2) (local.get $wp2)) (local.get $pixel))))
    (local.set $mBase (i32.add (local.get $vBase) (i32.mul ${perTile('$pixel')} (local.get $block))))
    (local.set $yRow (i32.mul (local.get $wo) (local.get $coBytes)))
    (local.set $yImage (i32.mul (local.get $ho) (local.get $yRow)))
    ${range(1, tile).map((i) => `(local.set $yr${i} (i32.mul (local.get $yRow) (i32.const ${i}))) (local.set $yc${i} (i32.mul (local.get $coBytes) (i32.const ${i})))`).join('\n    ')}
    ;; U = G g G^T: W[r][s] and U[k] are [ci][co] alike, so one offset walks both.
    ${forRange('$e', '(local.get $tap)', 16, `
        (local.set $wq (i32.add (local.get $w) (local.get $e)))
        (local.set $uq (i32.add (local.get $u) (local.get $e)))
        ${filterTransform()}`)}
    (local.set $copy (i32.or
      (i32.or (i32.or (local.get $pt) (local.get $pb)) (i32.or (local.get $pl) (local.get $pr)))
      (i32.or (i32.ne (local.get $hp2) (local.get $h)) (i32.ne (local.get $wp2) (local.get $wd)))))
    (if (local.get $copy) (then
      (memory.fill (local.get $pad) (i32.const 0) (i32.mul (i32.mul (local.get $hp2) (local.get $wp2)) (local.get $pixel)))))
    (local.set $rowBytes (i32.mul (select (local.get $wp2) (local.get $wd) (local.get $copy)) (local.get $pixel)))
    ${range(1, alpha).map((i) => `(local.set $row${i} (i32.mul (local.get $rowBytes) (i32.const ${i}))) (local.set $col${i} (i32.mul (local.get $pixel) (i32.const ${i})))`).join('\n    ')}
    ${forRange('$img', '(local.get $n)', 1, `
      (local.set $src (i32.add (local.get $x) (i32.mul (local.get $img) (i32.mul (i32.mul (local.get $h) (local.get $wd)) (local.get $pixel)))))
      (if (local.get $copy) (then
        ${forRange('$row', '(local.get $h)', 1, `
          (memory.copy
            (i32.add (local.get $pad) (i32.mul (i32.add (i32.mul (i32.add (local.get $row) (local.get $pt)) (local.get $wp2)) (local.get $pl)) (local.get $pixel)))
            (i32.add (local.get $src) (i32.mul (i32.mul (local.get $row) (local.get $wd)) (local.get $pixel)))
            (i32.mul (local.get $wd) (local.get $pixel)))`)}
        (local.set $src (local.get $pad))))
      (local.set $p0 (i32.const 0))
      (block $blocksDone (loop $blocks
        (br_if $blocksDone (i32.ge_u (local.get $p0) (local.get $tiles)))
        (local.set $m (i32.sub (local.get $tiles) (local.get $p0)))
        (local.set $m (select (local.get $block) (local.get $m) (i32.gt_u (local.get $m) (local.get $block))))
        ;; V = B^T d B, tile by tile of the block
        (local.set $ty (i32.div_u (local.get $p0) (local.get $tw)))
        (local.set $tx (i32.rem_u (local.get $p0) (local.get $tw)))
        ${forRange('$p', '(local.get $m)', 1, `
          (local.set $dq (i32.add (local.get $src) (i32.mul (i32.add (i32.mul (local.get $ty) (local.get $rowBytes)) (i32.mul (local.get $tx) (local.get $pixel))) (i32.const ${tile}))))
          ${forRange('$e', '(local.get $pixel)', 16, `
            (local.set $vq (i32.add (i32.add (local.get $vBase) (i32.mul ${perTile('$pixel')} (local.get $p))) (local.get $e)))
            ${inputTransform()}
            (local.set $dq (i32.add (local.get $dq) (i32.const 16)))`)}
          ${nextTile}`)}
        ;; M[.][k] = V[.][k] U[k]: tiles ${taps}*ci floats apart in V, ${taps}*co in M
        ${range(0, taps).map((k) => `(call $gemm
          (i32.add (local.get $vBase) (i32.mul (local.get $pixel) (i32.const ${k}))) ${perTile('$pixel')} (i32.const 4) (i32.const 0)
          (i32.add (local.get $u) (i32.mul (local.get $tap) (i32.const ${k}))) (local.get $coBytes) (i32.const 0) (i32.const 0) (i32.const 0)
          (i32.add (local.get $mBase) (i32.mul (local.get $coBytes) (i32.const ${k}))) ${perTile('$coBytes')}
          (local.get $m) (local.get $co) (local.get $ci) (i32.const 1) (i32.const 0))`).join('\n        ')}
        ;; Y = A^T M A + bias, tile by tile
        (local.set $ty (i32.div_u (local.get $p0) (local.get $tw)))
        (local.set $tx (i32.rem_u (local.get $p0) (local.get $tw)))
        ${forRange('$p', '(local.get $m)', 1, `
          (local.set $rowsIn (i32.sub (local.get $ho) (i32.mul (local.get $ty) (i32.const ${tile}))))
          (local.set $colsIn (i32.sub (local.get $wo) (i32.mul (local.get $tx) (i32.const ${tile}))))
          (local.set $whole (i32.and (i32.ge_u (local.get $rowsIn) (i32.const ${tile})) (i32.ge_u (local.get $colsIn) (i32.const ${tile}))))
          ${forRange('$o', '(local.get $coBytes)', 16, `
            (local.set $mq (i32.add (i32.add (local.get $mBase) (i32.mul ${perTile('$coBytes')} (local.get $p))) (local.get $o)))
            (local.set $yq (i32.add (i32.add (local.get $y) (i32.mul (local.get $img) (local.get $yImage)))
              (i32.add (i32.mul (i32.add (i32.mul (local.get $ty) (local.get $yRow)) (i32.mul (local.get $tx) (local.get $coBytes))) (i32.const ${tile})) (local.get $o))))
            (local.set $z0 (if (result v128) (local.get $hasBias) (then (v128.load (i32.add (local.get $bias) (local.get $o)))) (else (v128.const i32x4 0 0 0 0))))
            ${outputTransform()}`)}
          ${nextTile}`)}
        (local.set $p0 (i32.add (local.get $p0) (local.get $m)))
        (br $blocks)))`)})`;
  };
  /**
   * conv_filter_grad_winograd's source: the filter gradient of a 3x3 convolution as Winograd F(3x3, 2x2), F(2x2, 3x3)
   * transposed. For one 2 x 2 tile u of dY and the 4 x 4 tile d of X under it, dW's share is
   * G^T [(A u A^T) * (B^T d B)] G with F(2x2, 3x3)'s own B^T, G and A^T (A = (A^T)^T, 4 x 2): in one dimension
   * z = G^T [(A u) * (B^T d)], because sum_r g_r z_r and F(2x2, 3x3)'s sum_i u_i y_i are the same trilinear form of
   * u, g and d. G^T is linear, so the products are summed over every tile first and transformed once.
   */
  const winogradFilterGrad = (name: string) => {
    const { g, at: aT } = WINOGRAD[2];
    const { A, S } = transformRegisters(16);
    /** A's rows: a[i] = [A^T[0][i], A^T[1][i]]. */
    const a = [0, 1, 2, 3].map((i) => aT.map((row) => row[i]!));
    /** G^T's rows: gt[r] = G's column r. */
    const gt = [0, 1, 2].map((r) => g.map((row) => row[r]!));
    /** D = A u A^T for the 2 x 2 gradients u[i][j] at $ue + i*$uRowStep + j*$coBytes, stored at dq, dq + dStep, ... (k = i*4 + j). */
    const gradTransform = () => {
      const u = (i: number, j: number) => A[i * 2 + j]!;
      const t = (i: number, j: number) => S[i * 2 + j]!;
      const address = (i: number, j: number) => {
        const row = i === 0 ? '(local.get $ue)' : '(i32.add (local.get $ue) (local.get $uRowStep))';
        return j === 0 ? row : `(i32.add ${row} (local.get $coBytes))`;
      };
      const loads = [0, 1].flatMap((i) => [0, 1].map((j) => `(local.set ${u(i, j)} (v128.load ${address(i, j)}))`));
      const rows = a.flatMap((row, i) => [0, 1].map((j) => `(local.set ${t(i, j)} ${combine(row, [0, 1].map((l) => get(u(l, j))))})`));
      const stores = a.flatMap((_, i) =>
        a.map((row) => `(v128.store (local.get $dq) ${combine(row, [0, 1].map((l) => get(t(i, l))))})
          (local.set $dq (i32.add (local.get $dq) (local.get $dStep)))`),
      );
      return [...loads, ...rows, ...stores].join('\n          ');
    };
    /** dW[r][s] = (G^T M G)[r][s] for M[k] at mBase + k*tapBytes + e, stored at dw + (r*3 + s)*tapBytes + e. */
    const outputTransform = () => {
      const m = (i: number, j: number) => A[i * 4 + j]!;
      const t = (r: number, j: number) => S[r * 4 + j]!;
      const loads = Array.from({ length: 16 }, (_, k) => `(local.set ${A[k]!} (v128.load (i32.add (local.get $mq) (i32.mul (local.get $tapBytes) (i32.const ${k})))))`);
      const rows = gt.flatMap((row, r) => [0, 1, 2, 3].map((j) => `(local.set ${t(r, j)} ${combine(row, [0, 1, 2, 3].map((i) => get(m(i, j))))})`));
      const stores = gt.flatMap((_, r) =>
        gt.map((row, s) => `(v128.store (i32.add (i32.add (local.get $dw) (local.get $e)) (i32.mul (local.get $tapBytes) (i32.const ${r * 3 + s}))) ${combine(row, [0, 1, 2, 3].map((j) => get(t(r, j))))})`),
      );
      return [...loads, ...rows, ...stores].join('\n        ');
    };
    const rowOffsets = (rowBytes: string) => [1, 2, 3].map((i) => `(local.set $row${i} (i32.mul ${rowBytes} (i32.const ${i})))`).join(' ');
    return `(func (export "${name}")
    (param $x i32) (param $dy i32) (param $dw i32) (param $n i32) (param $h i32) (param $wd i32) (param $ci i32) (param $co i32)
    (param $scratch i32) (param $block i32)
    (local $ho i32) (local $wo i32) (local $th i32) (local $tw i32) (local $tiles i32) (local $pixel i32) (local $coBytes i32) (local $tapBytes i32)
    (local $mBase i32) (local $vBase i32) (local $dBase i32) (local $tileX i32) (local $tileU i32) (local $vStep i32) (local $dStep i32)
    (local $xRow i32) (local $xImage i32) (local $uRow i32) (local $uImage i32) (local $uRowStep i32)
    (local $img i32) (local $ty i32) (local $tx i32) (local $p0 i32) (local $m i32) (local $p i32) (local $e i32) (local $i i32)
    (local $xq i32) (local $uq i32) (local $ue i32) (local $dq i32) (local $vq i32) (local $mq i32) (local $rowsIn i32) (local $colsIn i32)
    ${[1, 2, 3].map((i) => `(local $row${i} i32) (local $col${i} i32)`).join(' ')}
    ${[...A, ...S].map((v) => `(local ${v} v128)`).join(' ')}
    (local.set $ho (i32.sub (local.get $h) (i32.const 2)))
    (local.set $wo (i32.sub (local.get $wd) (i32.const 2)))
    (local.set $th (i32.shr_u (i32.add (local.get $ho) (i32.const 1)) (i32.const 1)))
    (local.set $tw (i32.shr_u (i32.add (local.get $wo) (i32.const 1)) (i32.const 1)))
    (local.set $tiles (i32.mul (local.get $n) (i32.mul (local.get $th) (local.get $tw))))
    (local.set $pixel (i32.shl (local.get $ci) (i32.const 2)))
    (local.set $coBytes (i32.shl (local.get $co) (i32.const 2)))
    (local.set $tapBytes (i32.mul (local.get $ci) (local.get $coBytes)))
    ;; V[k] and D[k] one cache line further apart than a block's tiles need: 16 slices a multiple of 4 KiB apart
    ;; (48 tiles of 32 or 64 channels) would share a set of L1 lines, and the 16 stores of a transform miss it
    (local.set $vStep (i32.add (i32.mul (local.get $block) (local.get $pixel)) (i32.const 64)))
    (local.set $dStep (i32.add (i32.mul (local.get $block) (local.get $coBytes)) (i32.const 64)))
    (local.set $mBase (local.get $scratch))
    (local.set $vBase (i32.add (local.get $mBase) (i32.shl (local.get $tapBytes) (i32.const 4))))
    (local.set $dBase (i32.add (local.get $vBase) (i32.shl (local.get $vStep) (i32.const 4))))
    (local.set $tileX (i32.add (local.get $dBase) (i32.shl (local.get $dStep) (i32.const 4))))
    (local.set $tileU (i32.add (local.get $tileX) (i32.shl (local.get $pixel) (i32.const 4))))
    (local.set $xRow (i32.mul (local.get $wd) (local.get $pixel)))
    (local.set $xImage (i32.mul (local.get $h) (local.get $xRow)))
    (local.set $uRow (i32.mul (local.get $wo) (local.get $coBytes)))
    (local.set $uImage (i32.mul (local.get $ho) (local.get $uRow)))
    ${[1, 2, 3].map((i) => `(local.set $col${i} (i32.mul (local.get $pixel) (i32.const ${i})))`).join(' ')}
    (memory.fill (local.get $mBase) (i32.const 0) (i32.shl (local.get $tapBytes) (i32.const 4)))
    ;; the tiles of every image in one sequence, a block of at most $block at a time (a block may span two images)
    (local.set $p0 (i32.const 0))
    (block $blocksDone (loop $blocks
      (br_if $blocksDone (i32.ge_u (local.get $p0) (local.get $tiles)))
      (local.set $m (i32.sub (local.get $tiles) (local.get $p0)))
      (local.set $m (select (local.get $block) (local.get $m) (i32.gt_u (local.get $m) (local.get $block))))
      ${forRange('$p', '(local.get $m)', 1, `
        (local.set $xq (i32.add (i32.add (local.get $x) (i32.mul (local.get $img) (local.get $xImage)))
          (i32.shl (i32.add (i32.mul (local.get $ty) (local.get $xRow)) (i32.mul (local.get $tx) (local.get $pixel))) (i32.const 1))))
        (local.set $uq (i32.add (i32.add (local.get $dy) (i32.mul (local.get $img) (local.get $uImage)))
          (i32.shl (i32.add (i32.mul (local.get $ty) (local.get $uRow)) (i32.mul (local.get $tx) (local.get $coBytes))) (i32.const 1))))
        (local.set $rowsIn (i32.sub (local.get $ho) (i32.shl (local.get $ty) (i32.const 1))))
        (local.set $colsIn (i32.sub (local.get $wo) (i32.shl (local.get $tx) (i32.const 1))))
        (if (i32.and (i32.ge_u (local.get $rowsIn) (i32.const 2)) (i32.ge_u (local.get $colsIn) (i32.const 2)))
          (then
            ${rowOffsets('(local.get $xRow)')}
            (local.set $uRowStep (local.get $uRow)))
          (else
            ;; a tile past an odd output's last row or column: its 2 x 2 gradients and 4 x 4 inputs copied into
            ;; zeroed tiles (zero gradients add nothing)
            (local.set $rowsIn (select (i32.const 2) (local.get $rowsIn) (i32.gt_u (local.get $rowsIn) (i32.const 2))))
            (local.set $colsIn (select (i32.const 2) (local.get $colsIn) (i32.gt_u (local.get $colsIn) (i32.const 2))))
            (memory.fill (local.get $tileX) (i32.const 0) (i32.shl (local.get $pixel) (i32.const 4)))
            (memory.fill (local.get $tileU) (i32.const 0) (i32.shl (local.get $coBytes) (i32.const 2)))
            ${forRange('$i', '(local.get $rowsIn)', 1, `
              (memory.copy (i32.add (local.get $tileU) (i32.mul (local.get $i) (i32.shl (local.get $coBytes) (i32.const 1))))
                (i32.add (local.get $uq) (i32.mul (local.get $i) (local.get $uRow))) (i32.mul (local.get $colsIn) (local.get $coBytes)))`)}
            ${forRange('$i', '(i32.add (local.get $rowsIn) (i32.const 2))', 1, `
              (memory.copy (i32.add (local.get $tileX) (i32.mul (local.get $i) (i32.shl (local.get $pixel) (i32.const 2))))
                (i32.add (local.get $xq) (i32.mul (local.get $i) (local.get $xRow))) (i32.mul (i32.add (local.get $colsIn) (i32.const 2)) (local.get $pixel)))`)}
            (local.set $xq (local.get $tileX))
            (local.set $uq (local.get $tileU))
            ${rowOffsets('(i32.shl (local.get $pixel) (i32.const 2))')}
            (local.set $uRowStep (i32.shl (local.get $coBytes) (i32.const 1)))))
        ;; V[k][p] = (B^T d B)[k], four input channels at a time
        ${forRange('$e', '(local.get $pixel)', 16, `
          (local.set $dq (i32.add (local.get $xq) (local.get $e)))
          (local.set $vq (i32.add (i32.add (local.get $vBase) (i32.mul (local.get $p) (local.get $pixel))) (local.get $e)))
          ${winogradInputTransform(2, '$vStep')}`)}
        ;; D[k][p] = (A u A^T)[k], four output channels at a time
        ${forRange('$e', '(local.get $coBytes)', 16, `
          (local.set $ue (i32.add (local.get $uq) (local.get $e)))
          (local.set $dq (i32.add (i32.add (local.get $dBase) (i32.mul (local.get $p) (local.get $coBytes))) (local.get $e)))
          ${gradTransform()}`)}
        (local.set $tx (i32.add (local.get $tx) (i32.const 1)))
        (if (i32.eq (local.get $tx) (local.get $tw)) (then
          (local.set $tx (i32.const 0))
          (local.set $ty (i32.add (local.get $ty) (i32.const 1)))
          (if (i32.eq (local.get $ty) (local.get $th)) (then
            (local.set $ty (i32.const 0))
            (local.set $img (i32.add (local.get $img) (i32.const 1)))))))`)}
      ;; M[k] += V[k]^T D[k]: [ci] x [co], the block's tiles contracted (V[k] and D[k] rows ci and co floats apart)
      ${Array.from({ length: 16 }, (_, k) => `(call $gemm
        (i32.add (local.get $vBase) (i32.mul (local.get $vStep) (i32.const ${k}))) (i32.const 4) (local.get $pixel) (i32.const 0)
        (i32.add (local.get $dBase) (i32.mul (local.get $dStep) (i32.const ${k}))) (local.get $coBytes) (i32.const 0) (i32.const 0) (i32.const 2)
        (i32.add (local.get $mBase) (i32.mul (local.get $tapBytes) (i32.const ${k}))) (local.get $coBytes)
        (local.get $ci) (local.get $co) (local.get $m) (i32.const 1) (i32.const 0))`).join('\n      ')}
      (local.set $p0 (i32.add (local.get $p0) (local.get $m)))
      (br $blocks)))
    ;; dW = G^T M G, four output channels at a time
    ${forRange('$e', '(local.get $tapBytes)', 16, `
      (local.set $mq (i32.add (local.get $mBase) (local.get $e)))
      ${outputTransform()}`)})`;
  };
  return `(module
  (import "env" "memory" (memory 0))

  ;; X [n, h, w, ci], dY [n, h-kh+1, w-kw+1, co] -> dW [kh, kw, ci, co] (overwritten).
  (func (export "conv_filter_grad")
    (param $x i32) (param $dy i32) (param $dw i32)
    (param $n i32) (param $h i32) (param $w i32) (param $ci i32) (param $kh i32) (param $kw i32) (param $co i32)
    (local $ho i32) (local $wo i32) (local $img i32) (local $r i32) (local $s i32) (local $c0 i32) (local $o0 i32)
    (local $y i32) (local $xx i32) (local $xp i32) (local $dp i32) (local $tile i32) (local $rowBytes i32)
    (local $xPixel i32) (local $dyPixel i32) (local $xImage i32) (local $dyImage i32)
    (local $d0 v128) (local $d1 v128) (local $v v128)
    ${accs.map((a) => `(local ${a} v128)`).join(' ')}
    (local.set $ho (i32.add (i32.sub (local.get $h) (local.get $kh)) (i32.const 1)))
    (local.set $wo (i32.add (i32.sub (local.get $w) (local.get $kw)) (i32.const 1)))
    (local.set $xPixel (i32.shl (local.get $ci) (i32.const 2)))
    (local.set $dyPixel (i32.shl (local.get $co) (i32.const 2)))
    (local.set $rowBytes (local.get $dyPixel))
    (local.set $xImage (i32.mul (i32.mul (local.get $h) (local.get $w)) (local.get $xPixel)))
    (local.set $dyImage (i32.mul (i32.mul (local.get $ho) (local.get $wo)) (local.get $dyPixel)))
    (memory.fill (local.get $dw) (i32.const 0)
      (i32.mul (i32.mul (i32.mul (local.get $kh) (local.get $kw)) (local.get $ci)) (local.get $dyPixel)))
    ${forRange('$img', '(local.get $n)', 1, `
      ${forRange('$r', '(local.get $kh)', 1, `
        ${forRange('$s', '(local.get $kw)', 1, `
          ${forRange('$c0', '(local.get $ci)', 4, `
            ${forRange('$o0', '(local.get $co)', 8, `
              ;; tile = dw + (((r*kw + s)*ci + c0)*co + o0)*4
              (local.set $tile (i32.add (local.get $dw) (i32.shl
                (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $r) (local.get $kw)) (local.get $s)) (local.get $ci)) (local.get $c0)) (local.get $co)) (local.get $o0))
                (i32.const 2))))
              ${[0, 1, 2, 3].map((i) => `(local.set $a${i}0 (v128.const i32x4 0 0 0 0)) (local.set $a${i}1 (v128.const i32x4 0 0 0 0))`).join('\n              ')}
              ${forRange('$y', '(local.get $ho)', 1, `
                ;; xp = x + img*xImage + ((y + r)*w + s)*xPixel + c0*4; dp = dy + img*dyImage + y*wo*dyPixel + o0*4
                (local.set $xp (i32.add (i32.add (local.get $x) (i32.mul (local.get $img) (local.get $xImage)))
                  (i32.add (i32.mul (i32.add (i32.mul (i32.add (local.get $y) (local.get $r)) (local.get $w)) (local.get $s)) (local.get $xPixel))
                    (i32.shl (local.get $c0) (i32.const 2)))))
                (local.set $dp (i32.add (i32.add (local.get $dy) (i32.mul (local.get $img) (local.get $dyImage)))
                  (i32.add (i32.mul (i32.mul (local.get $y) (local.get $wo)) (local.get $dyPixel)) (i32.shl (local.get $o0) (i32.const 2)))))
                (local.set $xx (local.get $wo))
                (loop $xs
                  (local.set $d0 (v128.load (local.get $dp)))
                  (local.set $d1 (v128.load offset=16 (local.get $dp)))
                  ${[0, 1, 2, 3]
                    .map(
                      (i) => `(local.set $v (v128.load32_splat offset=${i * 4} (local.get $xp)))
                  ${madd(`$a${i}0`, '(local.get $v)', '(local.get $d0)')}
                  ${madd(`$a${i}1`, '(local.get $v)', '(local.get $d1)')}`,
                    )
                    .join('\n                  ')}
                  (local.set $xp (i32.add (local.get $xp) (local.get $xPixel)))
                  (local.set $dp (i32.add (local.get $dp) (local.get $dyPixel)))
                  (local.set $xx (i32.sub (local.get $xx) (i32.const 1)))
                  (br_if $xs (local.get $xx)))`)}
              ;; this image's sums are added to dW's: shorter chains of additions than one sum over the batch
              ${[0, 1, 2, 3].map((i) => `(v128.store ${tileAddress(i)} (f32x4.add (v128.load ${tileAddress(i)}) (local.get $a${i}0)))
              (v128.store offset=16 ${tileAddress(i)} (f32x4.add (v128.load offset=16 ${tileAddress(i)}) (local.get $a${i}1)))`).join('\n              ')}`)}`)}`)}`)}`)})

  ;; C[p][j] = act(bias[j] + sum over taps t and q < k of A(p, q, t) * B(q, t)[j]) for p < m, j < n (n a multiple
  ;; of 8), where A(p, q, t) is the float at a + p*aP + q*aK + t*aT, B(q, t) the row at b + t*bT + q*bK, and C's
  ;; rows cP bytes apart. hasBias 0: no bias; 1: bias; 2: none, and C[p][j] is added to instead (the sum starts
  ;; from zero in registers and is added to C's value once: shorter chains of additions, as conv_filter_grad's).
  ;; Tiles of ${GEMM_ROWS} rows x 8 columns in registers (single rows where m is smaller).
  (func $gemm
    (param $a i32) (param $aP i32) (param $aK i32) (param $aT i32) (param $b i32) (param $bK i32) (param $bT i32)
    (param $bias i32) (param $hasBias i32) (param $c i32) (param $cP i32)
    (param $m i32) (param $n i32) (param $k i32) (param $taps i32) (param $relu i32)
    (local $p0 i32) (local $j0 i32) (local $t i32) (local $q i32) (local $ap i32) (local $bp i32) (local $cp i32)
    (local $w0 v128) (local $w1 v128) (local $v v128) (local $z0 v128) (local $z1 v128)
    ${GEMM_OFFSETS.map((o) => `(local ${o} i32)`).join(' ')}
    ${GEMM_ACCS.map((a) => `(local ${a} v128)`).join(' ')}
    ${GEMM_OFFSETS.map((o, i) => `(local.set ${o} (i32.mul (local.get $aP) (i32.const ${i + 1})))`).join('\n    ')}
    (local.set $p0 (i32.const 0))
    (block $tilesDone (loop $tiles
      (br_if $tilesDone (i32.gt_u (i32.add (local.get $p0) (i32.const ${GEMM_ROWS})) (local.get $m)))
      ${gemmTile(GEMM_ROWS)}
      (local.set $p0 (i32.add (local.get $p0) (i32.const ${GEMM_ROWS})))
      (br $tiles)))
    ;; The last rows as one more full tile that overlaps the one before (it writes the same values there): a
    ;; single-row tile has two accumulators, too few to hide the multiply-add latency. Not where C is added to.
    (if (i32.and (i32.and (i32.lt_u (local.get $p0) (local.get $m)) (i32.ge_u (local.get $m) (i32.const ${GEMM_ROWS}))) (i32.ne (local.get $hasBias) (i32.const 2))) (then
      (local.set $p0 (i32.sub (local.get $m) (i32.const ${GEMM_ROWS})))
      ${gemmTile(GEMM_ROWS)}
      (local.set $p0 (local.get $m))))
    (block $rowsDone (loop $rows
      (br_if $rowsDone (i32.ge_u (local.get $p0) (local.get $m)))
      ${gemmTile(1)}
      (local.set $p0 (i32.add (local.get $p0) (i32.const 1)))
      (br $rows))))

  ;; A [m, k] (or A^T: transposed, then aP = 4 and aK = m*4 bytes) times B [k, n] -> C [m, n], with bias [n] and
  ;; ReLU when asked: the Dense layers' products.
  (func (export "matmul")
    (param $a i32) (param $aP i32) (param $aK i32) (param $b i32) (param $bias i32) (param $hasBias i32) (param $c i32)
    (param $m i32) (param $n i32) (param $k i32) (param $relu i32)
    (call $gemm (local.get $a) (local.get $aP) (local.get $aK) (i32.const 0) (local.get $b) (i32.shl (local.get $n) (i32.const 2)) (i32.const 0)
      (local.get $bias) (local.get $hasBias) (local.get $c) (i32.shl (local.get $n) (i32.const 2))
      (local.get $m) (local.get $n) (local.get $k) (i32.const 1) (local.get $relu)))

  ;; X [n, h, w, ci] padded by (pt, pb, pl, pr) zeros, W [kh, kw, ci, co] -> Y [n, ho, wo, co] = act(conv(X, W) + bias),
  ;; stride 1, co a multiple of 8. An output row is one GEMM over the kh input rows it reads: a pixel's kw*ci
  ;; inputs of one row lie side by side in NHWC. Padded images are copied one at a time into scratch
  ;; ((h+pt+pb) * (w+pl+pr) * ci floats), whose border stays zero.
  (func (export "conv2d")
    (param $x i32) (param $w i32) (param $bias i32) (param $hasBias i32) (param $y i32)
    (param $n i32) (param $h i32) (param $wd i32) (param $ci i32) (param $kh i32) (param $kw i32) (param $co i32)
    (param $pt i32) (param $pb i32) (param $pl i32) (param $pr i32) (param $relu i32) (param $scratch i32)
    (local $hp i32) (local $wp i32) (local $ho i32) (local $wo i32) (local $pixel i32) (local $padded i32)
    (local $img i32) (local $row i32) (local $src i32) (local $out i32) (local $t0 i32) (local $t1 i32) (local $tapBytes i32)
    (local.set $hp (i32.add (local.get $h) (i32.add (local.get $pt) (local.get $pb))))
    (local.set $wp (i32.add (local.get $wd) (i32.add (local.get $pl) (local.get $pr))))
    (local.set $ho (i32.add (i32.sub (local.get $hp) (local.get $kh)) (i32.const 1)))
    (local.set $wo (i32.add (i32.sub (local.get $wp) (local.get $kw)) (i32.const 1)))
    (local.set $pixel (i32.shl (local.get $ci) (i32.const 2)))
    (local.set $tapBytes (i32.mul (i32.mul (local.get $kw) (local.get $pixel)) (local.get $co)))
    (local.set $padded (i32.or (i32.or (local.get $pt) (local.get $pb)) (i32.or (local.get $pl) (local.get $pr))))
    (if (local.get $padded) (then
      (memory.fill (local.get $scratch) (i32.const 0) (i32.mul (i32.mul (local.get $hp) (local.get $wp)) (local.get $pixel)))))
    (local.set $out (local.get $y))
    ${forRange('$img', '(local.get $n)', 1, `
      (local.set $src (i32.add (local.get $x) (i32.mul (local.get $img) (i32.mul (i32.mul (local.get $h) (local.get $wd)) (local.get $pixel)))))
      (if (local.get $padded) (then
        ${forRange('$row', '(local.get $h)', 1, `
          (memory.copy
            (i32.add (local.get $scratch) (i32.mul (i32.add (i32.mul (i32.add (local.get $row) (local.get $pt)) (local.get $wp)) (local.get $pl)) (local.get $pixel)))
            (i32.add (local.get $src) (i32.mul (i32.mul (local.get $row) (local.get $wd)) (local.get $pixel)))
            (i32.mul (local.get $wd) (local.get $pixel)))`)}
        (local.set $src (local.get $scratch))))
      ${forRange('$row', '(local.get $ho)', 1, `
        ;; Only the taps on real rows: those on the zero rows of the padding add nothing (the input gradient's
        ;; two rows above and below). Taps t0 .. t1-1, all of them should none be real.
        (local.set $t0 (select (i32.sub (local.get $pt) (local.get $row)) (i32.const 0) (i32.gt_s (local.get $pt) (local.get $row))))
        (local.set $t1 (i32.sub (i32.add (local.get $pt) (local.get $h)) (local.get $row)))
        (local.set $t1 (select (local.get $kh) (local.get $t1) (i32.gt_s (local.get $t1) (local.get $kh))))
        (if (i32.le_s (local.get $t1) (local.get $t0)) (then (local.set $t0 (i32.const 0)) (local.set $t1 (local.get $kh))))
        (call $gemm
          (i32.add (local.get $src) (i32.mul (i32.mul (i32.add (local.get $row) (local.get $t0)) (local.get $wp)) (local.get $pixel))) (local.get $pixel) (i32.const 4)
          (i32.mul (local.get $wp) (local.get $pixel))
          (i32.add (local.get $w) (i32.mul (local.get $t0) (local.get $tapBytes))) (i32.shl (local.get $co) (i32.const 2)) (local.get $tapBytes)
          (local.get $bias) (local.get $hasBias) (local.get $out) (i32.shl (local.get $co) (i32.const 2))
          (local.get $wo) (local.get $co) (i32.mul (local.get $kw) (local.get $ci)) (i32.sub (local.get $t1) (local.get $t0)) (local.get $relu))
        (local.set $out (i32.add (local.get $out) (i32.mul (local.get $wo) (i32.shl (local.get $co) (i32.const 2)))))`)}`)})

  ;; Winograd F(2x2, 3x3): X [n, h, w, ci] padded by (pt, pb, pl, pr) zeros, W [3, 3, ci, co] -> Y [n, ho, wo, co] =
  ;; act(conv(X, W) + bias), stride 1, ci a multiple of 4, co of 8: 16 multiplications per 2 x 2 outputs and
  ;; channel pair where direct convolution does 36. The filter is transformed once, U [16][ci][co] = G g G^T; then,
  ;; a block of at most $block tiles of an image at a time (4 x 4 inputs overlapping by 2, 2 x 2 outputs each; the
  ;; last row and column of tiles may stick out of an odd output, and store only what lies inside), the inputs are
  ;; transformed, V [tile][16][ci] = B^T d B, 16 GEMMs ($gemm) make M [tile][16][co] = V[.][k] U[k], and
  ;; Y = A^T M A plus bias, rectified if asked, is stored. Scratch: U (16*ci*co floats), the padded image
  ;; ((2*ceil(ho/2)+2) * (2*ceil(wo/2)+2) * ci floats, copied image by image unless the input needs neither padding
  ;; nor an extra row or column), then V and M (16*block*ci and 16*block*co floats), so that a block's V and M stay
  ;; in the core's L2 (trainingKernels.ts: convWinogradScratchFloats).
  ${winogradConv('conv2d_winograd', 2)}

  ;; The same as Winograd F(4x4, 3x3): 36 multiplications per 4 x 4 outputs and channel pair where direct does 144,
  ;; from 6 x 6 input tiles overlapping by 2; scratch as above with 36 for 16 and 4*ceil(ho/4)+2 for 2*ceil(ho/2)+2.
  ;; B^T's and A^T's coefficients up to 5 and 8 make its float32 error about 6 times F(2x2)'s.
  ${winogradConv('conv2d_winograd_f4', 4)}

  ;; X [n, h, w, ci], dY [n, h-2, w-2, co] -> dW [3, 3, ci, co] (overwritten): conv_filter_grad for 3x3 filters as
  ;; Winograd F(3x3, 2x2), ci a multiple of 4 (at least 4), co of 8: 16 multiplications per 2 x 2 gradients and
  ;; channel pair where direct does 36. The tiles of all images in one sequence, a block of at most $block at a
  ;; time: each tile's 4 x 4 inputs transformed, V[k][tile] = (B^T d B)[k] ([16][block][ci]), its 2 x 2 gradients,
  ;; D[k][tile] = (A u A^T)[k] ([16][block][co]), and 16 GEMMs ($gemm, adding to C) make M[k] += V[k]^T D[k]
  ;; ([16][ci][co]); at the end dW = G^T M G. Tiles past an odd output's edge are copied into zeroed ones. Scratch:
  ;; M, then V and D for one block, then the two edge tiles (trainingKernels.ts: convFilterGradWinogradScratchFloats).
  ${winogradFilterGrad('conv_filter_grad_winograd')}

  ;; A [m, k] times B [n, k] transposed -> C [m, n] (k and n multiples of 4): the Dense layer's dx = dy W^T, with
  ;; no transposed copy of W. Dot products, 2 rows of A x 4 of B in eight registers, each summed across its lanes
  ;; at the end; B's rows are the outer loop, so W streams from memory once while A stays in cache.
  (func (export "matmul_nt") (param $a i32) (param $b i32) (param $c i32) (param $m i32) (param $n i32) (param $k i32)
    (local $n0 i32) (local $m0 i32) (local $q i32) (local $kb i32) (local $ra0 i32) (local $ra1 i32)
    (local $rb0 i32) (local $rb1 i32) (local $rb2 i32) (local $rb3 i32) (local $va0 v128) (local $va1 v128) (local $vb v128)
    ${NT_ACCS.flat().map((h) => `(local ${h} v128)`).join(' ')}
    (local.set $kb (i32.shl (local.get $k) (i32.const 2)))
    ${forRange('$n0', '(local.get $n)', 4, `
      (local.set $rb0 (i32.add (local.get $b) (i32.mul (local.get $n0) (local.get $kb))))
      (local.set $rb1 (i32.add (local.get $rb0) (local.get $kb)))
      (local.set $rb2 (i32.add (local.get $rb1) (local.get $kb)))
      (local.set $rb3 (i32.add (local.get $rb2) (local.get $kb)))
      (local.set $m0 (i32.const 0))
      (block $pairsDone (loop $pairs
        (br_if $pairsDone (i32.gt_u (i32.add (local.get $m0) (i32.const 2)) (local.get $m)))
        ${ntTile(2)}
        (local.set $m0 (i32.add (local.get $m0) (i32.const 2)))
        (br $pairs)))
      (if (i32.lt_u (local.get $m0) (local.get $m)) (then
        ${ntTile(1)}))`)})

  ;; X [n, h, w, c], Y = maxPool2x2(X) [n, h/2, w/2, c], dY like Y -> dX like X (overwritten).
  (func (export "max_pool_grad_2x2")
    (param $x i32) (param $y i32) (param $dy i32) (param $dx i32) (param $n i32) (param $h i32) (param $w i32) (param $c i32)
    (local $ph i32) (local $pw i32) (local $row i32) (local $col i32) (local $k i32)
    (local $xp i32) (local $dxp i32) (local $yp i32) (local $dyp i32) (local $pixel i32) (local $line i32)
    (local $m v128) (local $g v128) (local $taken v128) (local $e v128)
    (local.set $ph (i32.shr_u (local.get $h) (i32.const 1)))
    (local.set $pw (i32.shr_u (local.get $w) (i32.const 1)))
    (local.set $pixel (i32.shl (local.get $c) (i32.const 2)))
    (local.set $line (i32.mul (local.get $w) (local.get $pixel)))
    (memory.fill (local.get $dx) (i32.const 0) (i32.mul (i32.mul (local.get $n) (local.get $h)) (local.get $line)))
    (local.set $yp (local.get $y))
    (local.set $dyp (local.get $dy))
    ;; rows of windows over every image: n * ph of them
    ${forRange('$row', '(i32.mul (local.get $n) (local.get $ph))', 1, `
      ;; the window row's top-left input: image row = (row / ph) * h + (row % ph) * 2
      (local.set $xp (i32.add (local.get $x) (i32.mul (local.get $line)
        (i32.add (i32.mul (i32.div_u (local.get $row) (local.get $ph)) (local.get $h)) (i32.shl (i32.rem_u (local.get $row) (local.get $ph)) (i32.const 1))))))
      (local.set $dxp (i32.add (local.get $dx) (i32.sub (local.get $xp) (local.get $x))))
      ${forRange('$col', '(local.get $pw)', 1, `
        ${forRange('$k', '(local.get $pixel)', 16, `
          (local.set $m (v128.load (local.get $yp)))
          (local.set $g (v128.load (local.get $dyp)))
          ;; top-left, top-right, bottom-left, bottom-right: the first maximum takes the gradient
          (local.set $taken (f32x4.eq (v128.load (i32.add (local.get $xp) (local.get $k))) (local.get $m)))
          (v128.store (i32.add (local.get $dxp) (local.get $k)) (v128.and (local.get $taken) (local.get $g)))
          (local.set $e (v128.andnot (f32x4.eq (v128.load (i32.add (i32.add (local.get $xp) (local.get $pixel)) (local.get $k))) (local.get $m)) (local.get $taken)))
          (local.set $taken (v128.or (local.get $taken) (local.get $e)))
          (v128.store (i32.add (i32.add (local.get $dxp) (local.get $pixel)) (local.get $k)) (v128.and (local.get $e) (local.get $g)))
          (local.set $e (v128.andnot (f32x4.eq (v128.load (i32.add (i32.add (local.get $xp) (local.get $line)) (local.get $k))) (local.get $m)) (local.get $taken)))
          (local.set $taken (v128.or (local.get $taken) (local.get $e)))
          (v128.store (i32.add (i32.add (local.get $dxp) (local.get $line)) (local.get $k)) (v128.and (local.get $e) (local.get $g)))
          (local.set $e (v128.andnot (f32x4.eq (v128.load (i32.add (i32.add (i32.add (local.get $xp) (local.get $line)) (local.get $pixel)) (local.get $k))) (local.get $m)) (local.get $taken)))
          (v128.store (i32.add (i32.add (i32.add (local.get $dxp) (local.get $line)) (local.get $pixel)) (local.get $k)) (v128.and (local.get $e) (local.get $g)))
          (local.set $yp (i32.add (local.get $yp) (i32.const 16)))
          (local.set $dyp (i32.add (local.get $dyp) (i32.const 16)))`)}
        (local.set $xp (i32.add (local.get $xp) (i32.shl (local.get $pixel) (i32.const 1))))
        (local.set $dxp (i32.add (local.get $dxp) (i32.shl (local.get $pixel) (i32.const 1))))`)}`)})

  ;; X [n, h, w, 1], dY [n, h-kh+1, w-2, co] -> dW [kh, 3, 1, co] (overwritten).
  (func (export "conv_filter_grad_c1x3")
    (param $x i32) (param $dy i32) (param $dw i32) (param $n i32) (param $h i32) (param $w i32) (param $kh i32) (param $co i32)
    (local $ho i32) (local $wo i32) (local $img i32) (local $r i32) (local $o0 i32) (local $y i32) (local $xx i32)
    (local $xp i32) (local $dp i32) (local $tile i32) (local $rowBytes i32) (local $dyPixel i32)
    (local $d0 v128) (local $d1 v128) (local $v v128)
    (local $b00 v128) (local $b01 v128) (local $b10 v128) (local $b11 v128) (local $b20 v128) (local $b21 v128)
    (local.set $ho (i32.add (i32.sub (local.get $h) (local.get $kh)) (i32.const 1)))
    (local.set $wo (i32.sub (local.get $w) (i32.const 2)))
    (local.set $dyPixel (i32.shl (local.get $co) (i32.const 2)))
    (local.set $rowBytes (local.get $dyPixel))
    (memory.fill (local.get $dw) (i32.const 0) (i32.mul (i32.mul (local.get $kh) (i32.const 3)) (local.get $dyPixel)))
    ${forRange('$img', '(local.get $n)', 1, `
      ${forRange('$r', '(local.get $kh)', 1, `
        ${forRange('$o0', '(local.get $co)', 8, `
          ;; tile = dw + ((r*3)*co + o0)*4: rows s = 0, 1, 2 of dW[r] are co*4 bytes apart
          (local.set $tile (i32.add (local.get $dw) (i32.shl (i32.add (i32.mul (i32.mul (local.get $r) (i32.const 3)) (local.get $co)) (local.get $o0)) (i32.const 2))))
          ${[0, 1, 2].map((j) => `(local.set $b${j}0 (v128.const i32x4 0 0 0 0)) (local.set $b${j}1 (v128.const i32x4 0 0 0 0))`).join('\n          ')}
          ${forRange('$y', '(local.get $ho)', 1, `
            (local.set $xp (i32.add (local.get $x) (i32.shl (i32.mul (i32.add (i32.mul (local.get $img) (local.get $h)) (i32.add (local.get $y) (local.get $r))) (local.get $w)) (i32.const 2))))
            (local.set $dp (i32.add (local.get $dy) (i32.add (i32.mul (i32.mul (i32.add (i32.mul (local.get $img) (local.get $ho)) (local.get $y)) (local.get $wo)) (local.get $dyPixel)) (i32.shl (local.get $o0) (i32.const 2)))))
            (local.set $xx (local.get $wo))
            (loop $xs
              (local.set $d0 (v128.load (local.get $dp)))
              (local.set $d1 (v128.load offset=16 (local.get $dp)))
              ${[0, 1, 2].map((j) => `(local.set $v (v128.load32_splat offset=${j * 4} (local.get $xp)))
              ${madd(`$b${j}0`, '(local.get $v)', '(local.get $d0)')}
              ${madd(`$b${j}1`, '(local.get $v)', '(local.get $d1)')}`).join('\n              ')}
              (local.set $xp (i32.add (local.get $xp) (i32.const 4)))
              (local.set $dp (i32.add (local.get $dp) (local.get $dyPixel)))
              (local.set $xx (i32.sub (local.get $xx) (i32.const 1)))
              (br_if $xs (local.get $xx)))`)}
          ${[0, 1, 2].map((j) => `(v128.store ${rowAt(j)} (f32x4.add (v128.load ${rowAt(j)}) (local.get $b${j}0)))
          (v128.store offset=16 ${rowAt(j)} (f32x4.add (v128.load offset=16 ${rowAt(j)}) (local.get $b${j}1)))`).join('\n          ')}`)}`)}`)})

  ;; in [rows, c] -> out [c]: sums over the rows (c a multiple of 16), block by block of COLUMN_BLOCK rows whose
  ;; sums are then added up: a bias gradient sums 73,728 rows of a batch, and one running sum of them all lost
  ;; precision (4e-6 relative), enough to make split and whole batches train apart within three steps.
  (func (export "column_sums") (param $in i32) (param $out i32) (param $rows i32) (param $c i32)
    (local $c0 i32) (local $p i32) (local $k i32) (local $stride i32) (local $left i32)
    ${[0, 1, 2, 3].map((i) => `(local $s${i} v128) (local $t${i} v128)`).join(' ')}
    (local.set $stride (i32.shl (local.get $c) (i32.const 2)))
    ${forRange('$c0', '(local.get $stride)', 64, `
      ${[0, 1, 2, 3].map((i) => `(local.set $t${i} (v128.const i32x4 0 0 0 0))`).join(' ')}
      (local.set $p (i32.add (local.get $in) (local.get $c0)))
      (local.set $left (local.get $rows))
      (block $blocksDone (loop $blocks
        (br_if $blocksDone (i32.eqz (local.get $left)))
        (local.set $k (select (i32.const ${COLUMN_BLOCK}) (local.get $left) (i32.gt_u (local.get $left) (i32.const ${COLUMN_BLOCK}))))
        (local.set $left (i32.sub (local.get $left) (local.get $k)))
        ${[0, 1, 2, 3].map((i) => `(local.set $s${i} (v128.const i32x4 0 0 0 0))`).join(' ')}
        (loop $each
          ${[0, 1, 2, 3].map((i) => `(local.set $s${i} (f32x4.add (local.get $s${i}) (v128.load offset=${i * 16} (local.get $p))))`).join('\n          ')}
          (local.set $p (i32.add (local.get $p) (local.get $stride)))
          (local.set $k (i32.sub (local.get $k) (i32.const 1)))
          (br_if $each (local.get $k)))
        ${[0, 1, 2, 3].map((i) => `(local.set $t${i} (f32x4.add (local.get $t${i}) (local.get $s${i})))`).join('\n        ')}
        (br $blocks)))
      ${[0, 1, 2, 3].map((i) => `(v128.store offset=${i * 16} (i32.add (local.get $out) (local.get $c0)) (local.get $t${i}))`).join('\n      ')}`)})

  ;; p, a, d, g: n floats each -> p', a', d' (see model/kerasAdadelta.ts):
  ;; a' = a*rho + g*g*(1-rho); u = g*sqrt(d+eps)/sqrt(a'+eps); d' = d*rho + u*u*(1-rho); p' = p - u*lr
  (func (export "keras_adadelta")
    (param $p i32) (param $a i32) (param $d i32) (param $g i32) (param $n i32)
    (param $rho f32) (param $keep f32) (param $eps f32) (param $lr f32)
    (param $pOut i32) (param $aOut i32) (param $dOut i32)
    (local $i i32) (local $end i32) (local $vRho v128) (local $vKeep v128) (local $vEps v128) (local $vLr v128)
    (local $vg v128) (local $va v128) (local $vu v128)
    (local $sg f32) (local $sa f32) (local $su f32)
    (local.set $vRho (f32x4.splat (local.get $rho)))
    (local.set $vKeep (f32x4.splat (local.get $keep)))
    (local.set $vEps (f32x4.splat (local.get $eps)))
    (local.set $vLr (f32x4.splat (local.get $lr)))
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (local.set $i (i32.const 0))
    ${adadeltaLoop('simd', { t: 'f32x4', load: 'v128.load', store: 'v128.store', g: '$vg', a: '$va', u: '$vu', rho: '$vRho', keep: '$vKeep', eps: '$vEps', lr: '$vLr', step: 16 })}
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    ${adadeltaLoop('tail', { t: 'f32', load: 'f32.load', store: 'f32.store', g: '$sg', a: '$sa', u: '$su', rho: '$rho', keep: '$keep', eps: '$eps', lr: '$lr', step: 4 })})
)
`;
}
