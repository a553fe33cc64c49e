;; The per-element passes of lib/detector/groupNorm.ts's fused GroupNorm (+ ReLU) as WebAssembly SIMD loops over
;; the memory of tfjs's WASM backend (imported: the kernel reads and writes the tensors where tfjs keeps them).
;; scripts/build-wasm.mjs compiles this file twice — MEMORY_LIMITS replaced by the limits of a plain and of a
;; shared memory, for tfjs's single-threaded and threaded builds — into ./groupNormWasm.ts.
;;
;; Every function covers ONE sample's block [HW, C] (NHWC, float32), C a multiple of 4: four channels per vector,
;; the channel vectors in the outer loop and the pixels (stride 4·C bytes) in the inner one, so each accumulator
;; stays in a register. Per-channel inputs and outputs are arrays of C values at byte offsets: float32 for μ (as
;; hi + lo), the affine factors and the backward's coefficients; float64 for the sums. The JavaScript around them
;; (groupNorm.ts) folds channels into groups and computes those per-channel values in float64.
;;
;; Precision: sums are accumulated in float64 (two lanes per accumulator); x − μ is (x − μ_hi) − μ_lo in float32,
;; exact to a rounding of the difference itself, so |μ| ≫ σ loses nothing (tests/golden/data/groupnorm).
(module
  (import "env" "memory" (memory MEMORY_LIMITS))

  ;; The high two float32 lanes of $v, widened to float64.
  (func $promoteHigh (param $v v128) (result v128)
    (f64x2.promote_low_f32x4
      (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))

  ;; out[c] = Σ_p x[p, c]   (out: float64[C])
  (func (export "chanSum") (param $x i32) (param $hw i32) (param $c i32) (param $out i32)
    (local $cv i32) (local $p i32) (local $a i32) (local $stride i32) (local $v v128) (local $lo v128) (local $hi v128)
    (local.set $stride (i32.shl (local.get $c) (i32.const 2)))
    (block $done (loop $chan
      (br_if $done (i32.ge_u (local.get $cv) (local.get $c)))
      (local.set $lo (v128.const f64x2 0 0))
      (local.set $hi (v128.const f64x2 0 0))
      (local.set $a (i32.add (local.get $x) (i32.shl (local.get $cv) (i32.const 2))))
      (local.set $p (local.get $hw))
      (block $pd (loop $pix
        (br_if $pd (i32.eqz (local.get $p)))
        (local.set $v (v128.load (local.get $a)))
        (local.set $lo (f64x2.add (local.get $lo) (f64x2.promote_low_f32x4 (local.get $v))))
        (local.set $hi (f64x2.add (local.get $hi) (call $promoteHigh (local.get $v))))
        (local.set $a (i32.add (local.get $a) (local.get $stride)))
        (local.set $p (i32.sub (local.get $p) (i32.const 1)))
        (br $pix)))
      (v128.store (i32.add (local.get $out) (i32.shl (local.get $cv) (i32.const 3))) (local.get $lo))
      (v128.store offset=16 (i32.add (local.get $out) (i32.shl (local.get $cv) (i32.const 3))) (local.get $hi))
      (local.set $cv (i32.add (local.get $cv) (i32.const 4)))
      (br $chan))))

  ;; out[c] = Σ_p (x[p, c] − μ_c)²   (μ_c = muHi[c] + muLo[c]; out: float64[C])
  (func (export "chanSqDev") (param $x i32) (param $hw i32) (param $c i32) (param $muHi i32) (param $muLo i32)
    (param $out i32)
    (local $cv i32) (local $p i32) (local $a i32) (local $stride i32) (local $mh v128) (local $ml v128)
    (local $d v128) (local $dl v128) (local $dh v128) (local $lo v128) (local $hi v128)
    (local.set $stride (i32.shl (local.get $c) (i32.const 2)))
    (block $done (loop $chan
      (br_if $done (i32.ge_u (local.get $cv) (local.get $c)))
      (local.set $mh (v128.load (i32.add (local.get $muHi) (i32.shl (local.get $cv) (i32.const 2)))))
      (local.set $ml (v128.load (i32.add (local.get $muLo) (i32.shl (local.get $cv) (i32.const 2)))))
      (local.set $lo (v128.const f64x2 0 0))
      (local.set $hi (v128.const f64x2 0 0))
      (local.set $a (i32.add (local.get $x) (i32.shl (local.get $cv) (i32.const 2))))
      (local.set $p (local.get $hw))
      (block $pd (loop $pix
        (br_if $pd (i32.eqz (local.get $p)))
        (local.set $d (f32x4.sub (f32x4.sub (v128.load (local.get $a)) (local.get $mh)) (local.get $ml)))
        (local.set $dl (f64x2.promote_low_f32x4 (local.get $d)))
        (local.set $dh (call $promoteHigh (local.get $d)))
        (local.set $lo (f64x2.add (local.get $lo) (f64x2.mul (local.get $dl) (local.get $dl))))
        (local.set $hi (f64x2.add (local.get $hi) (f64x2.mul (local.get $dh) (local.get $dh))))
        (local.set $a (i32.add (local.get $a) (local.get $stride)))
        (local.set $p (i32.sub (local.get $p) (i32.const 1)))
        (br $pix)))
      (v128.store (i32.add (local.get $out) (i32.shl (local.get $cv) (i32.const 3))) (local.get $lo))
      (v128.store offset=16 (i32.add (local.get $out) (i32.shl (local.get $cv) (i32.const 3))) (local.get $hi))
      (local.set $cv (i32.add (local.get $cv) (i32.const 4)))
      (br $chan))))

  ;; y[p, c] = ((x[p, c] − muHi[c]) − muLo[c])·a[c] + shift[c], then max(·, 0) when $relu ≠ 0   (a = r·scale)
  (func (export "affine") (param $x i32) (param $y i32) (param $hw i32) (param $c i32) (param $muHi i32)
    (param $muLo i32) (param $fa i32) (param $shift i32) (param $relu i32)
    (local $cv i32) (local $p i32) (local $off i32) (local $stride i32) (local $mh v128) (local $ml v128)
    (local $va v128) (local $vs v128) (local $z v128) (local $clamp v128)
    (local.set $stride (i32.shl (local.get $c) (i32.const 2)))
    ;; all ones where ReLU applies
    (local.set $clamp (i32x4.splat (i32.sub (i32.const 0) (i32.ne (local.get $relu) (i32.const 0)))))
    (block $done (loop $chan
      (br_if $done (i32.ge_u (local.get $cv) (local.get $c)))
      (local.set $mh (v128.load (i32.add (local.get $muHi) (i32.shl (local.get $cv) (i32.const 2)))))
      (local.set $ml (v128.load (i32.add (local.get $muLo) (i32.shl (local.get $cv) (i32.const 2)))))
      (local.set $va (v128.load (i32.add (local.get $fa) (i32.shl (local.get $cv) (i32.const 2)))))
      (local.set $vs (v128.load (i32.add (local.get $shift) (i32.shl (local.get $cv) (i32.const 2)))))
      (local.set $off (i32.shl (local.get $cv) (i32.const 2)))
      (local.set $p (local.get $hw))
      (block $pd (loop $pix
        (br_if $pd (i32.eqz (local.get $p)))
        (local.set $z
          (f32x4.add
            (f32x4.mul
              (f32x4.sub (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $off))) (local.get $mh)) (local.get $ml))
              (local.get $va))
            (local.get $vs)))
        (v128.store (i32.add (local.get $y) (local.get $off))
          (v128.bitselect (f32x4.max (local.get $z) (v128.const f32x4 0 0 0 0)) (local.get $z) (local.get $clamp)))
        (local.set $off (i32.add (local.get $off) (local.get $stride)))
        (local.set $p (i32.sub (local.get $p) (i32.const 1)))
        (br $pix)))
      (local.set $cv (i32.add (local.get $cv) (i32.const 4)))
      (br $chan))))

  ;; With g = dy·[y > 0] when $relu ≠ 0 (else g = dy) and d = (x − muHi) − muLo:
  ;; outG[c] = Σ_p g,  outGD[c] = Σ_p g·d   (both float64[C])
  (func (export "chanGrad") (param $dy i32) (param $x i32) (param $y i32) (param $hw i32) (param $c i32)
    (param $muHi i32) (param $muLo i32) (param $relu i32) (param $outG i32) (param $outGD i32)
    (local $cv i32) (local $p i32) (local $off i32) (local $stride i32) (local $mh v128) (local $ml v128)
    (local $keep v128) (local $g v128) (local $gd v128) (local $g0 v128) (local $g1 v128) (local $d0 v128) (local $d1 v128)
    (local.set $stride (i32.shl (local.get $c) (i32.const 2)))
    ;; all ones where dy passes whatever y is (no ReLU)
    (local.set $keep (i32x4.splat (i32.sub (i32.const 0) (i32.eqz (local.get $relu)))))
    (block $done (loop $chan
      (br_if $done (i32.ge_u (local.get $cv) (local.get $c)))
      (local.set $mh (v128.load (i32.add (local.get $muHi) (i32.shl (local.get $cv) (i32.const 2)))))
      (local.set $ml (v128.load (i32.add (local.get $muLo) (i32.shl (local.get $cv) (i32.const 2)))))
      (local.set $g0 (v128.const f64x2 0 0))
      (local.set $g1 (v128.const f64x2 0 0))
      (local.set $d0 (v128.const f64x2 0 0))
      (local.set $d1 (v128.const f64x2 0 0))
      (local.set $off (i32.shl (local.get $cv) (i32.const 2)))
      (local.set $p (local.get $hw))
      (block $pd (loop $pix
        (br_if $pd (i32.eqz (local.get $p)))
        (local.set $g
          (v128.and
            (v128.load (i32.add (local.get $dy) (local.get $off)))
            (v128.or
              (local.get $keep)
              (f32x4.gt (v128.load (i32.add (local.get $y) (local.get $off))) (v128.const f32x4 0 0 0 0)))))
        (local.set $gd
          (f32x4.mul
            (local.get $g)
            (f32x4.sub (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $off))) (local.get $mh)) (local.get $ml))))
        (local.set $g0 (f64x2.add (local.get $g0) (f64x2.promote_low_f32x4 (local.get $g))))
        (local.set $g1 (f64x2.add (local.get $g1) (call $promoteHigh (local.get $g))))
        (local.set $d0 (f64x2.add (local.get $d0) (f64x2.promote_low_f32x4 (local.get $gd))))
        (local.set $d1 (f64x2.add (local.get $d1) (call $promoteHigh (local.get $gd))))
        (local.set $off (i32.add (local.get $off) (local.get $stride)))
        (local.set $p (i32.sub (local.get $p) (i32.const 1)))
        (br $pix)))
      (v128.store (i32.add (local.get $outG) (i32.shl (local.get $cv) (i32.const 3))) (local.get $g0))
      (v128.store offset=16 (i32.add (local.get $outG) (i32.shl (local.get $cv) (i32.const 3))) (local.get $g1))
      (v128.store (i32.add (local.get $outGD) (i32.shl (local.get $cv) (i32.const 3))) (local.get $d0))
      (v128.store offset=16 (i32.add (local.get $outGD) (i32.shl (local.get $cv) (i32.const 3))) (local.get $d1))
      (local.set $cv (i32.add (local.get $cv) (i32.const 4)))
      (br $chan))))

  ;; dx[p, c] = g·k2[c] + d·k1[c] + k0[c]   (g and d as in chanGrad)
  (func (export "gradX") (param $dy i32) (param $x i32) (param $y i32) (param $dx i32) (param $hw i32) (param $c i32)
    (param $muHi i32) (param $muLo i32) (param $k2 i32) (param $k1 i32) (param $k0 i32) (param $relu i32)
    (local $cv i32) (local $p i32) (local $off i32) (local $stride i32) (local $mh v128) (local $ml v128)
    (local $keep v128) (local $v2 v128) (local $v1 v128) (local $v0 v128) (local $g v128)
    (local.set $stride (i32.shl (local.get $c) (i32.const 2)))
    (local.set $keep (i32x4.splat (i32.sub (i32.const 0) (i32.eqz (local.get $relu)))))
    (block $done (loop $chan
      (br_if $done (i32.ge_u (local.get $cv) (local.get $c)))
      (local.set $mh (v128.load (i32.add (local.get $muHi) (i32.shl (local.get $cv) (i32.const 2)))))
      (local.set $ml (v128.load (i32.add (local.get $muLo) (i32.shl (local.get $cv) (i32.const 2)))))
      (local.set $v2 (v128.load (i32.add (local.get $k2) (i32.shl (local.get $cv) (i32.const 2)))))
      (local.set $v1 (v128.load (i32.add (local.get $k1) (i32.shl (local.get $cv) (i32.const 2)))))
      (local.set $v0 (v128.load (i32.add (local.get $k0) (i32.shl (local.get $cv) (i32.const 2)))))
      (local.set $off (i32.shl (local.get $cv) (i32.const 2)))
      (local.set $p (local.get $hw))
      (block $pd (loop $pix
        (br_if $pd (i32.eqz (local.get $p)))
        (local.set $g
          (v128.and
            (v128.load (i32.add (local.get $dy) (local.get $off)))
            (v128.or
              (local.get $keep)
              (f32x4.gt (v128.load (i32.add (local.get $y) (local.get $off))) (v128.const f32x4 0 0 0 0)))))
        (v128.store (i32.add (local.get $dx) (local.get $off))
          (f32x4.add
            (f32x4.add
              (f32x4.mul (local.get $g) (local.get $v2))
              (f32x4.mul
                (f32x4.sub (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $off))) (local.get $mh)) (local.get $ml))
                (local.get $v1)))
            (local.get $v0)))
        (local.set $off (i32.add (local.get $off) (local.get $stride)))
        (local.set $p (i32.sub (local.get $p) (i32.const 1)))
        (br $pix)))
      (local.set $cv (i32.add (local.get $cv) (i32.const 4)))
      (br $chan))))
)
