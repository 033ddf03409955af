package io.pacq.emu.simt;

import io.pacq.CommandStats;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The timing model of docs/simt.md, section 6, on small programs whose cycle counts and
 * counters are worked out by hand in the comments (default machine parameters: device memory
 * 32 B/cycle, so a transaction occupies the channel OCC = 2 cycles, latency LAT = 40;
 * TILE_LAUNCH_CYCLES = 4, CMD_OVERHEAD_CYCLES = 64). The RTL must reproduce every number.
 *
 * <p>CYCLES = 64 + program load + kernel cycles; program load = ceil(words / 8) * 2 + 40.
 * "@c" marks the cycle an instruction issues.
 */
class TimingTest {
    private static final SimtConfig ONE = SimtConfig.DEFAULTS.withCores(1).withWarps(1);

    private static long load(int words) {
        return (words + 7) / 8 * 2 + 40;
    }

    @Test
    void dependentAluInstructionsIssueBackToBack() {
        CommandStats s = new SimtRig(ONE).run("""
                s2r  r1, lane        ; @4 (tile starts at 0, first issue at 4)
                addi r2, r1, 1       ; @5 (r1 ready at 5)
                addi r3, r2, 1       ; @6
                exit                 ; @7 -> tile ends at 8
                """);
        assertEquals(64 + load(4) + 8, s.cycles());
        assertEquals(4, s.instructions());
        assertEquals(64, s.rfReads());        // two addi x 32 lanes
        assertEquals(96, s.rfWrites());       // three destinations x 32
        assertEquals(0, s.stallDep() + s.stallMem() + s.stallUnit() + s.stallBarrier());
    }

    @Test
    void fpuLatencyStallsADependentInstruction() {
        CommandStats s = new SimtRig(ONE).run("""
                li   r1, 0x3F800000  ; @4
                fadd r2, r1, r1      ; @5, r2 ready at 9
                fadd r3, r2, r2      ; @9; cycles 6, 7, 8 are DEP stalls
                exit                 ; @10 -> end 11
                """);
        assertEquals(64 + load(4) + 11, s.cycles());
        assertEquals(3, s.stallDep());
        assertEquals(64, s.addOps());
    }

    @Test
    void globalLoadLatency() {
        CommandStats s = new SimtRig(ONE).run("""
                li   r1, 0x1000      ; @4
                ldg  r2, [r1]        ; @5: every lane in one 64-byte block -> T = 1, starts 5, done 5+2+40 = 47
                addi r3, r2, 1       ; @47; cycles 6 .. 46 are MEM stalls (41)
                exit                 ; @48 -> end 49
                """);
        assertEquals(64 + load(4) + 49, s.cycles());
        assertEquals(41, s.stallMem());
        assertEquals(64, s.dmemReadBytes());
    }

    @Test
    void transactionsOccupyTheLsuAndTheChannel() {
        CommandStats s = new SimtRig(ONE).run("""
                s2r  r1, lane            ; @4
                shli r2, r1, 2           ; @5
                ldg  r3, [r2 + 0x1000]   ; @6: 128 bytes -> T = 2: tx0 starts 6 (channel free at 8), tx1 presented 7 starts 8 -> done 8+2+40 = 50; LSU busy until 8
                ldg  r4, [r2 + 0x2000]   ; @8 (7 is a MEM stall: LSU busy): tx0 at 8 starts 10, tx1 at 9 starts 12 -> done 12+2+40 = 54
                add  r5, r3, r4          ; @54; 9 .. 53 are MEM stalls (45)
                exit                     ; @55 -> end 56
                """);
        assertEquals(64 + load(6) + 56, s.cycles());
        assertEquals(46, s.stallMem());
        assertEquals(4 * 64, s.dmemReadBytes());
    }

    @Test
    void sharedMemoryLatency() {
        CommandStats s = new SimtRig(ONE).run("""
                s2r  r1, lane        ; @4
                shli r2, r1, 2       ; @5
                sts  [r2], r1        ; @6, LSU busy until 7
                lds  r3, [r2]        ; @7, r3 ready at 11
                addi r4, r3, 1       ; @11; 8, 9, 10 are MEM stalls
                exit                 ; @12 -> end 13
                """);
        assertEquals(64 + load(6) + 13, s.cycles());
        assertEquals(3, s.stallMem());
        assertEquals(2 * 32 * 4, s.smemBytes());
    }

