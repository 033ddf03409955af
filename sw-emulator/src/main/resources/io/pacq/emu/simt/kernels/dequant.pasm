; DEQUANT GEMM kernel: the conventional SIMT flow for weight-only quantized GEMMs. The lanes
; unpack the packed codes, subtract the zero point and dequantize to FP16, w = RN16(d * s)
; (UNPK, SUB2, I2H2, HMUL2: two weights per instruction, as GPU kernels do with half2 math),
; then the FP16 x FP16 matrix unit accumulates acc = RN32(acc + A * w) (HMMA). docs/simt.md 9, 11.
;
; Predefined: BITS, CPW = 16/BITS, S = 256/BITS (columns per strip), ARG_* (GemmArg).
;
; Tile and dataflow as the PACQ kernel: warp w < TILE_WARPS computes strip TILE_X*TILE_WARPS + w,
; rows 16*TILE_Y .. +15; A staged through shared memory in double-buffered chunks of 64 k; the
; strip's 512 bytes of packed codes per k16 step stream into registers one step ahead. A k16
; step is CPW HMMAs of 16 columns each. Lane l holds row l/2 and the strip's columns
; (l%2)*8*CPW .. +8*CPW-1 of one k row: HMMA t takes its columns 8t .. 8t+7, so that HMMA t's
; B fragment needs no data from other lanes and its accumulators r(AB + 8t + j) hold column
; (l%2)*8*CPW + 8t + j: the same layout as the PMMA accumulators.

        .equ    NACC, 8 * CPW                   ; accumulator registers per lane
        .equ    AB, 128 - NACC                  ; acc: r(AB) .. r127
        .equ    KC, 64
        .equ    ABUF, 16 * KC * 2
        .equ    NBUF, 3
        .equ    SMEM_WARPS, NBUF * ABUF
        .equ    PAIR_BYTES, 2 * S               ; FP16 scales, then u16 zero points, one per column
        .equ    ACC_BYTES, 16 * S * 4           ; output dump
        .equ    WARP_BYTES, 2 * PAIR_BYTES + ACC_BYTES
; The output dump (only on the one-element output path, after the last step, so it may overwrite
; the scale and zero-point pairs) puts lane l's NACC/4 16-byte words at
; wreg + 16 floor(33 l NACC / 128): one spare word after every 128 / NACC lanes, so that the 32
; lanes' words j lie in 32 different banks of 16 bytes (one pass under a banked shared memory).
        .meta   SMEM_FIXED, SMEM_WARPS
        .meta   SMEM_PER_WARP, WARP_BYTES
        .equ    SYMZ, 1 << (BITS - 1)

        .reg    lane, r1
        .reg    warp, r2
        .reg    tw, r3
        .reg    strip, r4
        .reg    has, r5
        .reg    kk, r6
        .reg    gsteps, r7
        .equ    RA, 8               ; A fragment r8 .. r11
        .equ    RB, 12              ; this step's packed codes r12 .. r15
        .reg    gleft, r16
        .reg    eb, r17
        .reg    lg, r18
        .reg    wb, r19
        .reg    k0, r20
        .reg    abuf, r21
        .reg    ssrc, r22
        .reg    sdst, r23
        .reg    kn, r24
        .reg    wreg, r26
        .reg    sofs, r27           ; this lane's scale pairs: wreg + 2 * (lane & 1) * NACC
        .reg    acco, r28
        .reg    steps, r29
        .reg    aptr, r30
        .reg    srow, r31
        .reg    kcur, r32
        .reg    t0, r34
        .reg    t1, r35
        .reg    t2, r36
        .reg    t3, r37
        .reg    t4, r38
        .reg    t5, r39
        .reg    t6, r40
        .reg    t7, r41
        .equ    SA, 42              ; staged A segments r42 .. r57
        .equ    RD, 58              ; dequantized B fragment r58 .. r61
        .reg    tg, r62

