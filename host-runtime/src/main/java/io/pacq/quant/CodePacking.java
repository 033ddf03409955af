package io.pacq.quant;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Packing of one row of codes between U8 (one code per byte) and the bits-wide row image of
 * {@link QuantizedWeights}: column c of a row in bits [c*bits, c*bits + bits) of the row's bytes,
 * lowest column in the lowest bits, the row padded to a whole byte with zero bits. Eight codes
 * at a time go through one 64-bit word (no per-element division or branch), the rest one by one.
 * Stateless; package-private.
 */
final class CodePacking {
    private CodePacking() {}

    static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    /** Bytes of one packed row of n codes: ceil(n * bits / 8). */
    static int rowBytes(int n, int bits) {
        return (int) (((long) n * bits + 7) >>> 3);
    }

    /** Bits of eight U8 codes that must be 0 for every code to fit in bits. */
    private static long overflowMask(int bits) {
        return switch (bits) {
            case 2 -> 0xFCFCFCFCFCFCFCFCL;
            case 4 -> 0xF0F0F0F0F0F0F0F0L;
            default -> 0;
        };
    }

    /** Eight INT4 codes (one per byte, each < 16) to 32 bits, code j in bits 4j..4j+3. */
    static int compress4(long v) {
        v = (v | v >>> 4) & 0x00FF00FF00FF00FFL;
        v = (v | v >>> 8) & 0x0000FFFF0000FFFFL;
        return (int) (v | v >>> 16);
    }

    /** Eight INT2 codes (one per byte, each < 4) to 16 bits, code j in bits 2j..2j+1. */
    static short compress2(long v) {
        v = (v | v >>> 6) & 0x000F000F000F000FL;
        v = (v | v >>> 12) & 0x000000FF000000FFL;
        return (short) (v | v >>> 24);
    }

    /** The inverse of {@link #compress4}: byte j of the result is code j. */
    static long spread4(int x) {
        long v = x & 0xFFFFFFFFL;
        v = (v | v << 16) & 0x0000FFFF0000FFFFL;
        v = (v | v << 8) & 0x00FF00FF00FF00FFL;
        return (v | v << 4) & 0x0F0F0F0F0F0F0F0FL;
    }

    /** The inverse of {@link #compress2}: byte j of the result is code j. */
    static long spread2(short x) {
        long v = x & 0xFFFFL;
        v = (v | v << 24) & 0x000000FF000000FFL;
        v = (v | v << 12) & 0x000F000F000F000FL;
        return (v | v << 6) & 0x0303030303030303L;
    }

    /**
     * Packs the U8 codes {@code src[srcOff .. srcOff + len)}, columns {@code col .. col + len) of
     * a row, into the packed row starting at {@code dst[rowOff]}. Bits of other columns are kept.
     *
     * @return -1, or the index (0 .. len-1) of the first code that does not fit in bits; codes
     *         before it may have been written
     */
    static int pack(byte[] src, int srcOff, byte[] dst, int rowOff, int col, int len, int bits) {
        if (bits == 8) {
            System.arraycopy(src, srcOff, dst, rowOff + col, len);
            return -1;
        }
        int i = 0;
        // single codes up to a column that starts a whole byte group of eight
        for (; i < len && ((col + i) & 7) != 0; i++) {
            if (!put(src[srcOff + i], dst, rowOff, col + i, bits)) {
                return i;
            }
        }
        long over = overflowMask(bits);
        int at = rowOff + (int) ((long) (col + i) * bits >>> 3);
        if (bits == 4) {
            for (; i + 8 <= len; i += 8, at += 4) {
                long v = (long) LONG.get(src, srcOff + i);
                if ((v & over) != 0) {
                    return firstMisfit(src, srcOff, i, len, bits);
                }
                INT.set(dst, at, compress4(v));
            }
        } else {
            for (; i + 8 <= len; i += 8, at += 2) {
                long v = (long) LONG.get(src, srcOff + i);
                if ((v & over) != 0) {
                    return firstMisfit(src, srcOff, i, len, bits);
                }
                SHORT.set(dst, at, compress2(v));
            }
        }
        for (; i < len; i++) {
            if (!put(src[srcOff + i], dst, rowOff, col + i, bits)) {
                return i;
            }
        }
        return -1;
    }

    private static int firstMisfit(byte[] src, int srcOff, int from, int len, int bits) {
        for (int i = from; i < len; i++) {
            if ((src[srcOff + i] & 0xFF) >>> bits != 0) {
                return i;
            }
        }
        throw new AssertionError("no misfit code found");
    }

    /** Sets one code, keeping the other bits of its byte; false when it does not fit. */
    private static boolean put(byte code, byte[] dst, int rowOff, int col, int bits) {
        int q = code & 0xFF;
        if (q >>> bits != 0) {
            return false;
        }
        int bit = col * bits;
        int at = rowOff + (bit >>> 3);
        int sh = bit & 7;
        int mask = (1 << bits) - 1;
        dst[at] = (byte) ((dst[at] & ~(mask << sh)) | q << sh);
        return true;
    }

    /**
     * Unpacks columns {@code 0 .. n)} of the packed row at {@code src[rowOff]} into one byte per
     * code at {@code dst[dstOff]}.
     */
    static void unpack(byte[] src, int rowOff, byte[] dst, int dstOff, int n, int bits) {
        if (bits == 8) {
            System.arraycopy(src, rowOff, dst, dstOff, n);
            return;
        }
        int c = 0;
        if (bits == 4) {
            for (; c + 8 <= n; c += 8) {
                LONG.set(dst, dstOff + c, spread4((int) INT.get(src, rowOff + (c >>> 1))));
            }
        } else {
            for (; c + 8 <= n; c += 8) {
                LONG.set(dst, dstOff + c, spread2((short) SHORT.get(src, rowOff + (c >>> 2))));
            }
        }
        int mask = (1 << bits) - 1;
        for (; c < n; c++) {
            int bit = c * bits;
            dst[dstOff + c] = (byte) ((src[rowOff + (bit >>> 3)] & 0xFF) >>> (bit & 7) & mask);
        }
    }
}
