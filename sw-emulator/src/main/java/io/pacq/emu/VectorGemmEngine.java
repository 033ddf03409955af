package io.pacq.emu;

import io.pacq.CommandStats;
import io.pacq.GemmMode;
import io.pacq.abi.Abi;
import io.pacq.fp.Fp16;
import io.pacq.quant.KPackedWeights;
import io.pacq.quant.PackedWeights;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

/**
 * The fast functional GEMM engine, on the Vector API. Bit-exact to the numerics contract: for
 * every output element the order over k and over groups is the contract's; vectors run across
 * output columns only (never across k), so there is no reduction reordering.
 *
 * <h2>How it works</h2>
 * Work is cut into tasks of one weight strip (S columns) and a range of rows of A; tasks run in
 * parallel on the engine's pool. A task walks K in chunks of at most {@link #KC} rows, aligned to
 * the quantization groups:
 * <ol>
 *   <li><b>decode</b> the chunk's codes once into a float buffer: {@code d = q - z} (exact), or
 *       {@code w = RN16(d * s)} in DEQUANT mode, for all S columns of the strip;</li>
 *   <li><b>multiply</b> by register blocks of 4 rows of A x 4 vectors of columns: each decoded
 *       weight vector is loaded once per block and used by 4 rows, each activation is broadcast
 *       and used by 4 vectors; per element this is {@code p = fma(A, d, p)} in ascending k;</li>
 *   <li>at the end of a group: {@code acc = acc + RN32(p * s)} (a multiply then an add, never an
 *       FMA); partial sums of a group longer than a chunk are kept in a buffer between chunks.</li>
 * </ol>
 * Tasks of one or two rows (GEMV-like) skip the buffer: each strip row is decoded in registers
 * right before its FMAs, and in PACQ two consecutive groups run at once (their partial sums are
 * independent chains; the two scale steps are applied in group order), which hides the FMA
 * latency that bounds a single chain. Weight words are loaded straight from the device-memory
 * pages ({@code short[]}); scales and zeros come from per-weight-array tables built once and
 * cached (see {@link #build}, which also explains why fields are masked in place, not shifted).
 *
 * <h2>Column order</h2>
 * One strip row of the device layout is 16 u16 words. Loaded as L lanes (L = 16 with 512-bit
 * vectors, 8 with 256-bit ones), lane i of half h holds the codes of columns
 * {@code cpw * (L*h + i) + j}, j = 0 .. cpw-1 (cpw = 16/bits codes per word). Decoding field j of
 * every lane gives the vector {@code v = h*cpw + j} of those columns: a fixed permutation of the
 * strip's columns that the buffers, scales, zeros and accumulators all share; it is undone when
 * C is written. In the K-packed layout a word holds rows, so lanes are columns in natural order.
 *
 * <pre>
 *  INT4, L = 16, one strip row (32 bytes):  word i = | q[4i+3] | q[4i+2] | q[4i+1] | q[4i+0] |
 *  vector j (j = 0..3) = columns { j, 4+j, 8+j, ..., 60+j }
 * </pre>
 *
 * <p>Codes become exact floats without a conversion instruction: {@code q | 0x4B000000} is the
 * float {@code 2^23 + q}, and subtracting the float {@code 2^23 + z} gives {@code q - z} exactly.
 * DEQUANT's {@code RN16} is done lane-wise with integer operations (see {@link #rn16}).
 *
 * <p>Thread-safe: commands may run concurrently (each task has its own buffers).
 */
final class VectorGemmEngine implements GemmEngine {
    private static final Logger log = LoggerFactory.getLogger(VectorGemmEngine.class);

    /** Vector width in bits, 512 or 256: the widest the machine prefers, or -Dpacq.emu.vector.bits. */
    static final int VECTOR_BITS = Integer.getInteger("pacq.emu.vector.bits",
            FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512 ? 512 : 256);
    static final VectorSpecies<Float> F = VECTOR_BITS == 512 ? FloatVector.SPECIES_512 : FloatVector.SPECIES_256;
    static final VectorSpecies<Integer> I = VECTOR_BITS == 512 ? IntVector.SPECIES_512 : IntVector.SPECIES_256;
    /** L u16 words: half the float vector's bits. */
    static final VectorSpecies<Short> S = VECTOR_BITS == 512 ? ShortVector.SPECIES_256 : ShortVector.SPECIES_128;
    /** Float lanes per vector. */
    static final int L = F.length();
    /** Loads of L words per strip row. */
    static final int H = Abi.STRIP_WORDS / L;
    /** Rows of K decoded per chunk (a multiple of 16, the group granularity). */
    static final int KC = Integer.getInteger("pacq.emu.vector.kc", 128) / 16 * 16;
    /** Tasks with at most this many rows decode in registers instead of through a buffer. */
    static final int FUSED_MAX_ROWS = Integer.getInteger("pacq.emu.vector.fusedRows", 2);
    private static final int STRIP_ROW_BYTES = Abi.STRIP_WORDS * 2;
    /** Bits of the float 2^23: OR-ed onto a small integer q it gives the float 2^23 + q. */
    private static final int MAGIC = 0x4B000000;
    private static final float MAGIC_F = 0x1p23f;

    static {
        if (VECTOR_BITS != 512 && VECTOR_BITS != 256) {
            throw new IllegalStateException("pacq.emu.vector.bits must be 256 or 512, got " + VECTOR_BITS);
        }
        if (KC < 16) {
            throw new IllegalStateException("pacq.emu.vector.kc must be at least 16, got " + KC);
        }
        log.debug("vector engine: {}-bit vectors ({} float lanes), chunk {} rows", VECTOR_BITS, L, KC);
    }

    private final ForkJoinPool pool;
    private final int threads;

    /** An engine running on {@code threads} worker threads. */
    VectorGemmEngine(int threads) {
        this.threads = threads;
        this.pool = new ForkJoinPool(threads);
    }

    /**
     * Why the vector engine should not be the default on this machine, or null when it should:
     * it needs vectors of at least 256 bits executed natively and little-endian lanes.
     */
    static String unsuitedHardware() {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            return "the platform is big-endian";
        }
        int pref = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        if (pref < 256) {
            return "the preferred vector size is only " + pref + " bits";
        }
        return null;
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public void close() {
        pool.shutdown();
    }

    @Override
    public CommandStats run(GemmCommand c, DeviceMemory mem, BooleanSupplier aborted) {
        float[] a = PlainGemmEngine.readActivations(c, mem);
        Plan plan = new Plan(c);
        GroupTables tables = tables(plan, mem);
        int strips = PackedWeights.strips(c.n(), c.bits());
        // split rows too when there are fewer strips than threads, in whole register blocks;
        // a problem too small to pay for waking the pool runs on the caller's thread
        boolean small = (long) c.m() * c.n() * c.k() < INLINE_MACS;
        int rowParts = small ? 1 : Math.max(1, Math.min((threads + strips - 1) / strips, (c.m() + 3) / 4));
        int rowsPer = (c.m() + rowParts - 1) / rowParts;
        int tasks = strips * rowParts;
        boolean inline = tasks == 1 || small;
        IntStream range = inline ? IntStream.range(0, tasks) : IntStream.range(0, tasks).parallel();
        Runnable all = () -> range.forEach(t -> {
            if (!aborted.getAsBoolean()) {
                int r0 = (t % rowParts) * rowsPer;
                int rows = Math.min(rowsPer, c.m() - r0);
                if (rows > 0) {
                    new Task(plan, tables, mem, a, t / rowParts, r0, rows, aborted).run();
                }
            }
        });
        if (inline) {
            all.run();
        } else {
            pool.submit(all).join();
        }
        return FunctionalCounters.of(c);
    }