; ------------------------------------------------------------------------------ prologue
        s2r     warp, warp
        s2r     tw, arg(ARG_TILE_WARPS)
        slt     t0, warp, tw
        bz      t0, quit
        s2r     lane, lane
        s2r     t0, tile_x
        mul     strip, t0, tw
        add     strip, strip, warp
        s2r     t1, arg(ARG_STRIPS)
        slt     has, strip, t1
        s2r     kk, arg(ARG_K)
        s2r     t0, arg(ARG_GROUP_SIZE)
        shri    gsteps, t0, 4
        mov     gleft, gsteps
        s2r     lg, arg(ARG_GROUP_COLS_LOG2)
        li      t0, S
        shr     t0, t0, lg
        s2r     t1, arg(ARG_GROUPS)
        mul     eb, strip, t1
        mul     eb, eb, t0
        muli    wreg, warp, WARP_BYTES
        addi    wreg, wreg, SMEM_WARPS
        andi    t0, lane, 1
        muli    t0, t0, 2 * NACC
        add     sofs, wreg, t0
        muli    acco, lane, 33 * NACC / 8
        andi    acco, acco, -16                 ; 16 floor(33 lane NACC / 128)
        add     acco, acco, wreg
        s2r     t0, arg(ARG_ADDR_W)
        mul     t1, strip, kk
        shli    t1, t1, 5
        add     t0, t0, t1
        shli    t1, lane, 4
        add     wb, t0, t1

; A staging as in pacq.pasm (its stores take 4 passes under a banked shared memory, see there)
        shli    t0, warp, 5
        add     t0, t0, lane
        shri    t1, t0, 3
        andi    t2, t0, 7
        shri    t3, t2, 1
        shli    t3, t3, 9
        shli    t4, t1, 1
        andi    t5, t2, 1
        add     t4, t4, t5
        shli    t4, t4, 4
        add     sdst, t3, t4
        s2r     t3, tile_y
        shli    t3, t3, 4
        add     t3, t3, t1
        s2r     t6, arg(ARG_M)
        sub     srow, t6, t3
        mul     t3, t3, kk
        shli    t2, t2, 3
        add     t3, t3, t2
        shli    t3, t3, 1
        s2r     t4, arg(ARG_ADDR_A)
        add     ssrc, t4, t3

; ------------------------------------------------------------------- macros
; PREFETCH: this warp's segments of the A chunk at k = kn into SA (masked: rows below M, k below K).
        .macro  PREFETCH
        andi    t1, lane, 7
        shli    t1, t1, 3                       ; k of this lane's segment in the chunk
        add     t1, t1, kn
        slt     t1, t1, kk
        mul     t2, tw, kk
        shli    t2, t2, 3                       ; global bytes between iterations: 4 TILE_WARPS rows
        shli    t3, kn, 1
        add     t3, t3, ssrc
        .for    i, 0, 4
        muli    t4, tw, i
        add     t4, t4, warp
        slti    t4, t4, 4                       ; this warp has a segment in iteration i
        bz      t4, pf{__N}_{i}
        muli    t4, tw, 4 * i
        slt     t4, t4, srow                    ; the row exists
        and     t4, t4, t1
        setmask t4
        ldg.128 r(SA + 4 * i), [t3]
        unmask
        add     t3, t3, t2
pf{__N}_{i}:
        .endfor
        .endm

; STORE_NEXT: store the prefetched segments into the buffer after abuf.
        .macro  STORE_NEXT
        addi    t5, abuf, ABUF
        seqi    t6, t5, NBUF * ABUF
        muli    t6, t6, NBUF * ABUF
        sub     t5, t5, t6                      ; (abuf + ABUF) mod NBUF ABUF
        shli    t2, tw, 7                       ; buffer bytes between iterations
        add     t3, sdst, t5
        .for    i, 0, 4
        muli    t4, tw, i
        add     t4, t4, warp
        slti    t4, t4, 4
        bz      t4, st{__N}_{i}
        sts.128 [t3], r(SA + 4 * i)
        add     t3, t3, t2
