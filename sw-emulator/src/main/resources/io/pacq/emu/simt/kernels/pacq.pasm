; PacQ GEMM kernel: PACQ mode (PMMA on N-packed strips) and, with KPACKED = 1, the paper's
; P(B)k baseline (KMMA on K-packed words). docs/simt.md, sections 9 and 11.
;
; Predefined: BITS, CPW = 16/BITS, S = 256/BITS (columns per strip), KPACKED, ARG_* (GemmArg).
;
; Tile (TILE_X, TILE_Y): rows 16*TILE_Y .. +15; warp w < TILE_WARPS computes strip TILE_X*TILE_WARPS + w.
; Per k16 step a warp issues one PMMA covering its whole strip: p[16][S] += A[16][16] x (q - z)[16][S].
; A is staged through shared memory in chunks of KC = 64 k, double-buffered, by all warps of the
; tile together; B (512 contiguous bytes per step) streams from device memory straight into
; registers, one step ahead. Each quantization group starts with PMMA.z (p = 0) and ends with
; acc = RN32(acc + RN32(p * s)) on the lanes (FMUL, FADD). INT2 keeps acc in shared memory (its
; p alone fills 64 registers), INT4 and INT8 in registers.

        .equ    NACC, 8 * CPW                   ; accumulator registers per lane: row lane/2, NACC columns
        .equ    PB, 128 - NACC                  ; p: r(PB) .. r127
        .equ    ACC_SMEM, BITS == 2
        .equ    AB, PB - NACC                   ; acc in registers (INT4, INT8): r(AB) .. r(PB-1)
        .equ    KC, 64                          ; k per staged A chunk
        .equ    ABUF, 16 * KC * 2               ; bytes of one A chunk buffer
        .equ    NBUF, 3                         ; A chunk buffers (see the chunk loop)
        .equ    SMEM_WARPS, NBUF * ABUF         ; per-warp regions start here
        .equ    SCL_BYTES, S * 4                ; FP32 scales of the current group
        .equ    ACC_BYTES, 16 * S * 4           ; accumulators (INT2) or the output dump
        .equ    WARP_BYTES, SCL_BYTES + ACC_BYTES
; A warp's shared-memory region (wreg) is laid out so that each of its shared-memory instructions
; touches at most one 16-byte word per bank of 32 banks x 16 bytes (lanes on the same word share
; it): a single pass under a banked shared memory. This costs no instruction and no memory.
; - INT2: 32 slots of SLOT = 272 bytes (17 words, an odd number: the slots start in 32 banks),
;   slot m at wreg + SLOT m. Word 0 holds the scales of the 4 columns 4g .. 4g+3 with
;   m = 4 (g % 8) + g / 8 (both the stores, lane l to slot 4 (l / 4) + i, and the loads, lane
;   half h to slot 4 (j % 8) + j / 8 + 2h, need no extra instruction); words 1 .. 16 hold the
;   accumulators of lane m (acco = wreg + SLOT lane + 16).
; - INT4, INT8: the scales at wreg + 4 column. The output dump (only on the one-element output
;   path, after the last group, so it may overwrite the scales) puts lane l's NACC/4 words at
;   wreg + 16 floor(33 l NACC / 128): one spare word after every 128 / NACC lanes, so that the
;   32 lanes' words j lie in 32 different banks.
.if ACC_SMEM
        .equ    SLOT, 16 + 4 * NACC
        .equ    SOFS_HALF, 2 * SLOT             ; scale slots of lane half 1: m + 2
.else
        .equ    SOFS_HALF, 4 * NACC             ; scales of lane half 1: columns NACC ..