    @Test
    void multiPassStoreReplays() {
        CommandStats s = new SimtRig(ONE).run("""
                s2r  r1, lane        ; @4
                shli r2, r1, 9       ; @5: lane l at 512 l, bank 0, row l
                sts  [r2], r1        ; @6: 32 rows of bank 0 -> P = 32: replay 7 .. 37 (31 MEM stalls), LSU free at 38
                addi r3, r1, 1       ; @38 (independent of the store, but the core issues nothing before 38)
                exit                 ; @39 -> end 40
                """);
        assertEquals(64 + load(5) + 40, s.cycles());
        assertEquals(5, s.instructions());
        assertEquals(31, s.stallMem());
        assertEquals(0, s.stallDep() + s.stallUnit() + s.stallBarrier());
        assertEquals(32 * 4, s.smemBytes());
    }

    @Test
    void multiPassLoadIsReadyAfterItsReplay() {
        CommandStats s = new SimtRig(ONE).run("""
                s2r  r1, lane        ; @4
                shli r2, r1, 8       ; @5: lane l at 256 l: banks 0 and 16, rows 0 .. 15 each
                lds  r3, [r2]        ; @6: P = 16: replay 7 .. 21 (15 MEM stalls), LSU free at 22; r3 ready at 6 + 15 + 4 = 25
                lds  r4, [r0]        ; @22: the LSU is free again; P = 1 (one word for all lanes), r4 ready at 26
                addi r5, r3, 1       ; @25: 23, 24 are MEM stalls (r3 pending from a load)
                addi r6, r4, 1       ; @26
                exit                 ; @27 -> end 28
                """);
        assertEquals(64 + load(7) + 28, s.cycles());
        assertEquals(7, s.instructions());
        assertEquals(15 + 2, s.stallMem());
        assertEquals(0, s.stallDep() + s.stallUnit() + s.stallBarrier());
        assertEquals(2 * 32 * 4, s.smemBytes());
    }

    @Test
    void noWarpIssuesDuringAReplay() {
        CommandStats s = new SimtRig(SimtConfig.DEFAULTS.withCores(1).withWarps(2)).run("""
                s2r  r1, lane        ; w0 @4, w1 @5
                s2r  r6, warp        ; w0 @6, w1 @7
                shli r2, r1, 9       ; w0 @8, w1 @9
                bnz  r6, skip        ; w0 @10 (falls through), w1 @11 (taken)
                sts  [r2], r1        ; w0 @12: P = 32, replay 13 .. 43: w1's exit is ready but waits (31 MEM stalls)
        skip:   exit                 ; w1 @44 (round robin after w0), w0 @45 -> end 46
                """);
        assertEquals(64 + load(6) + 46, s.cycles());
        assertEquals(6 + 5, s.instructions());
        assertEquals(31, s.stallMem());
        assertEquals(0, s.stallDep() + s.stallUnit() + s.stallBarrier());
    }

    @Test
    void replayHoldsOnlyItsOwnCore() {
        CommandStats s = new SimtRig(SimtConfig.DEFAULTS.withCores(2).withWarps(1)).runGrid("""
                s2r  r1, lane        ; @4 on both cores
                s2r  r6, core        ; @5
                muli r7, r6, 5       ; @6
                addi r7, r7, 4       ; @7: shift 4 on core 0, 9 on core 1
                shl  r2, r1, r7      ; @8
                sts  [r2], r1        ; @9: core 0 at 16 l, P = 1; core 1 at 512 l, P = 32: replay 10 .. 40 (31 MEM stalls)
                addi r3, r1, 1       ; core 0 @10, core 1 @41
                exit                 ; core 0 @11 (ends 12), core 1 @42 -> end 43
                """, 2, 1, 100_000);
        assertEquals(64 + load(8) + 43, s.cycles());
        assertEquals(2 * 8, s.instructions());
        assertEquals(31, s.stallMem());
    }