st{__N}_{i}:
        .endfor
        .endm

        .for    j, 0, NACC
        mov     r(AB + j), r0
        .endfor
        li      k0, 0
        li      kcur, 0
        li      kn, 0
        PREFETCH                                ; chunk 0
        bz      has, stage0
        ldg.128 r(RB), [wb]                     ; codes of step 0
stage0:
        li      abuf, -ABUF                     ; STORE_NEXT writes chunk 0 into buffer 0
        STORE_NEXT
        li      abuf, 0
        bar

; ------------------------------------------------------------------- chunk loop
; Chunk c is computed from buffer c mod 3. After its first matrix instruction a warp fetches
; chunk c+1 into SA; after the second it stores SA into buffer c+1 mod 3 and waits at the
; barrier, while the warps' remaining matrix instructions of the chunk keep the unit busy.
; Three buffers make this safe: buffer c+1 mod 3 was last read in chunk c-2, which every warp
; finished before the barrier of chunk c-1. Only the last chunk can have fewer than 4 steps, and
; it fetches nothing, so every warp meets every barrier. (A warp without a strip stages and waits
; once per chunk.)
chunk:
        addi    kn, k0, KC                      ; the next chunk
        bnz     has, compute
        slt     t0, kn, kk                      ; a warp without a strip only stages A
        bz      t0, chunk_done
        PREFETCH
        STORE_NEXT
        bar
        bra     chunk_done
; ------------------------------------------------------------------- compute a chunk
compute:
        sub     t0, kk, k0
        shri    t0, t0, 4
        mini    steps, t0, KC / 16
        shli    t0, lane, 4
        add     aptr, abuf, t0
step:
        seq     t0, gleft, gsteps
        bz      t0, no_group_start
        ; group start: this strip's scales (FP16) and zero points (u16) per column into the warp's region
        s2r     t1, arg(ARG_ADDR_SCALES)
        s2r     t6, arg(ARG_ADDR_ZEROS)
        add     t6, t6, eb
        s2r     t7, arg(ARG_FLAGS)
        andi    t7, t7, FLAG_SYMMETRIC
        .for    i, 0, S / 32
        addi    t2, lane, 32 * i                ; column
        shr     t3, t2, lg
        add     t4, t3, eb
        shli    t4, t4, 1
        add     t4, t4, t1
        ldg.u16 t4, [t4]
        li      t5, SYMZ
        bnz     t7, sym{i}
        add     t5, t3, t6
        ldg.u8  t5, [t5]
sym{i}:
        shli    t2, t2, 1
        add     t2, t2, wreg
        sts.16  [t2], t4
        sts.16  [t2 + PAIR_BYTES], t5
        .endfor
no_group_start:
        lds.128 r(RA), [aptr]
        .for    t, 0, CPW
        lds.128 t4, [sofs + 16 * t]             ; scale pairs of columns 8t .. 8t+7
        lds.128 t0, [sofs + PAIR_BYTES + 16 * t]    ; zero-point pairs
        .for    j, 0, 4
        .equ    RAW, RB + (BITS == 4) * t + (BITS == 2) * (t / 2) + (BITS == 8) * (2 * t + j / 2)
        .equ    POS, (BITS == 4) * 8 * j + (BITS == 2) * (16 * (t % 2) + 4 * j) + (BITS == 8) * 16 * (j % 2)
        unpk    r(RD + j), r(RAW), POS, BITS    ; codes of columns 8t + 2j, +1
        .endfor
        .for    j, 0, 4
        sub2    r(RD + j), r(RD + j), r(34 + j) ; d = q - z
        .endfor
        .for    j, 0, 4
        i2h2    r(RD + j), r(RD + j)            ; exact in FP16
        .endfor
        .for    j, 0, 4
        hmul2   r(RD + j), r(RD + j), r(38 + j) ; w = RN16(d * s)
        .endfor
        hmma    r(AB + 8 * t), r(RA), r(RD)
        .endfor
        slt     t0, kn, kk
        bz      t0, b_next                      ; the last chunk fetches nothing
        andi    t1, aptr, ABUF - 1
        shri    t1, t1, 9                       ; step of the chunk
        bnz     t1, not_first
        PREFETCH                                ; first step: fetch the next chunk
        bra     b_next