.endif
        .meta   SMEM_FIXED, SMEM_WARPS
        .meta   SMEM_PER_WARP, WARP_BYTES
        .equ    L2CPW2, 2 + (BITS == 4) + 2 * (BITS == 2)    ; log2(2 * CPW)
        .equ    SYMZ, (1 << (BITS - 1)) * 0x01010101         ; symmetric zero point in every byte

        .reg    lane, r1
        .reg    warp, r2
        .reg    tw, r3              ; TILE_WARPS
        .reg    strip, r4
        .reg    has, r5             ; 1 when this warp's strip exists
        .reg    kk, r6              ; K
        .reg    gsteps, r7          ; k16 steps per group
        .equ    RA, 8               ; A fragment r8 .. r11 (also scratch in the epilogue)
        .equ    RB, 12              ; B fragment r12 .. r15
        .reg    rz, r16             ; zero points of the group, one byte per column
        .reg    gleft, r17          ; k16 steps left in the group
        .reg    eb, r18             ; index of entry (strip, group) in SCALES / ZEROS
        .reg    gst, r19            ; 1 at the first step of a group
        .reg    lg, r20             ; log2(group_cols)
        .reg    wb, r21             ; address of this lane's next 16 bytes of B
        .reg    wstep, r22          ; bytes of B per k16 step
        .reg    k0, r23             ; first k of the chunk being computed
        .reg    abuf, r24           ; shared-memory A buffer of that chunk (0, ABUF or 2 ABUF)
        .reg    ssrc, r25           ; staging: global address of this lane's segment at k = 0
        .reg    sdst, r26           ; staging: offset of this lane's segment in a buffer
        .reg    kn, r27             ; staging: k of the chunk being fetched
        .reg    wreg, r29           ; this warp's shared-memory region
        .reg    sofs, r30           ; this lane's scales: wreg + SOFS_HALF * (lane & 1)
        .reg    acco, r31           ; this lane's accumulators (INT2) / dump slots
        .reg    steps, r32          ; k16 steps left in the chunk
        .reg    aptr, r33           ; shared-memory address of this lane's next A bytes
        .reg    t0, r34
        .reg    t1, r35
        .reg    t2, r36
        .reg    t3, r37
        .reg    t4, r38
        .reg    t5, r39
        .reg    t6, r40
        .reg    t7, r41
        .equ    SA, 42              ; staged A segments: 4 iterations x 4 registers, r42 .. r57
        .equ    SCP, 58             ; this group's scales as loaded (u16), r58 .. r61
        .reg    srow, r62           ; rows of the tile left below this lane's staging row
        .reg    kcur, r63           ; k of the current step

; ------------------------------------------------------------------------------ prologue
        s2r     warp, warp
        s2r     tw, arg(ARG_TILE_WARPS)
        slt     t0, warp, tw
        bz      t0, quit                        ; beyond the tile's width: take no part
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
        shr     t0, t0, lg                      ; entries per (strip, group)
        s2r     t1, arg(ARG_GROUPS)
        mul     eb, strip, t1
        mul     eb, eb, t0
        muli    wreg, warp, WARP_BYTES
        addi    wreg, wreg, SMEM_WARPS
        andi    t0, lane, 1
        muli    t0, t0, SOFS_HALF
        add     sofs, wreg, t0
.if ACC_SMEM
        muli    acco, lane, SLOT
        add     acco, acco, wreg
        addi    acco, acco, 16                  ; after the slot's scale word
.else
        muli    acco, lane, 33 * NACC / 8
        andi    acco, acco, -16                 ; 16 floor(33 lane NACC / 128)
        add     acco, acco, wreg
.endif
        li      rz, SYMZ                        ; replaced per group unless symmetric

; B: this lane's 16 bytes of the first step
.if KPACKED
        ; K-packed block: 16/CPW word rows of S columns; lane -> row lane / (2 CPW), columns 8 (lane % 2 CPW) ..
        s2r     t0, arg(ARG_ADDR_W)
        s2r     t2, arg(ARG_PADDED_N)
        shli    t2, t2, 1                       ; bytes per word row
        muli    wstep, t2, 16 / CPW
        shri    t1, lane, L2CPW2
        mul     t1, t1, t2
        add     t0, t0, t1
        andi    t1, lane, 2 * CPW - 1
        shli    t1, t1, 3
        muli    t3, strip, S
        add     t1, t1, t3
        shli    t1, t1, 1
        add     wb, t0, t1
.else
        ; N-packed strip: K rows of 32 bytes; 16 rows = 512 contiguous bytes, lane -> bytes 16 lane ..
        s2r     t0, arg(ARG_ADDR_W)
        mul     t1, strip, kk
        shli    t1, t1, 5
        add     t0, t0, t1
        shli    t1, lane, 4
        add     wb, t0, t1
        li      wstep, 512
.endif