    // ----------------------------------------------------------------- group tables and cache

    /**
     * Scales and zero points of every group of every strip as floats in position order, ready
     * for the kernels: [(strip * groups + group) * S + position]. See {@link #build} for the
     * scaling of fields taken in place. Built from the raw bytes it keeps, which decide whether a
     * cached table is still valid: device memory is compared byte for byte with them before use,
     * so a table can never be stale whoever wrote the memory. Immutable.
     */
    record GroupTables(float[] sv, float[] zm, short[] rawScales, short[] rawZeros) {
        long bytes() {
            return 4L * (sv.length + zm.length) + 2L * (rawScales.length + (rawZeros == null ? 0 : rawZeros.length));
        }
    }

    /** What a table depends on besides the raw bytes. */
    private record TableKey(long addrScales, long addrZeros, boolean symmetric, boolean kpacked, int bits, int k,
                            int n, int groupSize, int groupCols) {}

    /** Upper bound of the bytes the table cache holds (least recently used tables go first). */
    static final long CACHE_BYTES = Long.getLong("pacq.emu.vector.tableCacheBytes", 256L << 20);

    private final LinkedHashMap<TableKey, GroupTables> cache = new LinkedHashMap<>(16, 0.75f, true);
    private long cachedBytes;

    private GroupTables tables(Plan plan, DeviceMemory mem) {
        GemmCommand c = plan.c;
        TableKey key = new TableKey(c.addrScales(), c.symmetric() ? 0 : c.addrZeros(), c.symmetric(),
                c.mode() == GemmMode.KPACKED, c.bits(), c.k(), c.n(), c.groupSize(), c.groupCols());
        GroupTables t;
        synchronized (cache) {
            t = cache.get(key);
        }
        if (t != null && mem.wordsEqual(c.addrScales(), t.rawScales())
                && (c.symmetric() || mem.wordsEqual(c.addrZeros(), t.rawZeros()))) {
            return t;
        }
        t = build(plan, mem);
        if (t.bytes() <= CACHE_BYTES) {
            synchronized (cache) {
                cache.put(key, t);
                cachedBytes = 0;
                for (GroupTables x : cache.values()) {
                    cachedBytes += x.bytes();
                }
                var it = cache.entrySet().iterator();
                while (cachedBytes > CACHE_BYTES && it.hasNext()) {
                    GroupTables old = it.next().getValue();
                    if (old != t) {
                        cachedBytes -= old.bytes();
                        it.remove();
                    }
                }
            }
        }
        return t;
    }

    /**
     * Builds the tables. In the N-packed layouts a code field at bit offset f of its word is
     * masked but not shifted, so it reads as q * 2^f: the zero is stored as 2^23 + z * 2^f (the
     * decoded value is then d' = d * 2^f, exact) and the scale as s * 2^-f (exact: s * 2^-f is at
     * least 2^-24 * 2^-14, a normal float). Every FP32 step of the contract on d' yields exactly
     * 2^f times the step on d (scaling by a power of two commutes with rounding, and nothing
     * overflows: |p'| < 2^16 * 2^8 * 2^20 * 2^14), and p' * s' = p * s, so the bits are the
     * contract's. K-packed words hold rows, not columns, so there f = 0 and codes are shifted.
     */
    private GroupTables build(Plan plan, DeviceMemory mem) {
        GemmCommand c = plan.c;
        int strips = PackedWeights.strips(c.n(), c.bits());
        int entries = Math.toIntExact(c.groupEntries());
        // raw words as the memory holds them (zeros rounded up to a whole word: the extra byte is
        // compared too, which can only make the validity check stricter)
        short[] rawScales = new short[entries];
        mem.readShorts(c.addrScales(), rawScales, 0, entries);
        short[] rawZeros = null;
        if (!c.symmetric()) {
            rawZeros = new short[(entries + 1) / 2];
            mem.readShorts(c.addrZeros(), rawZeros, 0, rawZeros.length);
        }
        int sc = plan.sc;
        int groups = plan.groups;
        int per = plan.perStrip;
        float[] sv = new float[strips * groups * sc];
        float[] zm = new float[sv.length];
        int[] entryAt = plan.entryAt;
        int[] shift = plan.fieldShift;
        float[] unshift = plan.fieldScale;
        int symZero = 1 << (plan.bits - 1);
        float[] sNat = new float[per];
        int[] zNat = new int[per];
        for (int sg = 0; sg < strips * groups; sg++) {   // (strip, group) entries are consecutive
            int e0 = sg * per;
            for (int e = 0; e < per; e++) {
                int i = e0 + e;
                sNat[e] = Fp16.toFloat(rawScales[i]);
                zNat[e] = rawZeros == null ? symZero : (rawZeros[i >>> 1] >>> ((i & 1) * 8)) & 0xFF;
            }
            int base = sg * sc;
            for (int pos = 0; pos < sc; pos++) {
                sv[base + pos] = sNat[entryAt[pos]] * unshift[pos];
                zm[base + pos] = MAGIC_F + (zNat[entryAt[pos]] << shift[pos]);
            }
        }
        return new GroupTables(sv, zm, rawScales, rawZeros);
    }

    /** What every task of one command shares: the column order of a strip and its group entries. */
    static final class Plan {
        final GemmCommand c;
        final int bits;
        final int cpw;
        final int sc;
        /** Strip column of each position (lane order of the decoded vectors). */
        final int[] colAt;
        /** Group entry (index among the strip's S/gn scales of a group) of each position. */
        final int[] entryAt;
        /** Bit offset f of each position's field in its word (N-packed; 0 for K-packed). */
        final int[] fieldShift;
        /** 2^-f of each position, exact. */
        final float[] fieldScale;
        final int perStrip;
        final int groups;

        Plan(GemmCommand c) {
            this.c = c;
            this.bits = c.bits();
            this.cpw = PackedWeights.colsPerWord(bits);
            this.sc = PackedWeights.stripCols(bits);
            this.colAt = new int[sc];
            this.entryAt = new int[sc];
            this.fieldShift = new int[sc];
            this.fieldScale = new float[sc];
            for (int pos = 0; pos < sc; pos++) {
                int col;
                if (c.mode() == GemmMode.KPACKED) {
                    col = pos;
                } else {
                    int v = pos / L;
                    int i = pos % L;
                    int h = v / cpw;
                    int j = v % cpw;
                    col = cpw * (L * h + i) + j;
                    fieldShift[pos] = j * bits;
                }
                colAt[pos] = col;
                entryAt[pos] = col / c.groupCols();
                fieldScale[pos] = Math.scalb(1f, -fieldShift[pos]);
            }
            this.perStrip = sc / c.groupCols();
            this.groups = c.k() / c.groupSize();
        }
    }

    /** Problems with fewer multiply-adds than this run on the calling thread (about 100 us of work). */
    static final long INLINE_MACS = 1L << 22;

    /** Rows of a strip the few-rows path takes at a time when a group is longer. */
    static final int SPAN = 1024;

    /** Per-thread scratch for strip words that straddle a page, reused across tasks of that thread. */
    private static final ThreadLocal<short[][]> SCRATCH = ThreadLocal.withInitial(() -> new short[1][0]);

