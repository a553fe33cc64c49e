;; A convolution (with bias and ReLU) as a WebAssembly SIMD matrix product over the memory of tfjs's WASM
;; backend (imported: it reads and writes the tensors where tfjs keeps them), driven by ../conv-direct.ts.
;; scripts/build-wasm.mjs compiles this file twice — MEMORY_LIMITS replaced by the limits of a plain and of a shared
;; memory, for tfjs's single-threaded and threaded builds — into ./convWasm.ts.
;;
;;   out[q, n] = act(bias[n] + Σ_{th,tw,c} x[b, i·sh + th − pt, j·sw + tw − pl, c] · w[th, tw, c, n]),
;;   q = (b·Ho + i)·Wo + j, and x is 0 outside the image (zero padding);
;;
;; x:    float32 [B, H, W, Cin] as it is: a tap that falls outside the image reads Cin zeros at $zero instead, so
;;       no padded copy of x is made;
;; w:    float32 [Kh, Kw, Cin, Cout] (tfjs's filter layout, as it is); bias: float32 [Cout], or 0 for none;
;; out:  float32 [B, Ho, Wo, Cout], output pixels [q0, q1) written.
;; Tiles of 4 output pixels × 8 output channels: eight accumulators that stay in registers, two vector loads of w and
;; four broadcast loads of x per reduction index (th, tw, c). The last tile of channels loads w and bias past Cout
;; (lanes that are never stored; a NaN there cannot reach a stored lane). No packing, no indirection buffer: a call
;; costs its multiply-adds. Each output is summed in float32 in the order th, tw, c, after its bias.
(module
  (import "env" "memory" (memory MEMORY_LIMITS))

  ;; Output pixel q's first input row (i·sh − pt), column (j·sw − pl) and image address (x + b·H·W·Cin·4), packed
  ;; for the caller as three results.
  (func $pixel (param $q i32) (param $x i32) (param $h i32) (param $w i32) (param $ho i32) (param $wo i32)
    (param $cin i32) (param $sh i32) (param $sw i32) (param $pt i32) (param $pl i32) (result i32 i32 i32)
    (local $hw i32) (local $r i32)
    (local.set $hw (i32.mul (local.get $ho) (local.get $wo)))
    (local.set $r (i32.rem_u (local.get $q) (local.get $hw)))
    (i32.sub (i32.mul (i32.div_u (local.get $r) (local.get $wo)) (local.get $sh)) (local.get $pt))
    (i32.sub (i32.mul (i32.rem_u (local.get $r) (local.get $wo)) (local.get $sw)) (local.get $pl))
    (i32.add (local.get $x) (i32.shl
      (i32.mul (i32.mul (i32.div_u (local.get $q) (local.get $hw)) (i32.mul (local.get $h) (local.get $w)))
        (local.get $cin))
      (i32.const 2))))

  ;; The address a tap reads for a pixel whose first input is (row, col) of the image at $img: the pixel's Cin
  ;; values, or the Cin zeros at $zero where (row, col) is outside the H × W image.
  (func $tapAddr (param $img i32) (param $row i32) (param $col i32) (param $h i32) (param $w i32) (param $cin i32)
    (param $zero i32) (result i32)
    (if (result i32) (i32.and (i32.lt_u (local.get $row) (local.get $h)) (i32.lt_u (local.get $col) (local.get $w)))
      (then (i32.add (local.get $img) (i32.shl
        (i32.mul (i32.add (i32.mul (local.get $row) (local.get $w)) (local.get $col)) (local.get $cin))
        (i32.const 2))))
      (else (local.get $zero))))

  ;; Stores the first n (< 8) lanes of v0 ‖ v1 at $at.
  (func $storeSome (param $at i32) (param $v0 v128) (param $v1 v128) (param $n i32)
    (if (i32.gt_u (local.get $n) (i32.const 0)) (then (f32.store (local.get $at) (f32x4.extract_lane 0 (local.get $v0)))))
    (if (i32.gt_u (local.get $n) (i32.const 1)) (then (f32.store offset=4 (local.get $at) (f32x4.extract_lane 1 (local.get $v0)))))
    (if (i32.gt_u (local.get $n) (i32.const 2)) (then (f32.store offset=8 (local.get $at) (f32x4.extract_lane 2 (local.get $v0)))))
    (if (i32.gt_u (local.get $n) (i32.const 3)) (then (f32.store offset=12 (local.get $at) (f32x4.extract_lane 3 (local.get $v0)))))
    (if (i32.gt_u (local.get $n) (i32.const 4)) (then (f32.store offset=16 (local.get $at) (f32x4.extract_lane 0 (local.get $v1)))))
    (if (i32.gt_u (local.get $n) (i32.const 5)) (then (f32.store offset=20 (local.get $at) (f32x4.extract_lane 1 (local.get $v1)))))
    (if (i32.gt_u (local.get $n) (i32.const 6)) (then (f32.store offset=24 (local.get $at) (f32x4.extract_lane 2 (local.get $v1))))))

  ;; Stores one pixel's 8 (or the last n < 8) channels, after ReLU when $relu ≠ 0.
  (func $store (param $at i32) (param $v0 v128) (param $v1 v128) (param $n i32) (param $relu i32)
    (if (local.get $relu)
      (then
        (local.set $v0 (f32x4.max (local.get $v0) (v128.const f32x4 0 0 0 0)))
        (local.set $v1 (f32x4.max (local.get $v1) (v128.const f32x4 0 0 0 0)))))
    (if (i32.ge_u (local.get $n) (i32.const 8))
      (then
        (v128.store align=4 (local.get $at) (local.get $v0))
        (v128.store offset=16 align=4 (local.get $at) (local.get $v1)))
      (else (call $storeSome (local.get $at) (local.get $v0) (local.get $v1) (local.get $n)))))

  (func (export "conv") (param $x i32) (param $w i32) (param $bias i32) (param $out i32) (param $q0 i32)
    (param $q1 i32) (param $cin i32) (param $cout i32) (param $kh i32) (param $kw i32) (param $h i32)
    (param $iw i32) (param $ho i32) (param $wo i32) (param $sh i32) (param $sw i32) (param $pt i32) (param $pl i32)
    (param $zero i32) (param $relu i32)
    (local $q i32) (local $j i32)
    (local $th i32) (local $tw i32) (local $c i32) (local $off i32) (local $wa i32) (local $wRow i32)
    (local $last i32) (local $n i32) (local $at i32)
    (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32) (local $k0 i32) (local $k1 i32) (local $k2 i32)
    (local $k3 i32) (local $g0 i32) (local $g1 i32) (local $g2 i32) (local $g3 i32)
    (local $p0 i32) (local $p1 i32) (local $p2 i32) (local $p3 i32)
    (local $v0 v128) (local $v1 v128) (local $s v128) (local $b0 v128) (local $b1 v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $wRow (i32.shl (local.get $cout) (i32.const 2)))
    (local.set $last (i32.sub (local.get $q1) (i32.const 1)))
    (local.set $q (local.get $q0))
    (block $pixDone (loop $pixLoop
      (br_if $pixDone (i32.ge_u (local.get $q) (local.get $q1)))
      ;; the tile's 4 pixels (first input row r, column k, image g), the ones past q1 repeating the last (computed,
      ;; not stored)
      (call $pixel (local.get $q) (local.get $x) (local.get $h) (local.get $iw) (local.get $ho) (local.get $wo)
        (local.get $cin) (local.get $sh) (local.get $sw) (local.get $pt) (local.get $pl))
      (local.set $g0) (local.set $k0) (local.set $r0)
      (call $pixel
        (select (i32.add (local.get $q) (i32.const 1)) (local.get $last)
          (i32.lt_u (i32.add (local.get $q) (i32.const 1)) (local.get $q1)))
        (local.get $x) (local.get $h) (local.get $iw) (local.get $ho) (local.get $wo) (local.get $cin) (local.get $sh)
        (local.get $sw) (local.get $pt) (local.get $pl))
      (local.set $g1) (local.set $k1) (local.set $r1)
      (call $pixel
        (select (i32.add (local.get $q) (i32.const 2)) (local.get $last)
          (i32.lt_u (i32.add (local.get $q) (i32.const 2)) (local.get $q1)))
        (local.get $x) (local.get $h) (local.get $iw) (local.get $ho) (local.get $wo) (local.get $cin) (local.get $sh)
        (local.get $sw) (local.get $pt) (local.get $pl))
      (local.set $g2) (local.set $k2) (local.set $r2)
      (call $pixel
        (select (i32.add (local.get $q) (i32.const 3)) (local.get $last)
          (i32.lt_u (i32.add (local.get $q) (i32.const 3)) (local.get $q1)))
        (local.get $x) (local.get $h) (local.get $iw) (local.get $ho) (local.get $wo) (local.get $cin) (local.get $sh)
        (local.get $sw) (local.get $pt) (local.get $pl))
      (local.set $g3) (local.set $k3) (local.set $r3)
      (local.set $j (i32.const 0))
      (block $colsDone (loop $cols
        (br_if $colsDone (i32.ge_u (local.get $j) (local.get $cout)))
        (if (local.get $bias)
          (then
            (local.set $b0 (v128.load align=4 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2)))))
            (local.set $b1 (v128.load offset=16 align=4
              (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2))))))
          (else
            (local.set $b0 (v128.const f32x4 0 0 0 0))
            (local.set $b1 (v128.const f32x4 0 0 0 0))))
        (local.set $c00 (local.get $b0)) (local.set $c01 (local.get $b1))
        (local.set $c10 (local.get $b0)) (local.set $c11 (local.get $b1))
        (local.set $c20 (local.get $b0)) (local.set $c21 (local.get $b1))
        (local.set $c30 (local.get $b0)) (local.set $c31 (local.get $b1))
        (local.set $wa (i32.add (local.get $w) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $th (i32.const 0))
        (block $thDone (loop $thLoop
          (br_if $thDone (i32.ge_u (local.get $th) (local.get $kh)))
          (local.set $tw (i32.const 0))
          (block $twDone (loop $twLoop
            (br_if $twDone (i32.ge_u (local.get $tw) (local.get $kw)))
            ;; each pixel's input for this tap, or zeros
            (local.set $p0 (call $tapAddr (local.get $g0) (i32.add (local.get $r0) (local.get $th))
              (i32.add (local.get $k0) (local.get $tw)) (local.get $h) (local.get $iw) (local.get $cin) (local.get $zero)))
            (local.set $p1 (call $tapAddr (local.get $g1) (i32.add (local.get $r1) (local.get $th))
              (i32.add (local.get $k1) (local.get $tw)) (local.get $h) (local.get $iw) (local.get $cin) (local.get $zero)))
            (local.set $p2 (call $tapAddr (local.get $g2) (i32.add (local.get $r2) (local.get $th))
              (i32.add (local.get $k2) (local.get $tw)) (local.get $h) (local.get $iw) (local.get $cin) (local.get $zero)))
            (local.set $p3 (call $tapAddr (local.get $g3) (i32.add (local.get $r3) (local.get $th))
              (i32.add (local.get $k3) (local.get $tw)) (local.get $h) (local.get $iw) (local.get $cin) (local.get $zero)))
            (local.set $off (i32.const 0))
            (local.set $c (local.get $cin))
            (block $cDone (loop $cLoop
              (br_if $cDone (i32.eqz (local.get $c)))
              (local.set $v0 (v128.load align=4 (local.get $wa)))
              (local.set $v1 (v128.load offset=16 align=4 (local.get $wa)))
              (local.set $s (v128.load32_splat (i32.add (local.get $p0) (local.get $off))))
              (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $s) (local.get $v0))))
              (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $s) (local.get $v1))))
              (local.set $s (v128.load32_splat (i32.add (local.get $p1) (local.get $off))))
              (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $s) (local.get $v0))))
              (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $s) (local.get $v1))))
              (local.set $s (v128.load32_splat (i32.add (local.get $p2) (local.get $off))))
              (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $s) (local.get $v0))))
              (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $s) (local.get $v1))))
              (local.set $s (v128.load32_splat (i32.add (local.get $p3) (local.get $off))))
              (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $s) (local.get $v0))))
              (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $s) (local.get $v1))))
              (local.set $off (i32.add (local.get $off) (i32.const 4)))
              (local.set $wa (i32.add (local.get $wa) (local.get $wRow)))
              (local.set $c (i32.sub (local.get $c) (i32.const 1)))
              (br $cLoop)))
            (local.set $tw (i32.add (local.get $tw) (i32.const 1)))
            (br $twLoop)))
          (local.set $th (i32.add (local.get $th) (i32.const 1)))
          (br $thLoop)))
        ;; pixels q … q + 3 that are < q1, channels j … min(j + 8, Cout)
        (local.set $n (i32.sub (local.get $cout) (local.get $j)))
        (local.set $at (i32.add (local.get $out)
          (i32.shl (i32.add (i32.mul (local.get $q) (local.get $cout)) (local.get $j)) (i32.const 2))))
        (call $store (local.get $at) (local.get $c00) (local.get $c01) (local.get $n) (local.get $relu))
        (if (i32.lt_u (i32.add (local.get $q) (i32.const 1)) (local.get $q1))
          (then (call $store (i32.add (local.get $at) (local.get $wRow)) (local.get $c10) (local.get $c11)
            (local.get $n) (local.get $relu))))
        (if (i32.lt_u (i32.add (local.get $q) (i32.const 2)) (local.get $q1))
          (then (call $store (i32.add (local.get $at) (i32.shl (local.get $wRow) (i32.const 1))) (local.get $c20)
            (local.get $c21) (local.get $n) (local.get $relu))))
        (if (i32.lt_u (i32.add (local.get $q) (i32.const 3)) (local.get $q1))
          (then (call $store (i32.add (local.get $at) (i32.mul (local.get $wRow) (i32.const 3))) (local.get $c30)
            (local.get $c31) (local.get $n) (local.get $relu))))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $cols)))
      (local.set $q (i32.add (local.get $q) (i32.const 4)))
      (br $pixLoop)))
  )
)