    @Test
    void passesCountOnlyActiveLanes() {
        CommandStats s = new SimtRig(ONE).run("""
                s2r  r1, lane        ; @4
                shli r2, r1, 9       ; @5
                slti r3, r1, 5       ; @6
                setmask r3           ; @7: lanes 0 .. 4 active
                lds  r4, [r2]        ; @8: 5 rows of bank 0 -> P = 5: replay 9 .. 12, LSU free at 13, r4 ready at 8 + 4 + 4 = 16
                setmask r0           ; @13: no lane active
                sts  [r2], r1        ; @14: no active lane -> P = 1, no replay
                unmask               ; @15
                addi r5, r4, 1       ; @16 (r4 ready): no stall
                exit                 ; @17 -> end 18
                """);
        assertEquals(64 + load(10) + 18, s.cycles());
        assertEquals(10, s.instructions());
        assertEquals(4, s.stallMem());
        assertEquals(0, s.stallDep() + s.stallUnit() + s.stallBarrier());
        assertEquals(5 * 4, s.smemBytes());
    }

    @Test
    void matrixUnitBusyAndDrain() {
        CommandStats s = new SimtRig(ONE).run("""
                hmma.z r8, r0, r0    ; @4: unit busy until 68, r8 .. r15 ready at 72
                hmma.z r16, r0, r0   ; @68: 5 .. 67 are UNIT stalls (63)
                addi   r30, r8, 0    ; @72: 69, 70, 71 are DEP stalls
                exit                 ; @73 -> end 74 (a matrix instruction in flight does not hold the tile)
                """);
        assertEquals(64 + load(4) + 74, s.cycles());
        assertEquals(63, s.stallUnit());
        assertEquals(3, s.stallDep());
        assertEquals(2 * 4096, s.mulOps());
        // A = r0..r3 and B = r0..r3: r1..r3 twice = 6 registers x 32 lanes per hmma, plus addi
        assertEquals(2 * 6 * 32 + 32, s.rfReads());
        assertEquals(2 * 8 * 32 + 32, s.rfWrites());
    }

    @Test
    void matrixSourcesAreLockedWhileTheUnitIsBusy() {
        CommandStats s = new SimtRig(ONE).run("""
                pmma.z r64, r8, r12, r16, 4  ; @4: busy 64 cycles, sources locked until 68
                li     r9, 1                 ; @68 (writes a locked A register): 5 .. 67 DEP
                exit                         ; @69 -> end 70
                """);
        assertEquals(64 + load(3) + 70, s.cycles());
        assertEquals(63, s.stallDep());
        assertEquals(4096 * 4, s.mulOps());
    }

    @Test
    void pmmaInt2AndKmmaBusyTimes() {
        // PMMA INT2: 32768 accumulations / 256 adders = 128 cycles; KMMA INT4: 64 * 4 = 256 cycles
        CommandStats s = new SimtRig(ONE).run("""
                pmma.z r64, r8, r12, r16, 2   ; @4, unit free at 132
                kmma.z r32, r8, r12, r16, 4   ; @132, unit free at 388
                kmma.z r32, r8, r12, r16, 8   ; WAW on r32 .. r39: ready at 388 + 4 = 392 -> @392 (unit free at 388)
                exit                          ; @393 -> end 394
                """);
        assertEquals(64 + load(4) + 394, s.cycles());
        assertEquals(127 + 255, s.stallUnit());   // 5 .. 131 and 133 .. 387
        assertEquals(4, s.stallDep());            // 388 .. 391
    }

    @Test
    void warpsIssueRoundRobin() {
        CommandStats s = new SimtRig(SimtConfig.DEFAULTS.withCores(1).withWarps(2)).run("""
                s2r  r1, warp        ; w0 @4, w1 @5
                addi r2, r1, 1       ; w0 @6, w1 @7
                exit                 ; w0 @8, w1 @9 -> end 10
                """);
        assertEquals(64 + load(3) + 10, s.cycles());
        assertEquals(6, s.instructions());
    }