    /** One strip x a range of rows. Not thread-safe; one thread runs it. */
    private static final class Task {
        private final Plan plan;
        private final GemmCommand c;
        private final DeviceMemory mem;
        private final float[] a;
        private final int strip;
        private final int r0;
        private final int rows;
        private final BooleanSupplier aborted;
        private final int sc;
        private final int k;
        private final int g;
        /** The command's tables; this strip's group G starts at (strip * groups + G) * sc. */
        private final float[] sv;
        private final float[] zm;
        private final int tableBase;
        /** The words {@link #words} made available last. */
        private short[] span;

        Task(Plan plan, GroupTables tables, DeviceMemory mem, float[] a, int strip, int r0, int rows,
             BooleanSupplier aborted) {
            this.plan = plan;
            this.c = plan.c;
            this.mem = mem;
            this.a = a;
            this.strip = strip;
            this.r0 = r0;
            this.rows = rows;
            this.aborted = aborted;
            this.sc = plan.sc;
            this.k = c.k();
            this.g = c.groupSize();
            this.sv = tables.sv();
            this.zm = tables.zm();
            this.tableBase = strip * plan.groups * sc;
        }

        /**
         * Makes rows k0..k1-1 of this strip's N-packed words available in {@link #span} and
         * returns the index of row k0 in it: the device-memory page itself when the rows lie in
         * one page (the usual case: a strip row is 32 bytes and never straddles a page), else a
         * per-thread copy.
         */
        private int words(int k0, int k1) {
            long addr = c.addrW() + ((long) strip * k + k0) * STRIP_ROW_BYTES;
            if ((long) (k1 - k0) * STRIP_ROW_BYTES <= DeviceMemory.PAGE_BYTES - DeviceMemory.pageOffset(addr)) {
                span = mem.wordsForRead(addr);
                return DeviceMemory.wordIndex(addr);
            }
            short[][] holder = SCRATCH.get();
            if (holder[0].length < (k1 - k0) * Abi.STRIP_WORDS) {
                holder[0] = new short[(k1 - k0) * Abi.STRIP_WORDS];
            }
            span = holder[0];
            mem.readShorts(addr, span, 0, (k1 - k0) * Abi.STRIP_WORDS);
            return 0;
        }

        void run() {
            // DEQUANT decodes through the buffer: its RN16 does not fit the fused kernel (see decodeRn16)
            if (rows <= FUSED_MAX_ROWS && plan.cpw >= 4 && c.mode() == GemmMode.PACQ) {
                runFused();
                return;
            }
            boolean dequant = c.mode() == GemmMode.DEQUANT;
            int chunk = g <= KC ? (KC / g) * g : KC;
            float[] dbuf = new float[chunk * sc];
            float[] acc = new float[rows * sc];
            float[] pbuf = g > KC ? new float[rows * sc] : null;
            short[] kbuf = c.mode() == GemmMode.KPACKED ? new short[sc] : null;
            for (int k0 = 0; k0 < k; ) {
                int k1 = g <= KC ? Math.min(k, k0 + chunk) : Math.min(k0 + KC, (k0 / g + 1) * g);
                int gz0 = tableBase + (k0 / g) * sc;
                if (c.mode() == GemmMode.KPACKED) {
                    decodeKPacked(k0, k1, gz0, dbuf, kbuf);
                } else {
                    decodeNPacked(k0, k1, gz0, dequant, dbuf);
                }
                if (dequant) {
                    multiply(k0, k0, k1, dbuf, acc, true, null, null, 0);
                } else {
                    for (int kA = k0; kA < k1; ) {
                        int grp = kA / g;
                        int kB = Math.min(k1, (grp + 1) * g);
                        boolean first = kA % g == 0;
                        boolean last = kB % g == 0;
                        // partial sums live in pbuf only while a group spans chunks
                        multiply(k0, kA, kB, dbuf, pbuf, !first, acc, last ? sv : null, tableBase + grp * sc);
                        kA = kB;
                    }
                }
                if (aborted.getAsBoolean()) {
                    return;
                }
                k0 = k1;
            }
            writeOutput(acc);
        }

        /**
         * The path for few rows (GEMV-like): decoding is not shared by enough rows to pay for a
         * buffer, so each strip row is decoded in registers and used at once. Per group, for each
         * row and block of 4 vectors: p = 0; p = fma(A, d, p) over the group's rows in ascending
         * k (continued across pieces through pbuf); acc = acc + p * s (DEQUANT: acc =
         * fma(A, RN16(d * s), acc) directly).
         */
        private void runFused() {
            boolean dequant = c.mode() == GemmMode.DEQUANT;
            int bits = plan.bits;
            int cpw = plan.cpw;
            int mask = (1 << bits) - 1;
            float[] acc = new float[rows * sc];
            float[] pbuf = g > SPAN && !dequant ? new float[rows * sc] : null;
            for (int kA = 0; kA < k; ) {
                int grp = kA / g;
                int gEnd = (grp + 1) * g;
                if (!dequant && g <= SPAN && gEnd + g <= k) {
                    // two groups at once: their partial sums are independent chains (the FMA
                    // latency, not the decoding, bounds a single chain), and the two scale steps
                    // are applied in group order
                    int w0 = words(kA, gEnd + g);
                    int gz = tableBase + grp * sc;
                    for (int r = 0; r < rows; r++) {
                        int ai = (r0 + r) * k + kA;
                        for (int v0 = 0; v0 < sc / L; v0 += 4) {
                            int wo = w0 + (v0 / cpw) * L;
                            fusedPair(span, wo, wo + g * Abi.STRIP_WORDS, mask << ((v0 % cpw) * bits), bits, g, a, ai,
                                    ai + g, zm, sv, gz + v0 * L, gz + sc + v0 * L, acc, r * sc + v0 * L);
                        }
                    }
                    if ((grp & 7) >= 6 && aborted.getAsBoolean()) {
                        return;
                    }
                    kA = gEnd + g;
                    continue;
                }
                int kB = g <= SPAN ? gEnd : Math.min(gEnd, kA + SPAN); // pieces of a group only when g > SPAN
                int w0 = words(kA, kB);
                boolean first = kA == grp * g;
                boolean last = kB == gEnd;
                int gz = tableBase + grp * sc;
                for (int r = 0; r < rows; r++) {
                    int ai = (r0 + r) * k + kA;
                    for (int v0 = 0; v0 < sc / L; v0 += 4) {
                        int o = r * sc + v0 * L;
                        float[] st = dequant ? acc : pbuf;
                        fused4(span, w0 + (v0 / cpw) * L, mask << ((v0 % cpw) * bits), bits, kB - kA, a, ai, zm, sv,
                                gz + v0 * L, dequant, !dequant && first, st, o, dequant || last ? acc : null);
                    }
                }
                if ((grp & 7) == 7 && aborted.getAsBoolean()) {
                    return;
                }
                kA = kB;
            }
            writeOutput(acc);
        }

        /** Decodes rows k0..k1-1 of the N-packed strip into dbuf [k - k0][sc]: d', or RN16(d' * s') in DEQUANT. */
        private void decodeNPacked(int k0, int k1, int gz0, boolean dequant, float[] dbuf) {
            int bits = plan.bits;
            int cpw = plan.cpw;
            int mask = (1 << bits) - 1;
            int w0 = words(k0, k1);
            for (int kA = k0; kA < k1; ) {               // one group at a time: one set of zeros
                int kB = Math.min(k1, (kA / g + 1) * g);
                int gz = gz0 + (kA / g - k0 / g) * sc;
                int wRow = w0 + (kA - k0) * Abi.STRIP_WORDS;
                int dRow = (kA - k0) * sc;
                for (int h = 0; h < H; h++) {
                    for (int j = 0; j < cpw; j += 4) {
                        int v = (h * cpw + j) * L;
                        if (cpw - j >= 4) {
                            decode4(span, wRow + h * L, kB - kA, mask << (j * bits), bits, zm, dequant ? sv : null,
                                    gz + v, dbuf, dRow + v, sc);
                        } else {
                            decode2(span, wRow + h * L, kB - kA, mask << (j * bits), bits, zm, dequant ? sv : null,
                                    gz + v, dbuf, dRow + v, sc);
                        }
                    }
                }
                kA = kB;
            }
        }

