package io.pacq.testing;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * An IEEE 754 value held exactly (a BigDecimal for finite values, plus the sign of zero, ±Inf and
 * NaN), with exact addition and multiplication and an independent round-to-nearest-even routine
 * for any binary format. Tests use it to evaluate the numerics contract's pseudo-code with each
 * RN step done exactly and then rounded, without any of the JDK's float arithmetic or conversions
 * (except {@link #of(float)}, which decodes bits by hand). Immutable.
 */
public final class ExactFloat {
    /** A binary floating-point format: precision p (significand bits incl. the hidden one), exponent range. */
    public record Format(int precision, int emin, int emax, int exponentBits) {
        /** IEEE binary16. */
        public static final Format FP16 = new Format(11, -14, 15, 5);
        /** IEEE binary32. */
        public static final Format FP32 = new Format(24, -126, 127, 8);
        /** bfloat16. */
        public static final Format BF16 = new Format(8, -126, 127, 8);
    }

    private enum Kind { FINITE, INF, NAN }

    /** Positive zero. */
    public static final ExactFloat ZERO = new ExactFloat(Kind.FINITE, false, BigDecimal.ZERO);
    /** NaN. */
    public static final ExactFloat NAN = new ExactFloat(Kind.NAN, false, null);

    private final Kind kind;
    private final boolean negative;   // sign of zeros and infinities; for non-zero finite, value's sign
    private final BigDecimal value;   // finite only, signed

    private ExactFloat(Kind kind, boolean negative, BigDecimal value) {
        this.kind = kind;
        this.negative = negative;
        this.value = value;
    }

    /** An exact finite value (sign of zero: positive). */
    public static ExactFloat of(BigDecimal v) {
        return new ExactFloat(Kind.FINITE, v.signum() < 0, v);
    }

    /** An integer. */
    public static ExactFloat of(long v) {
        return of(BigDecimal.valueOf(v));
    }

    /** Decodes raw bits of a format by hand (sign, biased exponent, fraction). */
    public static ExactFloat decode(Format f, long bits) {
        int fracBits = f.precision() - 1;
        int bias = f.emax();
        long frac = bits & ((1L << fracBits) - 1);
        int exp = (int) ((bits >>> fracBits) & ((1 << f.exponentBits()) - 1));
        boolean neg = ((bits >>> (fracBits + f.exponentBits())) & 1) != 0;
        if (exp == (1 << f.exponentBits()) - 1) {
            return frac == 0 ? new ExactFloat(Kind.INF, neg, null) : NAN;
        }
        BigDecimal mag = exp == 0
                ? BigDecimal.valueOf(frac).multiply(pow2(f.emin() - fracBits))
                : BigDecimal.valueOf((1L << fracBits) + frac).multiply(pow2(exp - bias - fracBits));
        return new ExactFloat(Kind.FINITE, neg, neg ? mag.negate() : mag);
    }

    /** The value of FP16 bits. */
    public static ExactFloat ofFp16(short bits) {
        return decode(Format.FP16, bits & 0xFFFF);
    }

    /** The value of a float, decoded from its bits. */
    public static ExactFloat of(float v) {
        return decode(Format.FP32, Float.floatToRawIntBits(v) & 0xFFFFFFFFL);
    }

    /** 2^e exactly. */
    public static BigDecimal pow2(int e) {
        return e >= 0 ? new BigDecimal(BigInteger.ONE.shiftLeft(e)) : new BigDecimal(BigInteger.valueOf(5).pow(-e), -e);
    }

    /** floor(log2 |x|) for x != 0. */
    public static int exponent(BigDecimal x) {
        BigDecimal a = x.abs();
        // estimate from digits, then correct
        int e = (int) Math.floor((a.unscaledValue().bitLength() - 1) - a.scale() * (Math.log(10) / Math.log(2)));
        while (pow2(e).compareTo(a) > 0) {
            e--;
        }
        while (pow2(e + 1).compareTo(a) <= 0) {
            e++;
        }
        return e;
    }

    public boolean isNaN() { return kind == Kind.NAN; }

    public boolean isInfinite() { return kind == Kind.INF; }

    /** True for ±0. */
    public boolean isZero() { return kind == Kind.FINITE && value.signum() == 0; }

    /** The sign bit. */
    public boolean isNegative() { return negative; }

    /** The finite value. */
    public BigDecimal value() {
        if (kind != Kind.FINITE) {
            throw new IllegalStateException(this + " is not finite");
        }
        return value;
    }

    /** Exact IEEE addition (round-to-nearest sign rules for exact zero sums). */
    public ExactFloat add(ExactFloat o) {
        if (isNaN() || o.isNaN()) {
            return NAN;
        }
        if (isInfinite() || o.isInfinite()) {
            if (isInfinite() && o.isInfinite() && negative != o.negative) {
                return NAN;
            }
            return isInfinite() ? this : o;
        }
        BigDecimal s = value.add(o.value);
        if (s.signum() == 0) {
            // x + (-x) = +0 under round-to-nearest; -0 + -0 = -0
            return new ExactFloat(Kind.FINITE, isZero() && o.isZero() && negative && o.negative, BigDecimal.ZERO);
        }
        return of(s);
    }

    /** Exact IEEE multiplication. */
    public ExactFloat mul(ExactFloat o) {
        if (isNaN() || o.isNaN()) {
            return NAN;
        }
        boolean neg = negative != o.negative;
        if (isInfinite() || o.isInfinite()) {
            if (isZero() || o.isZero()) {
                return NAN;
            }
            return new ExactFloat(Kind.INF, neg, null);
        }
        BigDecimal p = value.multiply(o.value);
        return p.signum() == 0 ? new ExactFloat(Kind.FINITE, neg, BigDecimal.ZERO) : of(p);
    }

    /** Rounds to a format, to nearest, ties to even, overflow to ±Inf, subnormals kept. */
    public ExactFloat round(Format f) {
        if (kind != Kind.FINITE || value.signum() == 0) {
            return this;
        }
        BigDecimal a = value.abs();
        int e = Math.max(exponent(a), f.emin());
        int q = e - (f.precision() - 1);                       // exponent of the last significand bit
        BigInteger n = a.multiply(pow2(-q)).setScale(0, RoundingMode.HALF_EVEN).toBigIntegerExact();
        BigDecimal r = new BigDecimal(n).multiply(pow2(q));
        if (r.compareTo(pow2(f.emax() + 1)) >= 0) {
            return new ExactFloat(Kind.INF, negative, null);
        }
        if (r.signum() == 0) {
            return new ExactFloat(Kind.FINITE, negative, BigDecimal.ZERO);   // underflow keeps the sign
        }
        return new ExactFloat(Kind.FINITE, negative, negative ? r.negate() : r);
    }

    /**
     * Encodes a value already representable in the format into bits, by hand; NaN becomes the
     * given canonical pattern.
     */
    public long encode(Format f, long canonicalNaN) {
        int fracBits = f.precision() - 1;
        long sign = negative ? 1L << (fracBits + f.exponentBits()) : 0;
        long expAllOnes = (1L << f.exponentBits()) - 1;
        if (isNaN()) {
            return canonicalNaN;
        }
        if (isInfinite()) {
            return sign | expAllOnes << fracBits;
        }
        if (isZero()) {
            return sign;
        }
        BigDecimal a = value.abs();
        int e = exponent(a);
        if (e < f.emin()) {
            BigDecimal m = a.multiply(pow2(-(f.emin() - fracBits)));
            return sign | m.toBigIntegerExact().longValueExact();
        }
        BigDecimal m = a.multiply(pow2(fracBits - e));          // in [2^fracBits, 2^(fracBits+1))
        long mant = m.toBigIntegerExact().longValueExact() - (1L << fracBits);
        return sign | ((long) (e + f.emax()) << fracBits) | mant;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case NAN -> "NaN";
            case INF -> negative ? "-Inf" : "+Inf";
            case FINITE -> isZero() ? (negative ? "-0" : "+0") : value.stripTrailingZeros().toPlainString();
        };
    }
}
