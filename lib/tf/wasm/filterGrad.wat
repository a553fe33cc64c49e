;; A convolution's filter gradient as a WebAssembly SIMD matrix product (and, `colSum`, its bias's gradient) over the memory of tfjs's WASM backend
;; (imported: it reads and writes the tensors where tfjs keeps them), driven by ../conv-filter-grad.ts.
;; scripts/build-wasm.mjs compiles this file twice — MEMORY_LIMITS replaced by the limits of a plain and of a shared
;; memory, for tfjs's single-threaded and threaded builds — into ./filterGradWasm.ts.
;;
;;   out[m, n] = Σ_{b,o,p} x[b, o·sh + th − pt, p·sw + tw − pl, ci] · dy[b, o, p, n],   m = (th·Kw + tw)·Cin + ci
;;
;; x:   float32 [B, H, W, Xc] (the conv input as it is); rows m = tap·Cin + ci with Cin = Xc rounded up to 4: the rows
;;      of the ci ≥ Xc read the next pixel's values (or, at x's last pixel, up to 3 floats past it) and are the
;;      caller's to drop. Reads outside the image are zeros, skipped: each tap sums over the (o, p) whose source
;;      pixel lies inside;
;; dy:  float32 [B, Ho, Wo, Cout];
;; out: float32 [Mp, Np] (Np = Cout rounded up to 8), rows [m0, m1) written (multiples of 4). Columns ≥ Cout hold
;;      products with whatever follows each dy pixel in memory and are the caller's to drop.
;; Tiles of 4 rows (4 consecutive ci of one tap: one 16-byte run of x) × 8 columns: eight accumulators that stay in
;; registers, two vector loads of dy and four broadcast loads of x per reduction index. No packing, no transpose,
;; no padding: a call costs its multiply-adds (XNNPACK's conv repacks a new "filter" on every call).
;; Each output is summed in float32 in the order b, o, p.
(module
  (import "env" "memory" (memory MEMORY_LIMITS))

  ;; The first output index along one axis whose source index o·s + t − pad is ≥ 0.
  (func $first (param $t i32) (param $pad i32) (param $s i32) (result i32)
    (if (result i32) (i32.gt_s (local.get $pad) (local.get $t))
      (then (i32.div_u (i32.sub (i32.add (i32.sub (local.get $pad) (local.get $t)) (local.get $s)) (i32.const 1))
        (local.get $s)))
      (else (i32.const 0))))

  ;; The end (exclusive) of the output indices whose source index o·s + t − pad is < size, at most n.
  (func $end (param $t i32) (param $pad i32) (param $s i32) (param $size i32) (param $n i32) (result i32)
    (local $e i32)
    (local.set $e (i32.add (local.get $size) (i32.sub (local.get $pad) (local.get $t))))
    (if (i32.le_s (local.get $e) (i32.const 0)) (then (return (i32.const 0))))
    (local.set $e (i32.div_u (i32.sub (i32.add (local.get $e) (local.get $s)) (i32.const 1)) (local.get $s)))
    (select (local.get $e) (local.get $n) (i32.lt_u (local.get $e) (local.get $n))))

  (func (export "filterGrad") (param $x i32) (param $dy i32) (param $out i32) (param $m0 i32) (param $m1 i32)
    (param $cin i32) (param $xc i32) (param $kw i32) (param $h i32) (param $w i32) (param $ho i32) (param $wo i32)
    (param $sh i32) (param $sw i32) (param $pt i32) (param $pl i32) (param $nb i32) (param $cout i32) (param $np i32)
    (local $m i32) (local $j i32) (local $tap i32) (local $th i32) (local $tw i32) (local $ci i32)
    (local $o0 i32) (local $o1 i32) (local $p0 i32) (local $p1 i32) (local $no i32) (local $npix i32)
    (local $xStart i32) (local $dStart i32) (local $imgX i32) (local $imgD i32) (local $rowX i32) (local $rowD i32)
    (local $stepX i32) (local $stepD i32) (local $outStep i32)
    (local $b i32) (local $o i32) (local $p i32) (local $xo i32) (local $do i32) (local $xa i32) (local $d i32)
    (local $at i32)
    (local $v0 v128) (local $v1 v128) (local $s v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $stepX (i32.shl (i32.mul (local.get $sw) (local.get $xc)) (i32.const 2)))
    (local.set $stepD (i32.shl (local.get $cout) (i32.const 2)))
    (local.set $rowX (i32.shl (i32.mul (i32.mul (local.get $sh) (local.get $w)) (local.get $xc)) (i32.const 2)))
    (local.set $rowD (i32.shl (i32.mul (local.get $wo) (local.get $cout)) (i32.const 2)))
    (local.set $imgX (i32.shl (i32.mul (i32.mul (local.get $h) (local.get $w)) (local.get $xc)) (i32.const 2)))
    (local.set $imgD (i32.mul (local.get $ho) (local.get $rowD)))
    (local.set $outStep (i32.shl (local.get $np) (i32.const 2)))
    (local.set $m (local.get $m0))
    (block $rowsDone (loop $rows
      (br_if $rowsDone (i32.ge_u (local.get $m) (local.get $m1)))
      (local.set $tap (i32.div_u (local.get $m) (local.get $cin)))
      (local.set $ci (i32.rem_u (local.get $m) (local.get $cin)))
      (local.set $th (i32.div_u (local.get $tap) (local.get $kw)))
      (local.set $tw (i32.rem_u (local.get $tap) (local.get $kw)))
      (local.set $o0 (call $first (local.get $th) (local.get $pt) (local.get $sh)))
      (local.set $o1 (call $end (local.get $th) (local.get $pt) (local.get $sh) (local.get $h) (local.get $ho)))
      (local.set $p0 (call $first (local.get $tw) (local.get $pl) (local.get $sw)))
      (local.set $p1 (call $end (local.get $tw) (local.get $pl) (local.get $sw) (local.get $w) (local.get $wo)))
      (local.set $no (select (i32.sub (local.get $o1) (local.get $o0)) (i32.const 0)
        (i32.gt_u (local.get $o1) (local.get $o0))))
      (local.set $npix (select (i32.sub (local.get $p1) (local.get $p0)) (i32.const 0)
        (i32.gt_u (local.get $p1) (local.get $p0))))
      ;; x[0, o0·sh + th − pt, p0·sw + tw − pl, ci] (only read when the ranges are not empty)
      (local.set $xStart (i32.add (local.get $x) (i32.shl
        (i32.add
          (i32.mul
            (i32.add
              (i32.mul (i32.sub (i32.add (i32.mul (local.get $o0) (local.get $sh)) (local.get $th)) (local.get $pt))
                (local.get $w))
              (i32.sub (i32.add (i32.mul (local.get $p0) (local.get $sw)) (local.get $tw)) (local.get $pl)))
            (local.get $xc))
          (local.get $ci))
        (i32.const 2))))
      (local.set $j (i32.const 0))
      (block $colsDone (loop $cols
        (br_if $colsDone (i32.ge_u (local.get $j) (local.get $np)))
        (local.set $c00 (v128.const i32x4 0 0 0 0)) (local.set $c01 (v128.const i32x4 0 0 0 0))
        (local.set $c10 (v128.const i32x4 0 0 0 0)) (local.set $c11 (v128.const i32x4 0 0 0 0))
        (local.set $c20 (v128.const i32x4 0 0 0 0)) (local.set $c21 (v128.const i32x4 0 0 0 0))
        (local.set $c30 (v128.const i32x4 0 0 0 0)) (local.set $c31 (v128.const i32x4 0 0 0 0))
        ;; dy[0, o0, p0, j]
        (local.set $dStart (i32.add (local.get $dy) (i32.shl
          (i32.add (i32.mul (i32.add (i32.mul (local.get $o0) (local.get $wo)) (local.get $p0)) (local.get $cout))
            (local.get $j))
          (i32.const 2))))
        (local.set $b (i32.const 0))
        (block $bDone (loop $bLoop
          (br_if $bDone (i32.ge_u (local.get $b) (local.get $nb)))
          (local.set $xo (i32.add (local.get $xStart) (i32.mul (local.get $b) (local.get $imgX))))
          (local.set $do (i32.add (local.get $dStart) (i32.mul (local.get $b) (local.get $imgD))))
          (local.set $o (local.get $no))
          (block $oDone (loop $oLoop
            (br_if $oDone (i32.eqz (local.get $o)))
            (local.set $xa (local.get $xo))
            (local.set $d (local.get $do))
            (local.set $p (local.get $npix))
            (block $pDone (loop $pLoop
              (br_if $pDone (i32.eqz (local.get $p)))
              (local.set $v0 (v128.load align=4 (local.get $d)))
              (local.set $v1 (v128.load offset=16 align=4 (local.get $d)))
              (local.set $s (v128.load32_splat (local.get $xa)))
              (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $s) (local.get $v0))))
              (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $s) (local.get $v1))))
              (local.set $s (v128.load32_splat offset=4 (local.get $xa)))
              (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $s) (local.get $v0))))
              (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $s) (local.get $v1))))
              (local.set $s (v128.load32_splat offset=8 (local.get $xa)))
              (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $s) (local.get $v0))))
              (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $s) (local.get $v1))))
              (local.set $s (v128.load32_splat offset=12 (local.get $xa)))
              (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $s) (local.get $v0))))
              (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $s) (local.get $v1))))
              (local.set $xa (i32.add (local.get $xa) (local.get $stepX)))
              (local.set $d (i32.add (local.get $d) (local.get $stepD)))
              (local.set $p (i32.sub (local.get $p) (i32.const 1)))
              (br $pLoop)))
            (local.set $xo (i32.add (local.get $xo) (local.get $rowX)))
            (local.set $do (i32.add (local.get $do) (local.get $rowD)))
            (local.set $o (i32.sub (local.get $o) (i32.const 1)))
            (br $oLoop)))
          (local.set $b (i32.add (local.get $b) (i32.const 1)))
          (br $bLoop)))
        ;; out[m + r, j : j + 8]
        (local.set $at (i32.add (local.get $out)
          (i32.shl (i32.add (i32.mul (local.get $m) (local.get $np)) (local.get $j)) (i32.const 2))))
        (v128.store align=4 (local.get $at) (local.get $c00))
        (v128.store offset=16 align=4 (local.get $at) (local.get $c01))
        (local.set $at (i32.add (local.get $at) (local.get $outStep)))
        (v128.store align=4 (local.get $at) (local.get $c10))
        (v128.store offset=16 align=4 (local.get $at) (local.get $c11))
        (local.set $at (i32.add (local.get $at) (local.get $outStep)))
        (v128.store align=4 (local.get $at) (local.get $c20))
        (v128.store offset=16 align=4 (local.get $at) (local.get $c21))
        (local.set $at (i32.add (local.get $at) (local.get $outStep)))
        (v128.store align=4 (local.get $at) (local.get $c30))
        (v128.store offset=16 align=4 (local.get $at) (local.get $c31))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $cols)))
      (local.set $m (i32.add (local.get $m) (i32.const 4)))
      (br $rows)))
  )

  ;; out[c] = Σ_r x[r, c] for x float32 [rows, cols]: a bias's gradient, dy summed over every axis but its channels
  ;; (./wasm-column-sum.ts). Four columns a vector, the rows in order; the last cols mod 4 columns one at a time.
  ;; Each sum in float32, in row order.
  (func (export "colSum") (param $x i32) (param $rows i32) (param $cols i32) (param $out i32)
    (local $c i32) (local $r i32) (local $a i32) (local $stride i32) (local $v v128) (local $s f32)
    (local.set $stride (i32.shl (local.get $cols) (i32.const 2)))
    (block $vecDone (loop $vec
      (br_if $vecDone (i32.gt_u (i32.add (local.get $c) (i32.const 4)) (local.get $cols)))
      (local.set $v (v128.const f32x4 0 0 0 0))
      (local.set $a (i32.add (local.get $x) (i32.shl (local.get $c) (i32.const 2))))
      (local.set $r (local.get $rows))
      (block $rDone (loop $rLoop
        (br_if $rDone (i32.eqz (local.get $r)))
        (local.set $v (f32x4.add (local.get $v) (v128.load align=4 (local.get $a))))
        (local.set $a (i32.add (local.get $a) (local.get $stride)))
        (local.set $r (i32.sub (local.get $r) (i32.const 1)))
        (br $rLoop)))
      (v128.store align=4 (i32.add (local.get $out) (i32.shl (local.get $c) (i32.const 2))) (local.get $v))
      (local.set $c (i32.add (local.get $c) (i32.const 4)))
      (br $vec)))
    (block $oneDone (loop $one
      (br_if $oneDone (i32.ge_u (local.get $c) (local.get $cols)))
      (local.set $s (f32.const 0))
      (local.set $a (i32.add (local.get $x) (i32.shl (local.get $c) (i32.const 2))))
      (local.set $r (local.get $rows))
      (block $rDone (loop $rLoop
        (br_if $rDone (i32.eqz (local.get $r)))
        (local.set $s (f32.add (local.get $s) (f32.load (local.get $a))))
        (local.set $a (i32.add (local.get $a) (local.get $stride)))
        (local.set $r (i32.sub (local.get $r) (i32.const 1)))
        (br $rLoop)))
      (f32.store (i32.add (local.get $out) (i32.shl (local.get $c) (i32.const 2))) (local.get $s))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br $one)))
  )
)