        /** Decodes rows k0..k1-1 of the K-packed layout for this strip's columns into dbuf. */
        private void decodeKPacked(int k0, int k1, int gz0, float[] dbuf, short[] kbuf) {
            int bits = plan.bits;
            int rpw = KPackedWeights.rowsPerWord(bits);
            int mask = (1 << bits) - 1;
            int np = KPackedWeights.paddedCols(c.n(), bits);
            for (int r = k0 / rpw; r < k1 / rpw; r++) {
                long addr = c.addrW() + ((long) r * np + (long) strip * sc) * 2;
                short[] src = kbuf;
                int si = 0;
                if (DeviceMemory.pageOffset(addr) + 2 * sc <= DeviceMemory.PAGE_BYTES) {
                    src = mem.wordsForRead(addr);     // in place unless the row straddles a page
                    si = DeviceMemory.wordIndex(addr);
                } else {
                    mem.readShorts(addr, kbuf, 0, sc);
                }
                int gz = gz0 + (r * rpw / g - k0 / g) * sc;
                for (int u = 0; u < sc; u += L) {
                    IntVector wi = (IntVector) ShortVector.fromArray(S, src, si + u).convertShape(VectorOperators.S2I, I, 0);
                    FloatVector z = FloatVector.fromArray(F, zm, gz + u);
                    for (int j = 0; j < rpw; j++) {
                        wi.lanewise(VectorOperators.LSHR, j * bits).and(mask).or(MAGIC).reinterpretAsFloats().sub(z)
                                .intoArray(dbuf, (r * rpw + j - k0) * sc + u);
                    }
                }
            }
        }

        /**
         * For every row of the task and position: p = (zero ? 0 : st) then p = fma(A[k], dbuf[k], p)
         * for k = kA..kB-1; then st = p (sv == null) or out = out + p * sv (the group's scale step).
         */
        private void multiply(int k0, int kA, int kB, float[] dbuf, float[] st, boolean load, float[] out,
                              float[] sv, int svBase) {
            int len = kB - kA;
            int di0 = (kA - k0) * sc;
            boolean zero = !load;
            int r = 0;
            for (; r + 4 <= rows; r += 4) {
                int ai = (r0 + r) * k + kA;
                for (int col = 0; col < sc; ) {
                    if (sc - col >= 4 * L) {
                        k4x4(a, ai, k, dbuf, di0 + col, sc, len, st, r * sc + col, sc, zero, out, sv, svBase + col);
                        col += 4 * L;
                    } else {
                        k4x2(a, ai, k, dbuf, di0 + col, sc, len, st, r * sc + col, sc, zero, out, sv, svBase + col);
                        col += 2 * L;
                    }
                }
            }
            for (; r < rows; r++) {
                int ai = (r0 + r) * k + kA;
                for (int col = 0; col < sc; ) {
                    if (sc - col >= 4 * L) {
                        k1x4(a, ai, k, dbuf, di0 + col, sc, len, st, r * sc + col, sc, zero, out, sv, svBase + col);
                        col += 4 * L;
                    } else {
                        k1x2(a, ai, k, dbuf, di0 + col, sc, len, st, r * sc + col, sc, zero, out, sv, svBase + col);
                        col += 2 * L;
                    }
                }
            }
        }

        /** Writes acc [rows][positions] to C with the output encoding, undoing the column order. */
        private void writeOutput(float[] acc) {
            int n = c.n();
            int col0 = strip * sc;
            int cols = Math.min(sc, n - col0);
            int e = c.outF32() ? 4 : 2;
            byte[] row = new byte[cols * e];
            int[] colAt = plan.colAt;
            for (int r = 0; r < rows; r++) {
                for (int pos = 0; pos < sc; pos++) {
                    int col = colAt[pos];
                    if (col < cols) {
                        float v = acc[r * sc + pos];
                        int bits = c.outF32() ? Fp16.toOutputF32(v) : Fp16.toOutput(v);
                        for (int b = 0; b < e; b++) {
                            row[col * e + b] = (byte) (bits >>> (8 * b));
                        }
                    }
                }
                mem.write(c.addrC() + ((long) (r0 + r) * n + col0) * e, row, 0, row.length);
            }
        }
    }

    /**
     * Decodes 4 vectors of fields (masks m0, m0 << bits, ...) of len strip rows (words of row t
     * at w[wOff + t * 16]) into d[dOff + t * ds + c * L]: d' = field - zero, or RN16(d' * s')
     * when sv is not null. Zeros and scales at zm/sv[zo + c * L].
     */
    private static void decode4(short[] w, int wOff, int len, int m0, int bits, float[] zm, float[] sv, int zo,
                                float[] d, int dOff, int ds) {
        int m1 = m0 << bits;
        int m2 = m0 << 2 * bits;
        int m3 = m0 << 3 * bits;
        FloatVector z0 = FloatVector.fromArray(F, zm, zo);
        FloatVector z1 = FloatVector.fromArray(F, zm, zo + L);
        FloatVector z2 = FloatVector.fromArray(F, zm, zo + 2 * L);
        FloatVector z3 = FloatVector.fromArray(F, zm, zo + 3 * L);
        if (sv == null) {
            for (int t = 0; t < len; t++) {
                IntVector wi = (IntVector) ShortVector.fromArray(S, w, wOff + t * Abi.STRIP_WORDS)
                        .convertShape(VectorOperators.S2I, I, 0);
                int o = dOff + t * ds;
                wi.and(m0).or(MAGIC).reinterpretAsFloats().sub(z0).intoArray(d, o);
                wi.and(m1).or(MAGIC).reinterpretAsFloats().sub(z1).intoArray(d, o + L);
                wi.and(m2).or(MAGIC).reinterpretAsFloats().sub(z2).intoArray(d, o + 2 * L);
                wi.and(m3).or(MAGIC).reinterpretAsFloats().sub(z3).intoArray(d, o + 3 * L);
            }
        } else {
            for (int c = 0; c < 4; c++) {
                decodeRn16(w, wOff, len, m0 << (c * bits), zm, sv, zo + c * L, d, dOff + c * L, ds);
            }
        }
    }

    /**
     * One vector of fields, DEQUANT: d[dOff + t * ds] = RN16(d' * s') for len rows. One call site
     * of {@link #rn16} per loop: several in one loop body keep the JIT from inlining it, and a
     * vector passed to a method that is not inlined is boxed (measured: 20x slower).
     */
    private static void decodeRn16(short[] w, int wOff, int len, int m, float[] zm, float[] sv, int zo, float[] d,
                                   int dOff, int ds) {
        FloatVector z = FloatVector.fromArray(F, zm, zo);
        FloatVector s = FloatVector.fromArray(F, sv, zo);
        for (int t = 0; t < len; t++) {
            IntVector wi = (IntVector) ShortVector.fromArray(S, w, wOff + t * Abi.STRIP_WORDS)
                    .convertShape(VectorOperators.S2I, I, 0);
            rn16(wi.and(m).or(MAGIC).reinterpretAsFloats().sub(z).mul(s)).intoArray(d, dOff + t * ds);
        }
    }

