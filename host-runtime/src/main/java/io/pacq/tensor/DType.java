package io.pacq.tensor;

/**
 * Element types of {@link Tensor}s, with their names in the two file formats. All multi-byte types
 * are stored little-endian.
 *
 * <table>
 *   <caption>Element types</caption>
 *   <tr><th>type</th><th>bytes</th><th>safetensors</th><th>.npy descr</th></tr>
 *   <tr><td>F16</td><td>2</td><td>F16</td><td>{@code <f2}</td></tr>
 *   <tr><td>BF16</td><td>2</td><td>BF16</td><td>none (NumPy has no bfloat16)</td></tr>
 *   <tr><td>F32</td><td>4</td><td>F32</td><td>{@code <f4}</td></tr>
 *   <tr><td>U8</td><td>1</td><td>U8</td><td>{@code |u1}</td></tr>
 *   <tr><td>I8</td><td>1</td><td>I8</td><td>{@code |i1}</td></tr>
 *   <tr><td>I16</td><td>2</td><td>I16</td><td>{@code <i2}</td></tr>
 *   <tr><td>I32</td><td>4</td><td>I32</td><td>{@code <i4}</td></tr>
 * </table>
 */
public enum DType {
    /** IEEE 754 binary16. */
    F16(2, true, "<f2"),
    /** bfloat16: the upper 16 bits of an IEEE 754 binary32. */
    BF16(2, true, null),
    /** IEEE 754 binary32. */
    F32(4, true, "<f4"),
    /** Unsigned 8-bit integer. */
    U8(1, false, "|u1"),
    /** Signed 8-bit integer. */
    I8(1, false, "|i1"),
    /** Signed 16-bit integer. */
    I16(2, false, "<i2"),
    /** Signed 32-bit integer. */
    I32(4, false, "<i4");

    private final int size;
    private final boolean floating;
    private final String npyDescr;

    DType(int size, boolean floating, String npyDescr) {
        this.size = size;
        this.floating = floating;
        this.npyDescr = npyDescr;
    }

    /** Bytes per element. */
    public int size() { return size; }

    /** True for F16, BF16 and F32. */
    public boolean isFloating() { return floating; }

    /** The safetensors dtype string, which is the constant's name. */
    public String safetensorsName() { return name(); }

    /** The canonical NumPy descr written to .npy files, or null when NumPy has no such type (BF16). */
    public String npyDescr() { return npyDescr; }

    /** The type of a safetensors dtype string, or null when it is not one of these. */
    public static DType fromSafetensorsName(String name) {
        for (DType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }
}
