;; The hard-target losses of lib/loss/fusedBinary.ts (focal loss, α-balanced CE = focal at γ = 0, FL*) as one
;; WebAssembly SIMD loop, four float32 lanes at a time, over the memory of tfjs's WASM backend (imported, so the
;; kernel reads the logits, targets and weights where tfjs keeps them and writes the two outputs in place: no
;; copy). scripts/build-wasm.mjs compiles this file twice — MEMORY_LIMITS replaced by the limits of a plain
;; and of a shared memory, for tfjs's single-threaded and threaded builds — into ./binaryLossWasm.ts.
;;
;; Per element, s = 2y − 1, x_t = s·x, w_t = w·α_t (see fusedBinary.ts for the formulas):
;;   focal: e = exp(−|x_t|), CE = max(−x_t, 0) + log1p(e), q = σ(−x_t), p = σ(x_t)
;;          ℓ = w_t·CE·q^γ,  dℓ/dx = −s·w_t·q^γ·(q + γ·p·CE)
;;   FL*:   z = γ·x_t + β, e = exp(−|z|),  ℓ = w_t·(max(−z, 0) + log1p(e))/γ,  dℓ/dx = −s·w_t·σ(−z)
;; exp(−a) for a ≥ 0: a = k·ln 2 + r (Cody–Waite, |r| ≤ ln 2 / 2), exp(−r) by Taylor to degree 7 (remainder
;; < 5e-9 relative), 2^−k from the exponent bits; 0 beyond a = 87 (below float32's normal range).
;; log1p(e) for e ∈ [0, 1]: u = e, or u = (e − 1)/2 and + ln 2 when e ≥ √2 − 1; s = u/(2 + u), |s| ≤ 0.172;
;; 2s·(1 + s²/3 + s⁴/5 + s⁶/7 + s⁸/9) (remainder < 3e-9 relative).
(module
  (import "env" "memory" (memory MEMORY_LIMITS))

  ;; exp(−a), a ≥ 0, per lane
  (func $expNeg (param $a v128) (result v128)
    (local $k v128) (local $r v128) (local $p v128)
    (local.set $k (f32x4.nearest (f32x4.mul (local.get $a) (v128.const f32x4 1.44269504 1.44269504 1.44269504 1.44269504))))
    (local.set $r
      (f32x4.sub
        (f32x4.sub (local.get $a) (f32x4.mul (local.get $k) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375)))
        (f32x4.mul (local.get $k) (v128.const f32x4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4))))
    ;; Horner form of Σ (−r)^j / j!, j = 0…7
    (local.set $p (v128.const f32x4 -1.98412698e-4 -1.98412698e-4 -1.98412698e-4 -1.98412698e-4))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 1.38888889e-3 1.38888889e-3 1.38888889e-3 1.38888889e-3)))
    (local.set $p (f32x4.sub (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 8.33333333e-3 8.33333333e-3 8.33333333e-3 8.33333333e-3)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 4.16666667e-2 4.16666667e-2 4.16666667e-2 4.16666667e-2)))
    (local.set $p (f32x4.sub (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 0.166666667 0.166666667 0.166666667 0.166666667)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
    (local.set $p (f32x4.sub (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 1 1 1 1)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 1 1 1 1)))
    ;; × 2^−k: the float with exponent field 127 − k (k ∈ [0, 126] wherever a ≤ 87)
    (local.set $p
      (f32x4.mul (local.get $p)
        (i32x4.shl
          (i32x4.sub (v128.const i32x4 127 127 127 127) (i32x4.trunc_sat_f32x4_s (local.get $k)))
          (i32.const 23))))
    (v128.bitselect
      (v128.const f32x4 0 0 0 0)
      (local.get $p)
      (f32x4.gt (local.get $a) (v128.const f32x4 87 87 87 87))))

  ;; log(1 + e), e ∈ [0, 1], per lane
  (func $log1pUnit (param $e v128) (result v128)
    (local $big v128) (local $u v128) (local $s v128) (local $s2 v128) (local $t v128)
    (local.set $big (f32x4.ge (local.get $e) (v128.const f32x4 0.41421356 0.41421356 0.41421356 0.41421356)))
    (local.set $u
      (v128.bitselect
        (f32x4.mul (f32x4.sub (local.get $e) (v128.const f32x4 1 1 1 1)) (v128.const f32x4 0.5 0.5 0.5 0.5))
        (local.get $e)
        (local.get $big)))
    (local.set $s (f32x4.div (local.get $u) (f32x4.add (local.get $u) (v128.const f32x4 2 2 2 2))))
    (local.set $s2 (f32x4.mul (local.get $s) (local.get $s)))
    (local.set $t (v128.const f32x4 0.111111111 0.111111111 0.111111111 0.111111111))
    (local.set $t (f32x4.add (f32x4.mul (local.get $t) (local.get $s2)) (v128.const f32x4 0.142857143 0.142857143 0.142857143 0.142857143)))
    (local.set $t (f32x4.add (f32x4.mul (local.get $t) (local.get $s2)) (v128.const f32x4 0.2 0.2 0.2 0.2)))
    (local.set $t (f32x4.add (f32x4.mul (local.get $t) (local.get $s2)) (v128.const f32x4 0.333333333 0.333333333 0.333333333 0.333333333)))
    (local.set $t (f32x4.add (f32x4.mul (local.get $t) (local.get $s2)) (v128.const f32x4 1 1 1 1)))
    (f32x4.add
      (f32x4.mul (f32x4.add (local.get $s) (local.get $s)) (local.get $t))
      (v128.bitselect
        (v128.const f32x4 0.693147181 0.693147181 0.693147181 0.693147181)
        (v128.const f32x4 0 0 0 0)
        (local.get $big))))

  ;; n4 groups of four elements (byte offsets into memory; $w = 0: weight 1). $mode: 0 focal γ = 0, 1 focal γ = 1,
  ;; 2 focal γ = 2, 3 focal any other γ, 4 FL*. $apos/$aneg: α_t for y = 1 / y = 0 (1 and 1 without α).
  ;; $loss = 0: no per-element loss is written; the losses are summed instead (in float64, two lanes per
  ;; accumulator) and the sum returned (the 'sum' and 'mean' reductions; the sum is returned in both cases).
  ;; $scale multiplies every derivative (1: exact; 1/n for 'mean').
  (func $binaryLoss (export "binaryLoss")
    (param $n4 i32) (param $x i32) (param $y i32) (param $w i32) (param $loss i32) (param $grad i32)
    (param $mode i32) (param $apos f32) (param $aneg f32) (param $gamma f32) (param $beta f32) (param $scale f32)
    (result f64)
    (local $i i32) (local $off i32) (local $acc0 v128) (local $acc1 v128) (local $vscale v128)
    (local $pos v128) (local $xt v128) (local $wt v128) (local $e v128) (local $r1 v128) (local $lg v128)
    (local $q v128) (local $p v128) (local $ce v128) (local $factor v128) (local $l v128) (local $d v128)
    (local $z v128) (local $g v128) (local $vpos v128) (local $vneg v128) (local $half v128) (local $zero v128)
    (local.set $g (f32x4.splat (local.get $gamma)))
    (local.set $vpos (f32x4.splat (local.get $apos)))
    (local.set $vneg (f32x4.splat (local.get $aneg)))
    (local.set $half (v128.const f32x4 0.5 0.5 0.5 0.5))
    (local.set $zero (v128.const f32x4 0 0 0 0))
    (local.set $vscale (f32x4.splat (local.get $scale)))
    (local.set $acc0 (v128.const f64x2 0 0))
    (local.set $acc1 (v128.const f64x2 0 0))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n4)))
        (local.set $off (i32.shl (local.get $i) (i32.const 4)))
        (local.set $pos (f32x4.gt (v128.load (i32.add (local.get $y) (local.get $off))) (local.get $half)))
        (local.set $xt
          (v128.bitselect
            (v128.load (i32.add (local.get $x) (local.get $off)))
            (f32x4.neg (v128.load (i32.add (local.get $x) (local.get $off))))
            (local.get $pos)))
        (local.set $wt (v128.bitselect (local.get $vpos) (local.get $vneg) (local.get $pos)))
        (if (local.get $w)
          (then (local.set $wt (f32x4.mul (local.get $wt) (v128.load (i32.add (local.get $w) (local.get $off)))))))
        (if (i32.eq (local.get $mode) (i32.const 4))
          (then
            ;; FL*: z = γ·x_t + β
            (local.set $z (f32x4.add (f32x4.mul (local.get $g) (local.get $xt)) (f32x4.splat (local.get $beta))))
            (local.set $e (call $expNeg (f32x4.abs (local.get $z))))
            (local.set $r1 (f32x4.div (v128.const f32x4 1 1 1 1) (f32x4.add (local.get $e) (v128.const f32x4 1 1 1 1))))
            (local.set $l
              (f32x4.div
                (f32x4.mul (local.get $wt)
                  (f32x4.add (f32x4.max (f32x4.neg (local.get $z)) (local.get $zero)) (call $log1pUnit (local.get $e))))
                (local.get $g)))
            ;; −w_t·σ(−z)
            (local.set $d
              (f32x4.neg
                (f32x4.mul (local.get $wt)
                  (v128.bitselect
                    (f32x4.mul (local.get $e) (local.get $r1))
                    (local.get $r1)
                    (f32x4.ge (local.get $z) (local.get $zero)))))))
          (else
            (local.set $e (call $expNeg (f32x4.abs (local.get $xt))))
            (local.set $r1 (f32x4.div (v128.const f32x4 1 1 1 1) (f32x4.add (local.get $e) (v128.const f32x4 1 1 1 1))))
            (local.set $lg (call $log1pUnit (local.get $e)))
            (local.set $ce (f32x4.add (f32x4.max (f32x4.neg (local.get $xt)) (local.get $zero)) (local.get $lg)))
            (local.set $q
              (v128.bitselect
                (f32x4.mul (local.get $e) (local.get $r1))
                (local.get $r1)
                (f32x4.ge (local.get $xt) (local.get $zero))))
            (if (i32.eqz (local.get $mode))
              (then
                (local.set $l (f32x4.mul (local.get $wt) (local.get $ce)))
                (local.set $d (f32x4.neg (f32x4.mul (local.get $wt) (local.get $q)))))
              (else
                (local.set $p
                  (v128.bitselect
                    (local.get $r1)
                    (f32x4.mul (local.get $e) (local.get $r1))
                    (f32x4.ge (local.get $xt) (local.get $zero))))
                (if (i32.eq (local.get $mode) (i32.const 2))
                  (then (local.set $factor (f32x4.mul (local.get $q) (local.get $q))))
                  (else
                    (if (i32.eq (local.get $mode) (i32.const 1))
                      (then (local.set $factor (local.get $q)))
                      ;; q^γ = exp(−γ·softplus(x_t)), softplus(x_t) = max(x_t, 0) + log1p(e)
                      (else
                        (local.set $factor
                          (call $expNeg
                            (f32x4.mul (local.get $g)
                              (f32x4.add (f32x4.max (local.get $xt) (local.get $zero)) (local.get $lg)))))))))
                (local.set $l (f32x4.mul (f32x4.mul (local.get $wt) (local.get $ce)) (local.get $factor)))
                (local.set $d
                  (f32x4.neg
                    (f32x4.mul
                      (f32x4.mul (local.get $wt) (local.get $factor))
                      (f32x4.add (local.get $q)
                        (f32x4.mul (f32x4.mul (local.get $g) (local.get $p)) (local.get $ce))))))))))
        (if (local.get $loss)
          (then (v128.store (i32.add (local.get $loss) (local.get $off)) (local.get $l)))
          (else
            ;; lanes 0, 1 and lanes 2, 3 widened to float64 and added to their accumulators
            (local.set $acc0 (f64x2.add (local.get $acc0) (f64x2.promote_low_f32x4 (local.get $l))))
            (local.set $acc1
              (f64x2.add (local.get $acc1)
                (f64x2.promote_low_f32x4
                  (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $l) (local.get $l)))))))
        (local.set $d (f32x4.mul (local.get $d) (local.get $vscale)))
        (v128.store (i32.add (local.get $grad) (local.get $off))
          (v128.bitselect (local.get $d) (f32x4.neg (local.get $d)) (local.get $pos)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.set $acc0 (f64x2.add (local.get $acc0) (local.get $acc1)))
    (f64.add (f64x2.extract_lane 0 (local.get $acc0)) (f64x2.extract_lane 1 (local.get $acc0))))

  ;; binaryLoss over groups [g0, g1) of four, per-element losses only (no sum): one chunk of a job that helper
  ;; threads share (lib/tf/wasm-helper.ts passes i32 arguments only, so the five float parameters come as their
  ;; float32 bit patterns). Every element is computed as by one binaryLoss call over the whole array.
  (func (export "binaryLossRows")
    (param $g0 i32) (param $g1 i32) (param $x i32) (param $y i32) (param $w i32) (param $loss i32) (param $grad i32)
    (param $mode i32) (param $apos i32) (param $aneg i32) (param $gamma i32) (param $beta i32) (param $scale i32)
    (local $off i32)
    (local.set $off (i32.shl (local.get $g0) (i32.const 4)))
    (drop (call $binaryLoss
      (i32.sub (local.get $g1) (local.get $g0))
      (i32.add (local.get $x) (local.get $off))
      (i32.add (local.get $y) (local.get $off))
      (select (i32.add (local.get $w) (local.get $off)) (i32.const 0) (local.get $w))
      (i32.add (local.get $loss) (local.get $off))
      (i32.add (local.get $grad) (local.get $off))
      (local.get $mode)
      (f32.reinterpret_i32 (local.get $apos))
      (f32.reinterpret_i32 (local.get $aneg))
      (f32.reinterpret_i32 (local.get $gamma))
      (f32.reinterpret_i32 (local.get $beta))
      (f32.reinterpret_i32 (local.get $scale)))))
)