    /** {@link #decode4} for 2 vectors of fields (INT8 with 512-bit vectors). */
    private static void decode2(short[] w, int wOff, int len, int m0, int bits, float[] zm, float[] sv, int zo,
                                float[] d, int dOff, int ds) {
        int m1 = m0 << bits;
        FloatVector z0 = FloatVector.fromArray(F, zm, zo);
        FloatVector z1 = FloatVector.fromArray(F, zm, zo + L);
        if (sv != null) {
            decodeRn16(w, wOff, len, m0, zm, sv, zo, d, dOff, ds);
            decodeRn16(w, wOff, len, m1, zm, sv, zo + L, d, dOff + L, ds);
            return;
        }
        for (int t = 0; t < len; t++) {
            IntVector wi = (IntVector) ShortVector.fromArray(S, w, wOff + t * Abi.STRIP_WORDS)
                    .convertShape(VectorOperators.S2I, I, 0);
            int o = dOff + t * ds;
            wi.and(m0).or(MAGIC).reinterpretAsFloats().sub(z0).intoArray(d, o);
            wi.and(m1).or(MAGIC).reinterpretAsFloats().sub(z1).intoArray(d, o + L);
        }
    }

    /**
     * PACQ for two consecutive groups A and B of one row of A, 4 vectors of columns: the same
     * operations as {@link #fused4} on each group, interleaved (each group's p is its own chain
     * in ascending k), then acc = acc + pA * sA and acc = acc + pB * sB, in that order.
     */
    private static void fusedPair(short[] w, int wA, int wB, int m0, int bits, int len, float[] a, int aA, int aB,
                                  float[] zm, float[] sv, int zA, int zB, float[] acc, int o) {
        int m1 = m0 << bits;
        int m2 = m0 << 2 * bits;
        int m3 = m0 << 3 * bits;
        FloatVector za0 = FloatVector.fromArray(F, zm, zA);
        FloatVector za1 = FloatVector.fromArray(F, zm, zA + L);
        FloatVector za2 = FloatVector.fromArray(F, zm, zA + 2 * L);
        FloatVector za3 = FloatVector.fromArray(F, zm, zA + 3 * L);
        FloatVector zb0 = FloatVector.fromArray(F, zm, zB);
        FloatVector zb1 = FloatVector.fromArray(F, zm, zB + L);
        FloatVector zb2 = FloatVector.fromArray(F, zm, zB + 2 * L);
        FloatVector zb3 = FloatVector.fromArray(F, zm, zB + 3 * L);
        FloatVector pa0 = FloatVector.zero(F), pa1 = pa0, pa2 = pa0, pa3 = pa0;
        FloatVector pb0 = pa0, pb1 = pa0, pb2 = pa0, pb3 = pa0;
        for (int t = 0; t < len; t++) {
            IntVector wa = (IntVector) ShortVector.fromArray(S, w, wA + t * Abi.STRIP_WORDS)
                    .convertShape(VectorOperators.S2I, I, 0);
            IntVector wb = (IntVector) ShortVector.fromArray(S, w, wB + t * Abi.STRIP_WORDS)
                    .convertShape(VectorOperators.S2I, I, 0);
            FloatVector ba = FloatVector.broadcast(F, a[aA + t]);
            FloatVector bb = FloatVector.broadcast(F, a[aB + t]);
            pa0 = ba.fma(wa.and(m0).or(MAGIC).reinterpretAsFloats().sub(za0), pa0);
            pb0 = bb.fma(wb.and(m0).or(MAGIC).reinterpretAsFloats().sub(zb0), pb0);
            pa1 = ba.fma(wa.and(m1).or(MAGIC).reinterpretAsFloats().sub(za1), pa1);
            pb1 = bb.fma(wb.and(m1).or(MAGIC).reinterpretAsFloats().sub(zb1), pb1);
            pa2 = ba.fma(wa.and(m2).or(MAGIC).reinterpretAsFloats().sub(za2), pa2);
            pb2 = bb.fma(wb.and(m2).or(MAGIC).reinterpretAsFloats().sub(zb2), pb2);
            pa3 = ba.fma(wa.and(m3).or(MAGIC).reinterpretAsFloats().sub(za3), pa3);
            pb3 = bb.fma(wb.and(m3).or(MAGIC).reinterpretAsFloats().sub(zb3), pb3);
        }
        FloatVector c0 = FloatVector.fromArray(F, acc, o).add(pa0.mul(FloatVector.fromArray(F, sv, zA)));
        FloatVector c1 = FloatVector.fromArray(F, acc, o + L).add(pa1.mul(FloatVector.fromArray(F, sv, zA + L)));
        FloatVector c2 = FloatVector.fromArray(F, acc, o + 2 * L).add(pa2.mul(FloatVector.fromArray(F, sv, zA + 2 * L)));
        FloatVector c3 = FloatVector.fromArray(F, acc, o + 3 * L).add(pa3.mul(FloatVector.fromArray(F, sv, zA + 3 * L)));
        c0.add(pb0.mul(FloatVector.fromArray(F, sv, zB))).intoArray(acc, o);
        c1.add(pb1.mul(FloatVector.fromArray(F, sv, zB + L))).intoArray(acc, o + L);
        c2.add(pb2.mul(FloatVector.fromArray(F, sv, zB + 2 * L))).intoArray(acc, o + 2 * L);
        c3.add(pb3.mul(FloatVector.fromArray(F, sv, zB + 3 * L))).intoArray(acc, o + 3 * L);
    }