not_first:
        seqi    t1, t1, 1
        bz      t1, b_next
        STORE_NEXT                              ; second step: store it and synchronize
        bar
b_next:
        addi    tg, kcur, 16
        slt     tg, tg, kk
        bz      tg, no_next_b
        addi    wb, wb, 512
        ldg.128 r(RB), [wb]
no_next_b:
        addi    gleft, gleft, -1
        bnz     gleft, no_group_end
        mov     gleft, gsteps
        li      t0, S
        shr     t0, t0, lg
        add     eb, eb, t0
no_group_end:
        addi    kcur, kcur, 16
        addi    aptr, aptr, 512
        addi    steps, steps, -1
        bnz     steps, step
chunk_done:
        addi    k0, k0, KC
        addi    abuf, abuf, ABUF
        seqi    t0, abuf, NBUF * ABUF
        muli    t0, t0, NBUF * ABUF
        sub     abuf, abuf, t0
        slt     t0, k0, kk
        bnz     t0, chunk

; ------------------------------------------------------------------------------ output
        bz      has, quit
        .equ    OB, AB
        .reg    rowok, r20
        .reg    nn, r21
        .reg    col0, r22
        .reg    e0, r23
        .reg    cb, r24
        s2r     t0, tile_y
        shli    t0, t0, 4
        shri    t1, lane, 1
        add     t0, t0, t1
        s2r     t1, arg(ARG_M)
        slt     rowok, t0, t1
        s2r     nn, arg(ARG_N)
        andi    t3, lane, 1
        muli    t3, t3, NACC
        muli    t4, strip, S
        add     col0, t4, t3
        mul     t5, t0, nn
        add     e0, t5, col0
        s2r     cb, arg(ARG_ADDR_C)
        s2r     t6, arg(ARG_FLAGS)
        andi    t6, t6, FLAG_OUT_F32
        bnz     t6, out32
        andi    t7, nn, 7
        bnz     t7, slow
        shli    t0, e0, 1
        add     t0, t0, cb
        .for    c, 0, CPW
        .for    q, 0, 4
        f2h2    r(8 + q), r(OB + 8 * c + 2 * q), r(OB + 8 * c + 2 * q + 1)
        .endfor
        addi    t1, col0, 8 * c
        slt     t1, t1, nn
        and     t1, t1, rowok
        setmask t1
        stg.128 [t0 + 16 * c], r8
        unmask
        .endfor
        exit
out32:
        andi    t7, nn, 3
        bnz     t7, slow
        shli    t0, e0, 2
        add     t0, t0, cb
        .for    c, 0, 2 * CPW
        addi    t1, col0, 4 * c
        slt     t1, t1, nn
        and     t1, t1, rowok
        setmask t1
        stg.128 [t0 + 16 * c], r(OB + 4 * c)
        unmask
        .endfor
        exit
slow:
        .for    j, 0, NACC / 4
        sts.128 [acco + 16 * j], r(OB + 4 * j)
        .endfor
        li      t2, 0
slow_next:
        add     t1, col0, t2
        slt     t1, t1, nn
        and     t1, t1, rowok
        setmask t1
        shli    t3, t2, 2
        add     t3, t3, acco
        lds     t4, [t3]
        add     t5, e0, t2
        bnz     t6, slow32
        f2h     t4, t4
        shli    t5, t5, 1
        add     t5, t5, cb
        stg.16  [t5], t4
        bra     slow_step
slow32:
        shli    t5, t5, 2
        add     t5, t5, cb
        stg     [t5], t4
slow_step:
        unmask
        addi    t2, t2, 1
        slti    t1, t2, NACC
        bnz     t1, slow_next
quit:
        exit