    @Test
    void barrierWaitsForEveryLiveWarp() {
        CommandStats s = new SimtRig(SimtConfig.DEFAULTS.withCores(1).withWarps(2)).run("""
                s2r  r1, warp            ; w0 @4, w1 @5
                bnz  r1, late            ; w0 @6 (falls through), w1 @7 (taken)
                bar                      ; w0 @8, waits
                exit                     ; w0 @16
        late:   li   r3, 0x3F800000      ; w1 @9
                fadd r4, r3, r3          ; w1 @10, ready 14
                fadd r5, r4, r4          ; w1 @14; 11, 12, 13: w0 at the barrier, w1 DEP -> BARRIER stalls
                bar                      ; w1 @15: both continue from 16
                exit                     ; w1 @17 -> end 18
                """);
        assertEquals(64 + load(9) + 18, s.cycles());
        assertEquals(11, s.instructions());
        assertEquals(3, s.stallBarrier());
        assertEquals(0, s.stallDep());
    }

    @Test
    void exitCountsAsBarrierArrival() {
        CommandStats s = new SimtRig(SimtConfig.DEFAULTS.withCores(1).withWarps(2)).run("""
                s2r  r1, warp        ; w0 @4, w1 @5
                bnz  r1, out         ; w0 @6, w1 @7 taken
                bar                  ; w0 @8: waits for w1 ...
                exit                 ; w0 @10
        out:    exit                 ; w1 @9: ... which exits: w0 continues from 10
                """);
        assertEquals(64 + load(5) + 11, s.cycles());
        assertEquals(7, s.instructions());
    }

    @Test
    void coresShareTheChannelInCoreOrder() {
        CommandStats s = new SimtRig(SimtConfig.DEFAULTS.withCores(2).withWarps(1)).runGrid("""
                li   r1, 0x1000      ; @4 on both cores
                ldg  r2, [r1]        ; @5: core 0 starts 5 (done 47), core 1 starts 7 (done 49)
                addi r3, r2, 1       ; core 0 @47, core 1 @49
                exit                 ; core 0 @48, core 1 @50 -> end 51
                """, 2, 1, 100_000);
        assertEquals(64 + load(4) + 51, s.cycles());
        assertEquals(41 + 43, s.stallMem());
    }

    @Test
    void inFlightLimit() {
        StringBuilder p = new StringBuilder("li r1, 0x1000\n");
        for (int i = 0; i < 9; i++) {
            p.append("ldg r").append(2 + i).append(", [r1 + ").append(64 * i).append("]\n");
        }
        p.append("exit\n");
        // loads @5 .. @12 start 5, 7, .. 19 (done 47, 49, .. 61); the 9th waits until 47, when the
        // first completes (13 .. 46 MEM stalls: 34), starts 47 and completes 89; exit @48; end 89
        CommandStats s = new SimtRig(ONE).run(p.toString());
        assertEquals(64 + load(11) + 89, s.cycles());
        assertEquals(34, s.stallMem());
    }

    @Test
    void tilesRunInOrderOnTheirCores() {
        String prog = "s2r r1, tile_x\nexit\n";   // a tile takes 6 cycles: issue @s+4, @s+5, ends s+6
        assertEquals(64 + load(2) + 18, new SimtRig(ONE).runGrid(prog, 3, 1, 1000).cycles());
        // 2 cores: core 0 runs tiles 0 and 2 (ends 12), core 1 tile 1 (ends 6)
        assertEquals(64 + load(2) + 12, new SimtRig(SimtConfig.DEFAULTS.withCores(2).withWarps(1)).runGrid(prog, 3, 1, 1000).cycles());
        // more cores than tiles: the idle cores do nothing
        assertEquals(64 + load(2) + 6, new SimtRig(SimtConfig.DEFAULTS.withCores(4).withWarps(1)).runGrid(prog, 1, 1, 1000).cycles());
    }

    @Test
    void memoryParametersScaleTheChannel() {
        // 64 B/cycle: OCC = 1; latency 10: done 5 + 1 + 10 = 16
        SimtConfig c = new SimtConfig(1, 1, 1, 64 << 10, 10, 64);
        CommandStats s = new SimtRig(c).run("li r1, 0x1000\nldg r2, [r1]\naddi r3, r2, 1\nexit");
        long load = 1 * 1 + 10;
        assertEquals(64 + load + 18, s.cycles());   // addi @16, exit @17, end 18
    }
}