    /**
     * The few-rows kernel: 4 vectors of columns of one row of A over len rows of K whose words
     * are in w (row t at t * 16, the lanes at wOff). d' = the field under mask m0 << (c * bits)
     * of each word, in place, minus the zero (see groupVectors for the scaling); DEQUANT: w = RN16(d * s) and st (= acc) accumulates directly. Otherwise p
     * starts at zero (zero) or at st, and ends in st (out == null) or in out = out + p * s.
     */
    private static void fused4(short[] w, int wOff, int m0, int bits, int len, float[] a, int ai,
                               float[] zm, float[] sv, int zo, boolean dequant, boolean zero, float[] st, int o,
                               float[] out) {
        FloatVector z0 = FloatVector.fromArray(F, zm, zo);
        FloatVector z1 = FloatVector.fromArray(F, zm, zo + L);
        FloatVector z2 = FloatVector.fromArray(F, zm, zo + 2 * L);
        FloatVector z3 = FloatVector.fromArray(F, zm, zo + 3 * L);
        FloatVector c0 = FloatVector.fromArray(F, sv, zo);
        FloatVector c1 = FloatVector.fromArray(F, sv, zo + L);
        FloatVector c2 = FloatVector.fromArray(F, sv, zo + 2 * L);
        FloatVector c3 = FloatVector.fromArray(F, sv, zo + 3 * L);
        FloatVector p0, p1, p2, p3;
        if (zero) {
            p0 = FloatVector.zero(F);
            p1 = p0;
            p2 = p0;
            p3 = p0;
        } else {
            p0 = FloatVector.fromArray(F, st, o);
            p1 = FloatVector.fromArray(F, st, o + L);
            p2 = FloatVector.fromArray(F, st, o + 2 * L);
            p3 = FloatVector.fromArray(F, st, o + 3 * L);
        }
        int m1 = m0 << bits;
        int m2 = m0 << 2 * bits;
        int m3 = m0 << 3 * bits;
        if (dequant) {
            for (int t = 0; t < len; t++) {
                IntVector wi = (IntVector) ShortVector.fromArray(S, w, t * Abi.STRIP_WORDS + wOff)
                        .convertShape(VectorOperators.S2I, I, 0);
                FloatVector b = FloatVector.broadcast(F, a[ai + t]);
                p0 = b.fma(rn16(wi.and(m0).or(MAGIC).reinterpretAsFloats().sub(z0).mul(c0)), p0);
                p1 = b.fma(rn16(wi.and(m1).or(MAGIC).reinterpretAsFloats().sub(z1).mul(c1)), p1);
                p2 = b.fma(rn16(wi.and(m2).or(MAGIC).reinterpretAsFloats().sub(z2).mul(c2)), p2);
                p3 = b.fma(rn16(wi.and(m3).or(MAGIC).reinterpretAsFloats().sub(z3).mul(c3)), p3);
            }
        } else {
            for (int t = 0; t < len; t++) {
                IntVector wi = (IntVector) ShortVector.fromArray(S, w, t * Abi.STRIP_WORDS + wOff)
                        .convertShape(VectorOperators.S2I, I, 0);
                FloatVector b = FloatVector.broadcast(F, a[ai + t]);
                p0 = b.fma(wi.and(m0).or(MAGIC).reinterpretAsFloats().sub(z0), p0);
                p1 = b.fma(wi.and(m1).or(MAGIC).reinterpretAsFloats().sub(z1), p1);
                p2 = b.fma(wi.and(m2).or(MAGIC).reinterpretAsFloats().sub(z2), p2);
                p3 = b.fma(wi.and(m3).or(MAGIC).reinterpretAsFloats().sub(z3), p3);
            }
        }
        if (out != null && !dequant) {
            p0 = FloatVector.fromArray(F, out, o).add(p0.mul(c0));
            p1 = FloatVector.fromArray(F, out, o + L).add(p1.mul(c1));
            p2 = FloatVector.fromArray(F, out, o + 2 * L).add(p2.mul(c2));
            p3 = FloatVector.fromArray(F, out, o + 3 * L).add(p3.mul(c3));
            p0.intoArray(out, o);
            p1.intoArray(out, o + L);
            p2.intoArray(out, o + 2 * L);
            p3.intoArray(out, o + 3 * L);
        } else {
            p0.intoArray(st, o);
            p1.intoArray(st, o + L);
            p2.intoArray(st, o + 2 * L);
            p3.intoArray(st, o + 3 * L);
        }
    }

    /**
     * RN16 lane-wise, for finite x whose FP16 rounding is wanted as a float: ties to even,
     * overflow to infinity, FP16 subnormals kept, sign (and signed zero) kept.
     * Normal range (|x| >= 2^-14): round the FP32 bits to 10 fraction bits (add 0xFFF plus the
     * lowest kept bit, clear the 13 dropped bits; a carry into the exponent is the right result),
     * then anything above 65504 is infinity. Subnormal range: (|x| + 0.5) - 0.5 rounds to a
     * multiple of 2^-24, the FP16 subnormal spacing, because the ulp of [0.5, 1) is 2^-24.
     */
    static FloatVector rn16(FloatVector x) {
        IntVector xb = x.reinterpretAsInts();
        IntVector sign = xb.and(0x80000000);
        IntVector abs = xb.and(0x7FFFFFFF);
        IntVector normal = abs.add(abs.lanewise(VectorOperators.LSHR, 13).and(1)).add(0xFFF).and(~0x1FFF);
        normal = normal.blend(0x7F800000, normal.compare(VectorOperators.GT, 0x477FE000));
        IntVector sub = abs.reinterpretAsFloats().add(0.5f).sub(0.5f).reinterpretAsInts();
        return normal.blend(sub, abs.compare(VectorOperators.LT, 0x38800000)).or(sign).reinterpretAsFloats();
    }

    /** {@link #rn16} over an array whose length is a multiple of L (for tests). */
    static void rn16(float[] in, float[] out) {
        for (int i = 0; i < in.length; i += L) {
            rn16(FloatVector.fromArray(F, in, i)).intoArray(out, i);
        }
    }

    // The register-block kernels k{R}x{C}: R rows of A (at a[ai + r * aStride + t]) times C
    // vectors of decoded weights (at d[di + t * ds + c * L]) for t = 0 .. len-1, accumulated in
    // ascending t with one FMA each into p, which starts at zero or at st[si + r * ss + c * L].
    // At the end, p is stored back into st (sv == null), or the group's scale step
    // out = out + p * sv[svi + c * L] is applied (a product, then a sum: two roundings).