; A staging: segment s = 32 warp + lane (+ 32 TILE_WARPS i in iteration i) of the 128 16-byte
; segments of a chunk: row s / 8, k 8 (s % 8) .. +7; stored as the fragment of k16 block
; (s % 8) / 2, lane 2 row + (s % 2). A staging store (4 rows x 8 segments) therefore touches 8
; banks of 16 bytes in 4 rows each: 4 passes under a banked shared memory. The fragment loads
; (512 contiguous bytes per k16 block, one lds.128 per step) and the device-memory reads (4 whole
; rows of the chunk per ldg.128) fix both sides, so no layout of the buffer avoids it within the
; same instructions and buffer size.
        shli    t0, warp, 5
        add     t0, t0, lane
        shri    t1, t0, 3                       ; row of iteration 0
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
        add     t3, t3, t1                      ; absolute row of iteration 0
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

; GROUP_LOAD: start the loads of group entry eb: the zero-point bytes of columns 4 lane .. +3
; (raw: one word, one u16 or one byte by group_cols; GROUP_FIX spreads them) into rz, and the
; scales of columns lane + 32 i into SCP + i. Their latency hides behind other work.
        .macro  GROUP_LOAD
        s2r     t0, arg(ARG_FLAGS)
        andi    t0, t0, FLAG_SYMMETRIC
        bnz     t0, glz{__N}
        s2r     t1, arg(ARG_ADDR_ZEROS)
        add     t1, t1, eb
        shli    t2, lane, 2
        mini    t2, t2, S - 4                   ; lanes past the strip repeat its last columns
        shr     t2, t2, lg
        add     t2, t2, t1
        bnz     lg, gla{__N}
        ldg     rz, [t2]                        ; group_cols 1: four entries
        bra     glz{__N}
gla{__N}:
        slti    t3, lg, 2
        bz      t3, glb{__N}
        ldg.u16 rz, [t2]                        ; group_cols 2: two entries
        bra     glz{__N}
glb{__N}:
        ldg.u8  rz, [t2]                        ; group_cols >= 4: one entry
glz{__N}:
        s2r     t1, arg(ARG_ADDR_SCALES)
        .for    i, 0, S / 32
        addi    t2, lane, 32 * i                ; column
        shr     t2, t2, lg
        add     t2, t2, eb
        shli    t2, t2, 1
        add     t2, t2, t1
        ldg.u16 r(SCP + i), [t2]
        .endfor
        .endm

; acc = +0.0
.if ACC_SMEM
        li      r8, 0
        li      r9, 0
        li      r10, 0
        li      r11, 0
        .for    j, 0, NACC / 4
        sts.128 [acco + 16 * j], r8
        .endfor
.else
        .for    j, 0, NACC
        mov     r(AB + j), r0
        .endfor
.endif
        li      k0, 0
        li      kcur, 0
        li      kn, 0
        PREFETCH                                ; chunk 0
        bz      has, stage0
        ldg.128 r(RB), [wb]                     ; B of step 0
        GROUP_LOAD                              ; group 0
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
compute:
        sub     t0, kk, k0
        shri    t0, t0, 4
        mini    steps, t0, KC / 16
        shli    t0, lane, 4
        add     aptr, abuf, t0
step:
        seq     gst, gleft, gsteps
        bz      gst, no_fix
        ; group start: spread the raw zero-point bytes to one byte per column
        s2r     t0, arg(ARG_FLAGS)
        andi    t0, t0, FLAG_SYMMETRIC
        bnz     t0, no_fix
        bz      lg, no_fix
        slti    t0, lg, 2
        bz      t0, fix_one
        unpk    rz, rz, 0, 8                    ; (z0, z1) -> z0 z0 z1 z1
        muli    rz, rz, 0x0101
        bra     no_fix
fix_one:
        muli    rz, rz, 0x01010101              ; z -> z z z z
no_fix:
        lds.128 r(RA), [aptr]
        bnz     gst, mma_z
.if KPACKED
        kmma    r(PB), r(RA), r(RB), rz, BITS
.else
        pmma    r(PB), r(RA), r(RB), rz, BITS
.endif
        bra     mma_done
mma_z:
.if KPACKED
        kmma.z  r(PB), r(RA), r(RB), rz, BITS
