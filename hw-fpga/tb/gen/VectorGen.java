import io.pacq.fp.Fp16;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes the test vectors of the arithmetic-unit testbenches (hw-fpga/tb/tb_*.cpp). The expected
 * values come from the Java reference the numerics contract is written against: the JDK's IEEE 754
 * float operations (round to nearest even, subnormals, no flush to zero) and io.pacq.fp.Fp16's
 * conversions and output encoding (RN16, canonical NaN 0x7E00 / 0x7FC00000). Nothing here knows
 * how the RTL computes its results.
 *
 * <p>Run as a source-file program: {@code java -cp host-runtime/target/classes
 * hw-fpga/tb/gen/VectorGen.java <out-dir> [unit ...]}. Deterministic (fixed seeds).
 *
 * <pre>
 * file <unit>.vec, little-endian:
 *   u32 magic 'PQTV' (0x56545150), u32 inputs, u32 outputs, u32 reserved, u64 records
 *   records: (inputs + outputs) u32 words each: the unit's inputs, then its expected outputs
 * </pre>
 */
public final class VectorGen {
    private static final int MAGIC = 0x56545150;

    private VectorGen() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: VectorGen <out-dir> [fp32_add|fp32_mul|fp16_to_fp32|fp32_to_fp16|fp16_mul"
                    + "|pacq_fpint_mul ...]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        List<String> units = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            units.add(args[i]);
        }
        if (units.isEmpty()) {
            units = List.of("fp32_add", "fp32_mul", "fp32_fma", "fp16_to_fp32", "fp32_to_fp16", "fp16_mul",
                    "pacq_fpint_mul", "int_to_fp");
        }
        for (String u : units) {
            Path file = dir.resolve(u + ".vec");
            long n = switch (u) {
                case "fp32_add" -> write(file, 2, 1, VectorGen::fp32Add);
                case "fp32_mul" -> write(file, 2, 1, VectorGen::fp32Mul);
                case "fp16_to_fp32" -> write(file, 1, 1, VectorGen::fp16ToFp32);
                case "fp32_to_fp16" -> write(file, 1, 1, VectorGen::fp32ToFp16);
                case "fp16_mul" -> write(file, 2, 1, VectorGen::fp16Mul);
                case "pacq_fpint_mul" -> write(file, 4, 8, VectorGen::pacqFpIntMul);
                case "fp32_fma" -> write(file, 3, 1, VectorGen::fp32Fma);
                case "int_to_fp" -> write(file, 1, 2, VectorGen::intToFp);
                default -> throw new IllegalArgumentException("unknown unit '" + u + "'; expected one of "
                        + "fp32_add, fp32_mul, fp32_fma, fp16_to_fp32, fp32_to_fp16, fp16_mul, pacq_fpint_mul, int_to_fp");
            };
            System.out.printf("%s: %d vectors%n", file, n);
        }
    }

    // ----------------------------------------------------------------------------- file format

    interface Body {
        void emit(Sink s) throws IOException;
    }

    static final class Sink {
        final DataOutputStream out;
        final int width;
        long count;

        Sink(DataOutputStream out, int width) {
            this.out = out;
            this.width = width;
        }

        void rec(int... words) throws IOException {
            if (words.length != width) {
                throw new IllegalStateException("record of " + words.length + " words, expected " + width);
            }
            for (int w : words) {
                out.writeInt(Integer.reverseBytes(w));
            }
            count++;
        }
    }

    private static long write(Path file, int inputs, int outputs, Body body) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        long count;
        try (OutputStream os = Files.newOutputStream(tmp);
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os, 1 << 20))) {
            out.writeInt(Integer.reverseBytes(MAGIC));
            out.writeInt(Integer.reverseBytes(inputs));
            out.writeInt(Integer.reverseBytes(outputs));
            out.writeInt(0);
            out.writeLong(0); // patched below
            Sink s = new Sink(out, inputs + outputs);
            body.emit(s);
            count = s.count;
        }
        try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(0, count), 16);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return count;
    }

    // ------------------------------------------------------------------------------- reference

    private static float f(int bits) {
        return Float.intBitsToFloat(bits);
    }

    /** The contract's FP32 output encoding: the bits, any NaN canonical. */
    private static int out32(float v) {
        return Fp16.toOutputF32(v);
    }

    // --------------------------------------------------------------------------------- operands

    /** FP32 values every binary-operation test crosses with each other. */
    private static int[] fp32Edges() {
        int[] mags = {
            0x00000000, 0x00000001, 0x00000002, 0x00000003, 0x007FFFFF, 0x007FFFFE, 0x00400000, 0x00400001,
            0x00800000, 0x00800001, 0x00FFFFFF, 0x01000000, 0x0D800000, 0x33800000, 0x33FFFFFF, 0x34000000,
            0x3F000000, 0x3F7FFFFF, 0x3F800000, 0x3F800001, 0x3FC00000, 0x3FFFFFFF, 0x40000000, 0x4B000000,
            0x4B7FFFFF, 0x4B800000, 0x5F000000, 0x7E800000, 0x7EFFFFFF, 0x7F000000, 0x7F7FFFFE, 0x7F7FFFFF,
            0x7F800000, 0x7F800001, 0x7FC00000, 0x7FFFFFFF, 0x477FE000, 0x47800000, 0x387FC000, 0x38800000,
            0x33000000, 0x1F800000, 0x20000000, 0x5E800000,
        };
        int[] all = new int[mags.length * 2];
        for (int i = 0; i < mags.length; i++) {
            all[2 * i] = mags[i];
            all[2 * i + 1] = mags[i] | 0x80000000;
        }
        return all;
    }

    /** A random FP32 pattern with an exponent drawn uniformly (so subnormals and extremes occur). */
    private static int randomFp32(SplittableRandom r) {
        int e = r.nextInt(256);
        int m = switch (r.nextInt(6)) {
            case 0 -> 0;
            case 1 -> 0x7FFFFF;
            case 2 -> r.nextInt(1 << 23) | 0x7FF000;       // long runs of ones: carries
            case 3 -> r.nextInt(1 << 23) & ~0x7FF;          // trailing zeros: exact results, ties
            default -> r.nextInt(1 << 23);
        };
        return (r.nextBoolean() ? 0x80000000 : 0) | e << 23 | m;
    }

    /** A partner for a: an exponent close to a's, so alignment, cancellation and ties are exercised. */
    private static int nearFp32(SplittableRandom r, int a) {
        int e = ((a >>> 23) & 0xFF) + r.nextInt(-26, 27);
        e = Math.max(0, Math.min(255, e));
        int m = switch (r.nextInt(4)) {
            case 0 -> (a & 0x7FFFFF) ^ (1 << r.nextInt(23));  // near-equal: massive cancellation
            case 1 -> (a & 0x7FFFFF);
            default -> r.nextInt(1 << 23);
        };
        return (r.nextBoolean() ? 0x80000000 : 0) | e << 23 | m;
    }

    private static final int RANDOM_PAIRS = 400_000;

    private static void fp32Binary(Sink s, java.util.function.IntBinaryOperator op, long seed) throws IOException {
        int[] edges = fp32Edges();
        for (int a : edges) {
            for (int b : edges) {
                s.rec(a, b, op.applyAsInt(a, b));
            }
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < RANDOM_PAIRS; i++) {
            int a = randomFp32(r);
            int b = i % 2 == 0 ? randomFp32(r) : nearFp32(r, a);
            s.rec(a, b, op.applyAsInt(a, b));
            s.rec(b, a, op.applyAsInt(b, a));
        }
        // Every pair of an edge with a random value.
        for (int a : edges) {
            for (int i = 0; i < 200; i++) {
                int b = randomFp32(r);
                s.rec(a, b, op.applyAsInt(a, b));
                s.rec(b, a, op.applyAsInt(b, a));
            }
        }
    }

    private static void fp32Add(Sink s) throws IOException {
        fp32Binary(s, (a, b) -> out32(f(a) + f(b)), 0xADD5EEDL);
        // Products-then-sums as the GEMM datapath sees them: multiples of 2^-24 in a narrow range.
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            float p = (r.nextInt(1 << 24) - (1 << 23)) * 0x1p-20f;
            float q = (r.nextInt(1 << 19) - (1 << 18)) * (float) Math.scalb(1.0, r.nextInt(-24, 8));
            int a = Float.floatToRawIntBits(p);
            int b = Float.floatToRawIntBits(q);
            s.rec(a, b, out32(p + q));
        }
    }

    private static void fp32Mul(Sink s) throws IOException {
        fp32Binary(s, (a, b) -> out32(f(a) * f(b)), 0x3A11L);
        // Products landing in the subnormal range and around the overflow threshold.
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < 100_000; i++) {
            int ea = r.nextInt(1, 255);
            int eb = switch (r.nextInt(3)) {
                case 0 -> Math.max(0, Math.min(254, 127 - ea - r.nextInt(0, 26) + 1));   // subnormal results
                case 1 -> Math.max(0, Math.min(254, 254 + 127 - ea + r.nextInt(-2, 2))); // near overflow
                default -> r.nextInt(0, 255);
            };
            int a = (r.nextBoolean() ? 0x80000000 : 0) | ea << 23 | r.nextInt(1 << 23);
            int b = (r.nextBoolean() ? 0x80000000 : 0) | eb << 23 | r.nextInt(1 << 23);
            s.rec(a, b, out32(f(a) * f(b)));
        }
    }

    private static int fmaRef(int a, int b, int c) {
        return out32(Math.fma(f(a), f(b), f(c)));          // one rounding
    }

    private static void fp32Fma(Sink s) throws IOException {
        int[] edges = fp32Edges();
        SplittableRandom r = new SplittableRandom(0xF3AL);
        // Edges cubed would be 88^3 = 681k: take every edge pair with a few edges and randoms as c.
        int[] cs = {0x00000000, 0x80000000, 0x00000001, 0x3F800000, 0xBF800000, 0x7F7FFFFF, 0x7F800000, 0xFF800000,
            0x7FC00000, 0x00800000, 0x80400000};
        for (int a : edges) {
            for (int b : edges) {
                for (int c : cs) {
                    s.rec(a, b, c, fmaRef(a, b, c));
                }
                int c = randomFp32(r);
                s.rec(a, b, c, fmaRef(a, b, c));
            }
        }
        for (int i = 0; i < 400_000; i++) {
            int a = randomFp32(r);
            int b = randomFp32(r);
            int c;
            switch (i % 4) {
                case 0 -> c = randomFp32(r);
                case 1 -> {                                     // c near -a*b: cancellation
                    float p = f(a) * f(b);
                    c = Float.floatToRawIntBits(-p) ^ (r.nextInt(4) == 0 ? 0 : r.nextInt(1 << r.nextInt(1, 12)));
                }
                case 2 -> {                                     // c near a*b in exponent
                    float p = f(a) * f(b);
                    c = nearFp32(r, Float.floatToRawIntBits(p));
                }
                default -> {                                    // operands near 1: ordinary arithmetic
                    a = 0x3F000000 + r.nextInt(1 << 24) | (r.nextBoolean() ? 0x80000000 : 0);
                    b = 0x3F000000 + r.nextInt(1 << 24);
                    c = 0x3E000000 + r.nextInt(1 << 26) | (r.nextBoolean() ? 0x80000000 : 0);
                }
            }
            s.rec(a, b, c, fmaRef(a, b, c));
        }
        // The GEMM accumulation: c a partial sum, a an FP16 activation, b a small integer.
        for (int i = 0; i < 100_000; i++) {
            float av = Fp16.toFloat((short) r.nextInt(0x10000));
            float d = r.nextInt(-255, 256);
            float p = (r.nextInt(1 << 24) - (1 << 23)) * (float) Math.scalb(1.0, r.nextInt(-30, 0));
            s.rec(Float.floatToRawIntBits(av), Float.floatToRawIntBits(d), Float.floatToRawIntBits(p),
                    out32(Math.fma(av, d, p)));
        }
    }

    private static void intToFp(Sink s) throws IOException {
        SplittableRandom r = new SplittableRandom(0x12F);
        int[] edges = {0, 1, -1, 2, -2, 0x7FFFFFFF, 0x80000000, 0x80000001, 0x00FFFFFF, 0x01000000, 0x01000001,
            0x01000003, 0x7FFFFF80, 0x7FFFFFC0, 0x0000FFFF, 0x7FFF7FFF, 0x80008000, 0x08000800, 0x08010801, 0x0FFF0FFF};
        for (int x : edges) {
            s.rec(x, i2fRef(x), i2h2Ref(x));
        }
        for (int x = -70000; x <= 70000; x++) {              // every small integer
            s.rec(x, i2fRef(x), i2h2Ref(x));
        }
        for (int i = 0; i < 300_000; i++) {
            int x = r.nextInt() >> r.nextInt(32);
            s.rec(x, i2fRef(x), i2h2Ref(x));
        }
        for (int h = 0; h < 0x10000; h++) {                   // every 16-bit half
            int x = h | ((h * 0x9E37) & 0xFFFF) << 16;
            s.rec(x, i2fRef(x), i2h2Ref(x));
        }
    }

    private static int i2fRef(int x) {
        return Float.floatToRawIntBits((float) x);           // RN32 of the integer
    }

    private static int i2h2Ref(int x) {
        int lo = Fp16.fromFloat((short) x) & 0xFFFF;          // (float) of a 16-bit integer is exact
        int hi = Fp16.fromFloat((short) (x >>> 16)) & 0xFFFF;
        return hi << 16 | lo;
    }

    private static void fp16ToFp32(Sink s) throws IOException {
        for (int h = 0; h < 0x10000; h++) {                  // exhaustive
            s.rec(h, out32(Fp16.toFloat((short) h)));
        }
    }

    private static void fp32ToFp16(Sink s) throws IOException {
        // Every sign and exponent with fraction patterns around each rounding boundary of the
        // normal (13 dropped bits) and subnormal (14..24 dropped bits) FP16 ranges.
        int[] low = {0, 1, 0x7FF, 0x800, 0x801, 0xFFF, 0x1000, 0x1001, 0x17FF, 0x1800, 0x1801, 0x1FFF};
        for (int sign = 0; sign < 2; sign++) {
            for (int e = 0; e < 256; e++) {
                for (int hi = 0; hi < 1024; hi += (e >= 100 && e <= 143) ? 1 : 73) {
                    for (int lo : low) {
                        int v = sign << 31 | e << 23 | hi << 13 | lo;
                        s.rec(v, Fp16.toOutput(f(v)) & 0xFFFF);
                    }
                }
                for (int drop = 14; drop <= 24 && e <= 113; drop++) {
                    int half = 1 << (drop - 1);
                    for (int k = 0; k < 64; k++) {
                        int base = (k * 0x9E3779B1 >>> 9) & ~((1 << drop) - 1) & 0x7FFFFF;
                        for (int off : new int[] {-1, 0, 1, half - 1, half, half + 1}) {
                            int m = (base + off) & 0x7FFFFF;
                            int v = sign << 31 | e << 23 | m;
                            s.rec(v, Fp16.toOutput(f(v)) & 0xFFFF);
                        }
                    }
                }
            }
        }
        SplittableRandom r = new SplittableRandom(16);
        for (int i = 0; i < 500_000; i++) {
            int v = r.nextInt();
            s.rec(v, Fp16.toOutput(f(v)) & 0xFFFF);
        }
    }

    /** FP16 patterns every FP16 binary test crosses: zeros, subnormals, normals, max, Inf, NaN. */
    private static int[] fp16Edges() {
        int[] mags = {0x0000, 0x0001, 0x0002, 0x03FF, 0x0200, 0x0400, 0x0401, 0x07FF, 0x3BFF, 0x3C00, 0x3C01,
            0x3E00, 0x4000, 0x5BFF, 0x7BFE, 0x7BFF, 0x7C00, 0x7C01, 0x7E00, 0x7FFF};
        int[] all = new int[mags.length * 2];
        for (int i = 0; i < mags.length; i++) {
            all[2 * i] = mags[i];
            all[2 * i + 1] = mags[i] | 0x8000;
        }
        return all;
    }

    private static int fp16MulRef(int a, int b) {
        return out32(Fp16.toFloat((short) a) * Fp16.toFloat((short) b)); // exact: 22-bit product
    }

    private static void fp16Mul(Sink s) throws IOException {
        int[] edges = fp16Edges();
        for (int i = 0; i < edges.length; i += 2) {          // positive edges x every FP16
            int a = edges[i];
            for (int b = 0; b < 0x10000; b++) {
                s.rec(a, b, fp16MulRef(a, b));
            }
        }
        SplittableRandom r = new SplittableRandom(1616);
        for (int i = 0; i < 500_000; i++) {
            int a = r.nextInt(0x10000);
            int b = r.nextInt(0x10000);
            s.rec(a, b, fp16MulRef(a, b));
        }
    }

    // ---------------------------------------------------------------------- PacQ FP-INT multiplier

    /** bits_i encoding of pacq_fpint_mul: 0 INT2, 1 INT4, 2 INT8. */
    private static int bitsSel(int bits) {
        return Integer.numberOfTrailingZeros(bits) - 1;
    }

    private static void pacqRecord(Sink s, int a, int w, int z, int bits) throws IOException {
        int lanes = 16 / bits;
        int mask = (1 << bits) - 1;
        int[] rec = new int[12];
        rec[0] = a;
        rec[1] = w;
        rec[2] = z;
        rec[3] = bitsSel(bits);
        float av = Fp16.toFloat((short) a);
        for (int j = 0; j < 8; j++) {
            if (j < lanes) {
                int d = ((w >>> (j * bits)) & mask) - ((z >>> (j * bits)) & mask);
                rec[4 + j] = out32(av * (float) d);             // exact (numerics.md)
            } else {
                rec[4 + j] = 0;                                  // unused lanes read +0
            }
        }
        s.rec(rec);
    }

    private static int pack(int[] codes, int bits) {
        int w = 0;
        for (int j = 0; j < codes.length; j++) {
            w |= (codes[j] & ((1 << bits) - 1)) << (j * bits);
        }
        return w;
    }

    private static void pacqFpIntMul(Sink s) throws IOException {
        SplittableRandom r = new SplittableRandom(0x9AC0L);
        // INT4, exhaustive over (activation, code): every FP16 activation meets every code once
        // (4 words of 4 lanes), the lane carrying a code rotating with the activation; zero points
        // random per lane, with the symmetric 8 on every fourth word.
        for (int a = 0; a < 0x10000; a++) {
            for (int word = 0; word < 4; word++) {
                int[] c = new int[4];
                int[] z = new int[4];
                for (int j = 0; j < 4; j++) {
                    c[j] = (4 * word + j + a) & 15;
                    z[j] = word == 3 ? 8 : r.nextInt(16);
                }
                pacqRecord(s, a, pack(c, 4), pack(z, 4), 4);
            }
        }
        // INT2, exhaustive over (activation, code) the same way: one 8-lane word per activation.
        for (int a = 0; a < 0x10000; a++) {
            int[] c = new int[8];
            int[] z = new int[8];
            for (int j = 0; j < 8; j++) {
                c[j] = (j + a) & 3;
                z[j] = (a & 1) == 0 ? 2 : r.nextInt(4);
            }
            pacqRecord(s, a, pack(c, 2), pack(z, 2), 2);
        }
        // INT8: every (code, zero) pair with edge activations, and every activation with random words.
        int[] aEdges = {0x0000, 0x8000, 0x0001, 0x83FF, 0x0400, 0x3C00, 0xBC00, 0x7BFF, 0xFBFF, 0x7C00, 0xFC00, 0x7E00,
            0x3555, 0xC123};
        for (int a : new int[] {0x3C00, 0xBC00, 0x0001, 0x7BFF, 0x7C00, 0x3555}) {
            for (int q = 0; q < 256; q++) {
                for (int zz = 0; zz < 256; zz += 2) {
                    pacqRecord(s, a, pack(new int[] {q, 255 - q}, 8), pack(new int[] {zz, zz + 1}, 8), 8);
                }
            }
        }
        for (int a = 0; a < 0x10000; a++) {
            for (int i = 0; i < 2; i++) {
                pacqRecord(s, a, r.nextInt(0x10000), r.nextInt(0x10000), 8);
            }
        }
        // Every width with zero words (d = 0 against Inf/NaN activations) and random words.
        for (int bits : new int[] {2, 4, 8}) {
            for (int a : aEdges) {
                pacqRecord(s, a, 0, 0, bits);
                pacqRecord(s, a, 0xFFFF, 0xFFFF, bits);
                pacqRecord(s, a, 0xFFFF, 0, bits);
                pacqRecord(s, a, 0, 0xFFFF, bits);
            }
            for (int i = 0; i < 50_000; i++) {
                pacqRecord(s, r.nextInt(0x10000), r.nextInt(0x10000), r.nextInt(0x10000), bits);
            }
        }
    }
}