    /** 4 rows x 4 vectors (the register-block kernel contract above). */
    private static void k4x4(float[] a, int ai, int aStride, float[] d, int di, int ds, int len, float[] st, int si,
                           int ss, boolean zero, float[] out, float[] sv, int svi) {
        int a0 = ai + 0 * aStride;
        int a1 = ai + 1 * aStride;
        int a2 = ai + 2 * aStride;
        int a3 = ai + 3 * aStride;
        FloatVector p00 = zero ? FloatVector.zero(F) : FloatVector.fromArray(F, st, si + 0 * ss + 0 * L);
        FloatVector p01 = zero ? FloatVector.zero(F) : FloatVector.fromArray(F, st, si + 0 * ss + 1 * L);
        FloatVector p02 = zero ? FloatVector.zero(F) : FloatVector.fromArray(F, st, si + 0 * ss + 2 * L);
        FloatVector p03 = zero ? FloatVector.zero(F) : FloatVector.fromArray(F, st, si + 0 * ss + 3 * L);
        FloatVector p10 = zero ? FloatVector.zero(F) : FloatVector.fromArray(F, st, si + 1 * ss + 0 * L);
        FloatVector p11 = zero ? FloatVector.zero(F) : FloatVector.fromArray(F, st, si + 1 * ss + 1 * L);
        FloatVector p12 = zero ? FloatVector.zero(F) : FloatVector.fromArray(F, st, si + 1 * ss + 2 * L);
        FloatVector p13 = zero ? FloatVector.zero(F) : FloatVector.fromArray(F, st, si + 1 * ss + 3 * L);
        FloatVector p20 = zero ? FloatVector.zero(F) : FloatVector.fromArray(F, st, si + 2 * ss + 0 * L);
        FloatVector p21 = zero ? FloatVector.zero(F) : FloatVector.fromArray(F, st, si + 2 * ss + 1 * L);
        FloatVector p22 = zero ? FloatVector.zero(F) : FloatVector.fromArray(F, st, si + 2 * ss + 2 * L);
        FloatVector p23 = zero ? FloatVector.zero(F) : FloatVector.fromArray(F, st, si + 2 * ss + 3 * L);
        FloatVector p30 = zero ? FloatVector.zero(F) : FloatVector.fromArray(F, st, si + 3 * ss + 0 * L);
        FloatVector p31 = zero ? FloatVector.zero(F) : FloatVector.fromArray(F, st, si + 3 * ss + 1 * L);
        FloatVector p32 = zero ? FloatVector.zero(F) : FloatVector.fromArray(F, st, si + 3 * ss + 2 * L);
        FloatVector p33 = zero ? FloatVector.zero(F) : FloatVector.fromArray(F, st, si + 3 * ss + 3 * L);
        for (int t = 0; t < len; t++) {
            int dt = di + t * ds;
            FloatVector w0 = FloatVector.fromArray(F, d, dt + 0 * L);
            FloatVector w1 = FloatVector.fromArray(F, d, dt + 1 * L);
            FloatVector w2 = FloatVector.fromArray(F, d, dt + 2 * L);
            FloatVector w3 = FloatVector.fromArray(F, d, dt + 3 * L);
            FloatVector b0 = FloatVector.broadcast(F, a[a0 + t]);
            p00 = b0.fma(w0, p00);
            p01 = b0.fma(w1, p01);
            p02 = b0.fma(w2, p02);
            p03 = b0.fma(w3, p03);
            FloatVector b1 = FloatVector.broadcast(F, a[a1 + t]);
            p10 = b1.fma(w0, p10);
            p11 = b1.fma(w1, p11);
            p12 = b1.fma(w2, p12);
            p13 = b1.fma(w3, p13);
            FloatVector b2 = FloatVector.broadcast(F, a[a2 + t]);
            p20 = b2.fma(w0, p20);
            p21 = b2.fma(w1, p21);
            p22 = b2.fma(w2, p22);
            p23 = b2.fma(w3, p23);
            FloatVector b3 = FloatVector.broadcast(F, a[a3 + t]);
            p30 = b3.fma(w0, p30);
            p31 = b3.fma(w1, p31);
            p32 = b3.fma(w2, p32);
            p33 = b3.fma(w3, p33);
        }
        if (sv == null) {
            p00.intoArray(st, si + 0 * ss + 0 * L);
            p01.intoArray(st, si + 0 * ss + 1 * L);
            p02.intoArray(st, si + 0 * ss + 2 * L);
            p03.intoArray(st, si + 0 * ss + 3 * L);
            p10.intoArray(st, si + 1 * ss + 0 * L);
            p11.intoArray(st, si + 1 * ss + 1 * L);
            p12.intoArray(st, si + 1 * ss + 2 * L);
            p13.intoArray(st, si + 1 * ss + 3 * L);
            p20.intoArray(st, si + 2 * ss + 0 * L);
            p21.intoArray(st, si + 2 * ss + 1 * L);
            p22.intoArray(st, si + 2 * ss + 2 * L);
            p23.intoArray(st, si + 2 * ss + 3 * L);
            p30.intoArray(st, si + 3 * ss + 0 * L);
            p31.intoArray(st, si + 3 * ss + 1 * L);
            p32.intoArray(st, si + 3 * ss + 2 * L);
            p33.intoArray(st, si + 3 * ss + 3 * L);
        } else {
            FloatVector s0 = FloatVector.fromArray(F, sv, svi + 0 * L);
            FloatVector s1 = FloatVector.fromArray(F, sv, svi + 1 * L);
            FloatVector s2 = FloatVector.fromArray(F, sv, svi + 2 * L);
            FloatVector s3 = FloatVector.fromArray(F, sv, svi + 3 * L);
            FloatVector.fromArray(F, out, si + 0 * ss + 0 * L).add(p00.mul(s0))
                    .intoArray(out, si + 0 * ss + 0 * L);
            FloatVector.fromArray(F, out, si + 0 * ss + 1 * L).add(p01.mul(s1))
                    .intoArray(out, si + 0 * ss + 1 * L);
            FloatVector.fromArray(F, out, si + 0 * ss + 2 * L).add(p02.mul(s2))
                    .intoArray(out, si + 0 * ss + 2 * L);
            FloatVector.fromArray(F, out, si + 0 * ss + 3 * L).add(p03.mul(s3))
                    .intoArray(out, si + 0 * ss + 3 * L);
            FloatVector.fromArray(F, out, si + 1 * ss + 0 * L).add(p10.mul(s0))
                    .intoArray(out, si + 1 * ss + 0 * L);
            FloatVector.fromArray(F, out, si + 1 * ss + 1 * L).add(p11.mul(s1))
                    .intoArray(out, si + 1 * ss + 1 * L);
            FloatVector.fromArray(F, out, si + 1 * ss + 2 * L).add(p12.mul(s2))
                    .intoArray(out, si + 1 * ss + 2 * L);
            FloatVector.fromArray(F, out, si + 1 * ss + 3 * L).add(p13.mul(s3))
                    .intoArray(out, si + 1 * ss + 3 * L);
            FloatVector.fromArray(F, out, si + 2 * ss + 0 * L).add(p20.mul(s0))
                    .intoArray(out, si + 2 * ss + 0 * L);
            FloatVector.fromArray(F, out, si + 2 * ss + 1 * L).add(p21.mul(s1))
                    .intoArray(out, si + 2 * ss + 1 * L);
            FloatVector.fromArray(F, out, si + 2 * ss + 2 * L).add(p22.mul(s2))
                    .intoArray(out, si + 2 * ss + 2 * L);
            FloatVector.fromArray(F, out, si + 2 * ss + 3 * L).add(p23.mul(s3))
                    .intoArray(out, si + 2 * ss + 3 * L);
            FloatVector.fromArray(F, out, si + 3 * ss + 0 * L).add(p30.mul(s0))
                    .intoArray(out, si + 3 * ss + 0 * L);
            FloatVector.fromArray(F, out, si + 3 * ss + 1 * L).add(p31.mul(s1))
                    .intoArray(out, si + 3 * ss + 1 * L);
            FloatVector.fromArray(F, out, si + 3 * ss + 2 * L).add(p32.mul(s2))
                    .intoArray(out, si + 3 * ss + 2 * L);
            FloatVector.fromArray(F, out, si + 3 * ss + 3 * L).add(p33.mul(s3))
                    .intoArray(out, si + 3 * ss + 3 * L);
        }
    }

