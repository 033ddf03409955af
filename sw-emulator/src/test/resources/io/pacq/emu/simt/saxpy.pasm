; saxpy: y[i] = RN32(a * x[i] + b[i]) for i < n, FP32, one element per lane.
; ARG0 = n, ARG1 = a (FP32 bits), ARG2 = &x, ARG3 = &b, ARG4 = &y.
; Warp g of the grid (g = tile * NWARPS + warp) handles elements 32g .. 32g+31, then steps by
; 32 * (warps in the grid). The loop test is uniform per warp; the tail uses the active mask.
        .reg    n, r1
        .reg    a, r2
        .reg    x, r3
        .reg    b, r4
        .reg    y, r5
        .reg    base, r6
        .reg    stride, r8
        .reg    lid, r9
        s2r     n, arg0
        s2r     a, arg1
        s2r     x, arg2
        s2r     b, arg3
        s2r     y, arg4
        s2r     base, tile_y
        s2r     r7, ntiles_x
        mul     base, base, r7
        s2r     r7, tile_x
        add     base, base, r7          ; tile index
        s2r     r7, nwarps
        mul     base, base, r7
        s2r     r10, warp
        add     base, base, r10         ; warp index in the grid
        shli    base, base, 5
        s2r     stride, ntiles_y
        s2r     r10, ntiles_x
        mul     stride, stride, r10
        mul     stride, stride, r7
        shli    stride, stride, 5       ; 32 * warps in the grid
        s2r     lid, lane
loop:   sltu    r10, base, n
        bz      r10, done
        add     r11, base, lid          ; i
        sltu    r12, r11, n
        setmask r12                     ; lanes with i < n
        shli    r13, r11, 2
        add     r14, r13, x
        ldg     r15, [r14]
        add     r14, r13, b
        ldg     r16, [r14]
        ffma    r16, a, r15             ; r16 = RN32(a * x + b)
        add     r14, r13, y
        stg     [r14], r16
        unmask
        add     base, base, stride
        bra     loop
done:   exit