.else
        pmma.z  r(PB), r(RA), r(RB), rz, BITS
.endif
mma_done:
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
        addi    t0, kcur, 16
        slt     t0, t0, kk
        bz      t0, no_next_b
        add     wb, wb, wstep
        ldg.128 r(RB), [wb]                     ; B of the next step
no_next_b:
        addi    gleft, gleft, -1
        bnz     gleft, no_group_end

; group end: acc = RN32(acc + RN32(p * s)), s staged as FP32 in the warp's region
        .for    i, 0, S / 32
        h2f     t2, r(SCP + i)
.if ACC_SMEM
        andi    t3, lane, 3                     ; column lane + 32 i goes to slot 4 (lane / 4) + i,
        muli    t3, t3, 4 - SLOT                ; byte 4 (lane % 4): acco - 268 (lane % 4) + 272 i - 16
        add     t3, t3, acco                    ; (the same three operations for every i keep h2f's
        sts     [t3 + SLOT * i - 16], t2        ; latency covered)
.else
        addi    t3, lane, 32 * i
        shli    t3, t3, 2
        add     t3, t3, wreg
        sts     [t3], t2
.endif
        .endfor
        mov     gleft, gsteps
        li      t0, S
        shr     t0, t0, lg
        add     eb, eb, t0                      ; entries of the next group
        addi    t0, kcur, 16
        slt     t0, t0, kk
        bz      t0, last_group
        GROUP_LOAD                              ; the next group's zero points and scales
last_group:
.if ACC_SMEM
        .for    j, 0, NACC / 4
        lds.128 r8, [sofs + SLOT * (4 * (j % 8) + j / 8)]     ; scales of columns 4j .. 4j+3 of the half
        lds.128 r38, [acco + 16 * j]            ; acc (t4 .. t7)
        .for    q, 0, 4
        fmac    r(38 + q), r(PB + 4 * j + q), r(8 + q)
        .endfor
        sts.128 [acco + 16 * j], r38
        .endfor
.else
        .for    j, 0, NACC / 4
        lds.128 r(8 + 30 * (j % 2)), [sofs + 16 * j]     ; scales, alternately r8 .. r11 and t4 .. t7
        .for    q, 0, 4
        fmac    r(AB + 4 * j + q), r(PB + 4 * j + q), r(8 + 30 * (j % 2) + q)
        .endfor
        .endfor
.endif
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
.if ACC_SMEM
        .for    j, 0, NACC / 4
        lds.128 r(PB + 4 * j), [acco + 16 * j]
        .endfor
        .equ    OB, PB
.else
        .equ    OB, AB
.endif
        .reg    rowok, r23
        .reg    nn, r24
        .reg    col0, r25
        .reg    e0, r26
        .reg    cb, r27
        s2r     t0, tile_y
        shli    t0, t0, 4
        shri    t1, lane, 1
        add     t0, t0, t1                      ; row of this lane
        s2r     t1, arg(ARG_M)
        slt     rowok, t0, t1
        s2r     nn, arg(ARG_N)
        andi    t3, lane, 1
        muli    t3, t3, NACC
        muli    t4, strip, S
        add     col0, t4, t3                    ; first column of this lane
        mul     t5, t0, nn
        add     e0, t5, col0                    ; element index of (row, col0)
        s2r     cb, arg(ARG_ADDR_C)
        s2r     t6, arg(ARG_FLAGS)
        andi    t6, t6, FLAG_OUT_F32
        bnz     t6, out32
        andi    t7, nn, 7
        bnz     t7, slow
        shli    t0, e0, 1
        add     t0, t0, cb
        .for    c, 0, CPW                       ; 8 FP16 columns per store
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
        .for    c, 0, 2 * CPW                   ; 4 FP32 columns per store
        addi    t1, col0, 4 * c
        slt     t1, t1, nn
        and     t1, t1, rowok
        setmask t1
        stg.128 [t0 + 16 * c], r(OB + 4 * c)
        unmask
        .endfor
        exit

; N not a multiple of the store width: one element at a time from the lane's dump slots
slow:
.if ACC_SMEM == 0
        .for    j, 0, NACC / 4
        sts.128 [acco + 16 * j], r(OB + 4 * j)
        .endfor
.endif
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