    /** 4 rows x 2 vectors (the register-block kernel contract above). */
    private static void k4x2(float[] a, int ai, int aStride, float[] d, int di, int ds, int len, float[] st, int si,
                           int ss, boolean zero, float[] out, float[] sv, int svi) {
        int a0 = ai + 0 * aStride;
        int a1 = ai + 1 * aStride;
        int a2 = ai + 2 * aStride;
        int a3 = ai + 3 * aStride;
        FloatVector p00 = zero ? FloatVector.zero(F) : FloatVector.fromArray(F, st, si + 0 * ss + 0 * L);
        FloatVector p01 = zero ? FloatVector.zero(F) : FloatVector.fromArray(F, st, si + 0 * ss + 1 * L);
        FloatVector p10 = zero ? FloatVector.zero(F) : FloatVector.fromArray(F, st, si + 1 * ss + 0 * L);
        FloatVector p11 = zero ? FloatVector.zero(F) : FloatVector.fromArray(F, st, si + 1 * ss + 1 * L);
        FloatVector p20 = zero ? FloatVector.zero(F) : FloatVector.fromArray(F, st, si + 2 * ss + 0 * L);
        FloatVector p21 = zero ? FloatVector.zero(F) : FloatVector.fromArray(F, st, si + 2 * ss + 1 * L);
        FloatVector p30 = zero ? FloatVector.zero(F) : FloatVector.fromArray(F, st, si + 3 * ss + 0 * L);
        FloatVector p31 = zero ? FloatVector.zero(F) : FloatVector.fromArray(F, st, si + 3 * ss + 1 * L);
        for (int t = 0; t < len; t++) {
            int dt = di + t * ds;
            FloatVector w0 = FloatVector.fromArray(F, d, dt + 0 * L);
            FloatVector w1 = FloatVector.fromArray(F, d, dt + 1 * L);
            FloatVector b0 = FloatVector.broadcast(F, a[a0 + t]);
            p00 = b0.fma(w0, p00);
            p01 = b0.fma(w1, p01);
            FloatVector b1 = FloatVector.broadcast(F, a[a1 + t]);
            p10 = b1.fma(w0, p10);
            p11 = b1.fma(w1, p11);
            FloatVector b2 = FloatVector.broadcast(F, a[a2 + t]);
            p20 = b2.fma(w0, p20);
            p21 = b2.fma(w1, p21);
            FloatVector b3 = FloatVector.broadcast(F, a[a3 + t]);
            p30 = b3.fma(w0, p30);
            p31 = b3.fma(w1, p31);
        }
        if (sv == null) {
            p00.intoArray(st, si + 0 * ss + 0 * L);
            p01.intoArray(st, si + 0 * ss + 1 * L);
            p10.intoArray(st, si + 1 * ss + 0 * L);
            p11.intoArray(st, si + 1 * ss + 1 * L);
            p20.intoArray(st, si + 2 * ss + 0 * L);
            p21.intoArray(st, si + 2 * ss + 1 * L);
            p30.intoArray(st, si + 3 * ss + 0 * L);
            p31.intoArray(st, si + 3 * ss + 1 * L);
        } else {
            FloatVector s0 = FloatVector.fromArray(F, sv, svi + 0 * L);
            FloatVector s1 = FloatVector.fromArray(F, sv, svi + 1 * L);
            FloatVector.fromArray(F, out, si + 0 * ss + 0 * L).add(p00.mul(s0))
                    .intoArray(out, si + 0 * ss + 0 * L);
            FloatVector.fromArray(F, out, si + 0 * ss + 1 * L).add(p01.mul(s1))
                    .intoArray(out, si + 0 * ss + 1 * L);
            FloatVector.fromArray(F, out, si + 1 * ss + 0 * L).add(p10.mul(s0))
                    .intoArray(out, si + 1 * ss + 0 * L);
            FloatVector.fromArray(F, out, si + 1 * ss + 1 * L).add(p11.mul(s1))
                    .intoArray(out, si + 1 * ss + 1 * L);
            FloatVector.fromArray(F, out, si + 2 * ss + 0 * L).add(p20.mul(s0))
                    .intoArray(out, si + 2 * ss + 0 * L);
            FloatVector.fromArray(F, out, si + 2 * ss + 1 * L).add(p21.mul(s1))
                    .intoArray(out, si + 2 * ss + 1 * L);
            FloatVector.fromArray(F, out, si + 3 * ss + 0 * L).add(p30.mul(s0))
                    .intoArray(out, si + 3 * ss + 0 * L);
            FloatVector.fromArray(F, out, si + 3 * ss + 1 * L).add(p31.mul(s1))
                    .intoArray(out, si + 3 * ss + 1 * L);
        }
    }

    /** 1 rows x 4 vectors (the register-block kernel contract above). */
    private static void k1x4(float[] a, int ai, int aStride, float[] d, int di, int ds, int len, float[] st, int si,
                           int ss, boolean zero, float[] out, float[] sv, int svi) {
        int a0 = ai + 0 * aStride;
        FloatVector p00 = zero ? FloatVector.zero(F) : FloatVector.fromArray(F, st, si + 0 * ss + 0 * L);
        FloatVector p01 = zero ? FloatVector.zero(F) : FloatVector.fromArray(F, st, si + 0 * ss + 1 * L);
        FloatVector p02 = zero ? FloatVector.zero(F) : FloatVector.fromArray(F, st, si + 0 * ss + 2 * L);
        FloatVector p03 = zero ? FloatVector.zero(F) : FloatVector.fromArray(F, st, si + 0 * ss + 3 * L);
        for (int t = 0; t < len; t++) {
            int dt = di + t * ds;
            FloatVector w0 = FloatVector.fromArray(F, d, dt + 0 * L);
            FloatVector w1 = FloatVector.fromArray(F, d, dt + 1 * L);
            FloatVector w2 = FloatVector.fromArray(F, d, dt + 2 * L);
            FloatVector w3 = FloatVector.fromArray(F, d, dt + 3 * L);
            FloatVector b0 = FloatVector.broadcast(F, a[a0 + t]);
            p00 = b0.fma(w0, p00);
            p01 = b0.fma(w1, p01);
            p02 = b0.fma(w2, p02);
            p03 = b0.fma(w3, p03);
        }
        if (sv == null) {
            p00.intoArray(st, si + 0 * ss + 0 * L);
            p01.intoArray(st, si + 0 * ss + 1 * L);
            p02.intoArray(st, si + 0 * ss + 2 * L);
            p03.intoArray(st, si + 0 * ss + 3 * L);
        } else {
            FloatVector s0 = FloatVector.fromArray(F, sv, svi + 0 * L);
            FloatVector s1 = FloatVector.fromArray(F, sv, svi + 1 * L);
            FloatVector s2 = FloatVector.fromArray(F, sv, svi + 2 * L);
            FloatVector s3 = FloatVector.fromArray(F, sv, svi + 3 * L);
            FloatVector.fromArray(F, out, si + 0 * ss + 0 * L).add(p00.mul(s0))
                    .intoArray(out, si + 0 * ss + 0 * L);
            FloatVector.fromArray(F, out, si + 0 * ss + 1 * L).add(p01.mul(s1))
                    .intoArray(out, si + 0 * ss + 1 * L);
            FloatVector.fromArray(F, out, si + 0 * ss + 2 * L).add(p02.mul(s2))
                    .intoArray(out, si + 0 * ss + 2 * L);
            FloatVector.fromArray(F, out, si + 0 * ss + 3 * L).add(p03.mul(s3))
                    .intoArray(out, si + 0 * ss + 3 * L);
        }
    }

    /** 1 rows x 2 vectors (the register-block kernel contract above). */
    private static void k1x2(float[] a, int ai, int aStride, float[] d, int di, int ds, int len, float[] st, int si,
                           int ss, boolean zero, float[] out, float[] sv, int svi) {
        int a0 = ai + 0 * aStride;
        FloatVector p00 = zero ? FloatVector.zero(F) : FloatVector.fromArray(F, st, si + 0 * ss + 0 * L);
        FloatVector p01 = zero ? FloatVector.zero(F) : FloatVector.fromArray(F, st, si + 0 * ss + 1 * L);
        for (int t = 0; t < len; t++) {
            int dt = di + t * ds;
            FloatVector w0 = FloatVector.fromArray(F, d, dt + 0 * L);
            FloatVector w1 = FloatVector.fromArray(F, d, dt + 1 * L);
            FloatVector b0 = FloatVector.broadcast(F, a[a0 + t]);
            p00 = b0.fma(w0, p00);
            p01 = b0.fma(w1, p01);
        }
        if (sv == null) {
            p00.intoArray(st, si + 0 * ss + 0 * L);
            p01.intoArray(st, si + 0 * ss + 1 * L);
        } else {
            FloatVector s0 = FloatVector.fromArray(F, sv, svi + 0 * L);
            FloatVector s1 = FloatVector.fromArray(F, sv, svi + 1 * L);
            FloatVector.fromArray(F, out, si + 0 * ss + 0 * L).add(p00.mul(s0))
                    .intoArray(out, si + 0 * ss + 0 * L);
            FloatVector.fromArray(F, out, si + 0 * ss + 1 * L).add(p01.mul(s1))
                    .intoArray(out, si + 0 * ss + 1 * L);
        }
    }

}
