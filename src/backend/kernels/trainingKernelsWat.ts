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
 *  - max_pool_grad_2x2: the gradient of a 2x2, stride-2, unpadded max pooling (NHWC, C a multiple of 4): each
 *    window's gradient goes to its first maximum in row-major order, as tfjs's own kernels do.
 *  - conv_filter_grad_c1x3: the same for one input channel and 3-wide kernels (the first layer): a row of dW,
 *    3 x 8 of it, in six registers.
 *  - column_sums: the sum over the rows of a [rows, c] matrix (c a multiple of 16): the bias gradients, summed
 *    over batch and pixels in one pass where tfjs transposes first.
 *  - keras_adadelta: one Keras Adadelta step of a weight tensor in one pass over memory (tfjs's ops make about
 *    seventeen), with the operations in the order model/kerasAdadelta.ts writes them.
 */
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
              ${[0, 1, 2, 3].map((i) => `(local.set $a${i}0 (v128.load ${tileAddress(i)}))
              (local.set $a${i}1 (v128.load offset=16 ${tileAddress(i)}))`).join('\n              ')}
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
              ${[0, 1, 2, 3].map((i) => `(v128.store ${tileAddress(i)} (local.get $a${i}0))
              (v128.store offset=16 ${tileAddress(i)} (local.get $a${i}1))`).join('\n              ')}`)}`)}`)}`)}`)})

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
          ${[0, 1, 2].map((j) => `(local.set $b${j}0 (v128.load ${rowAt(j)}))
          (local.set $b${j}1 (v128.load offset=16 ${rowAt(j)}))`).join('\n          ')}
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
          ${[0, 1, 2].map((j) => `(v128.store ${rowAt(j)} (local.get $b${j}0))
          (v128.store offset=16 ${rowAt(j)} (local.get $b${j}1))`).join('\n          ')}`)}`)}`)})

  ;; in [rows, c] -> out [c]: sums over the rows (c a multiple of 16).
  (func (export "column_sums") (param $in i32) (param $out i32) (param $rows i32) (param $c i32)
    (local $c0 i32) (local $p i32) (local $k i32) (local $stride i32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local.set $stride (i32.shl (local.get $c) (i32.const 2)))
    (local.set $c0 (i32.const 0))
    (block $done (loop $columns
      (br_if $done (i32.ge_u (local.get $c0) (local.get $stride)))
      (local.set $s0 (v128.const i32x4 0 0 0 0))
      (local.set $s1 (v128.const i32x4 0 0 0 0))
      (local.set $s2 (v128.const i32x4 0 0 0 0))
      (local.set $s3 (v128.const i32x4 0 0 0 0))
      (local.set $p (i32.add (local.get $in) (local.get $c0)))
      (local.set $k (local.get $rows))
      (block $rowsDone (loop $each
        (br_if $rowsDone (i32.eqz (local.get $k)))
        (local.set $s0 (f32x4.add (local.get $s0) (v128.load (local.get $p))))
        (local.set $s1 (f32x4.add (local.get $s1) (v128.load offset=16 (local.get $p))))
        (local.set $s2 (f32x4.add (local.get $s2) (v128.load offset=32 (local.get $p))))
        (local.set $s3 (f32x4.add (local.get $s3) (v128.load offset=48 (local.get $p))))
        (local.set $p (i32.add (local.get $p) (local.get $stride)))
        (local.set $k (i32.sub (local.get $k) (i32.const 1)))
        (br $each)))
      (v128.store (i32.add (local.get $out) (local.get $c0)) (local.get $s0))
      (v128.store offset=16 (i32.add (local.get $out) (local.get $c0)) (local.get $s1))
      (v128.store offset=32 (i32.add (local.get $out) (local.get $c0)) (local.get $s2))
      (v128.store offset=48 (i32.add (local.get $out) (local.get $c0)) (local.get $s3))
      (local.set $c0 (i32.add (local.get $c0) (i32.const 64)))
      (br $columns))))

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
