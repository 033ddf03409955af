package io.pacq.tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0), one tensor per file. Stateless and
 * thread-safe.
 *
 * <pre>
 *   offset 0        6      7      8                     8+L (v1) or 12+L (v2, v3)
 *          | \x93NUMPY | major | minor | L: u16 (v1) or u32 (v2, v3) LE | header: L bytes | data |
 *
 *   header = "{'descr': '&lt;f4', 'fortran_order': False, 'shape': (3, 4), }" padded with spaces and
 *            ending in '\n' so that the data starts at a multiple of 64 bytes (Latin-1 in v1/v2,
 *            UTF-8 in v3)
 *   data   = product(shape) elements, C order, exactly to the end of the file
 * </pre>
 *
 * <p>Read: the descrs of {@link DType} ({@code <f2 <f4 |u1 |i1 <i2 <i4}; one-byte types with any
 * byte-order mark); anything else (big-endian, Fortran order with rank &gt; 1, structured or
 * object dtypes, unknown keys) is rejected with a {@link TensorFormatException} naming the field.
 * The header is parsed with a strict parser of the Python literal subset NumPy writes, capped at
 * {@link #MAX_HEADER_BYTES}; the shape's byte size is computed without overflow and must equal
 * the bytes after the header before anything is allocated. Written: version 1.0, the same bytes
 * {@code numpy.save} writes.
 */
public final class Npy {
    private Npy() {}

    /** Largest accepted header, in bytes. NumPy itself refuses headers over 10000 bytes by default. */
    public static final int MAX_HEADER_BYTES = 1 << 20;

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;

    /** True when the bytes start with the .npy magic string. */
    static boolean hasMagic(byte[] head) {
        return head.length >= MAGIC.length && Arrays.equals(head, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /** Reads and checks the header only; {@link TensorInfo#name()} is the file name. */
    public static TensorInfo readInfo(Path file) throws IOException {
        try (FileChannel ch = FileIo.openRead(file)) {
            return readInfo(file, ch);
        }
    }

    /** Reads the tensor. */
    public static Tensor read(Path file) throws IOException {
        try (FileChannel ch = FileIo.openRead(file)) {
            TensorInfo info = readInfo(file, ch);
            DType dtype = info.dtype().orElseThrow();
            byte[] data = FileIo.readFully(ch, file, null, info.fileOffset(), (int) info.byteLength());
            return Tensor.wrap(dtype, info.shape(), data);
        }
    }

    private static TensorInfo readInfo(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < 10) {
            throw new TensorFormatException(file, null, "magic", "file has " + size
                    + " bytes, too short for a .npy file");
        }
        byte[] pre = FileIo.readFully(ch, file, null, 0, 8);
        if (!hasMagic(pre)) {
            throw new TensorFormatException(file, null, "magic", "not a .npy file (expected \\x93NUMPY at the start)");
        }
        int major = pre[6] & 0xFF;
        int minor = pre[7] & 0xFF;
        int lenBytes;
        switch (major) {
            case 1 -> lenBytes = 2;
            case 2, 3 -> lenBytes = 4;
            default -> throw new TensorFormatException(file, null, "version", major + "." + minor
                    + " is not supported; expected 1.0, 2.0 or 3.0");
        }
        if (size < 8 + lenBytes) {
            throw new TensorFormatException(file, null, "header length", "file truncated inside the header length");
        }
        ByteBuffer lb = ByteBuffer.wrap(FileIo.readFully(ch, file, null, 8, lenBytes)).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen = lenBytes == 2 ? lb.getShort() & 0xFFFF : lb.getInt() & 0xFFFFFFFFL;
        long headerStart = 8 + lenBytes;
        if (headerLen > MAX_HEADER_BYTES) {
            throw new TensorFormatException(file, null, "header length", headerLen + " bytes exceeds the limit of "
                    + MAX_HEADER_BYTES + " bytes");
        }
        if (headerLen > size - headerStart) {
            throw new TensorFormatException(file, null, "header length", headerLen + " bytes exceeds the "
                    + (size - headerStart) + " bytes that follow it in the file (truncated file?)");
        }
        byte[] hb = FileIo.readFully(ch, file, null, headerStart, (int) headerLen);
        String header;
        if (major == 3) {
            try {
                header = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(hb)).toString();
            } catch (CharacterCodingException e) {
                throw new TensorFormatException(file, null, "header", "not valid UTF-8", e);
            }
        } else {
            header = new String(hb, StandardCharsets.ISO_8859_1);
        }
        Map<String, Object> dict = new HeaderParser(file, header).parseDict();
        if (!dict.keySet().equals(java.util.Set.of("descr", "fortran_order", "shape"))) {
            throw new TensorFormatException(file, null, "header", "keys are " + dict.keySet()
                    + "; expected exactly descr, fortran_order and shape");
        }
        if (!(dict.get("descr") instanceof String descr)) {
            throw new TensorFormatException(file, null, "descr", "expected a string, one of " + supportedDescrs());
        }
        DType dtype = dtypeOf(file, descr);
        if (!(dict.get("shape") instanceof long[] shape)) {
            throw new TensorFormatException(file, null, "shape", "expected a tuple of non-negative integers");
        }
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
            throw new TensorFormatException(file, null, "fortran_order", "expected True or False");
        }
        if (fortran && shape.length > 1) {
            throw new TensorFormatException(file, null, "fortran_order", "Fortran-ordered arrays are not supported;"
                    + " expected C order (save numpy.ascontiguousarray(a))");
        }
        long dataStart = headerStart + headerLen;
        long available = size - dataStart;
        long count = 1;
        for (long d : shape) {
            count = Tensor.mulOrMax(count, d);
        }
        long bytes = Tensor.mulOrMax(count, dtype.size());
        if (bytes != available) {
            String need = bytes == Long.MAX_VALUE ? "more than 2^63" : Long.toString(bytes);
            throw new TensorFormatException(file, null, "data", descr + " " + Arrays.toString(shape) + " needs " + need
                    + " bytes after the header, the file has " + available
                    + (bytes > available ? " (truncated file?)" : " (trailing bytes)"));
        }
        if (bytes > Tensor.MAX_BYTES) {
            throw new TensorFormatException(file, null, "shape", Arrays.toString(shape) + " has " + bytes
                    + " bytes, more than the " + Tensor.MAX_BYTES + " one tensor may hold");
        }
        return new TensorInfo(String.valueOf(file.getFileName()), dtype.safetensorsName(), dtype.size(), shape,
                dataStart, bytes);
    }

    private static DType dtypeOf(Path file, String descr) throws TensorFormatException {
        for (DType t : DType.values()) {
            String d = t.npyDescr();
            if (d == null) {
                continue;
            }
            if (descr.equals(d)) {
                return t;
            }
            // one-byte types have no byte order: accept any order mark
            if (t.size() == 1 && descr.length() == 3 && descr.substring(1).equals(d.substring(1))
                    && "<>=|".indexOf(descr.charAt(0)) >= 0) {
                return t;
            }
        }
        if (descr.startsWith(">")) {
            throw new TensorFormatException(file, null, "descr", "'" + descr + "' is big-endian; expected little-endian, one of "
                    + supportedDescrs() + " (save a.astype(a.dtype.newbyteorder('<')))");
        }
        throw new TensorFormatException(file, null, "descr", "'" + descr + "' is not supported; expected one of "
                + supportedDescrs());
    }

    private static String supportedDescrs() {
        List<String> out = new ArrayList<>();
        for (DType t : DType.values()) {
            if (t.npyDescr() != null) {
                out.add(t.npyDescr());
            }
        }
        return String.join(", ", out);
    }

    /**
     * Writes a tensor as version 1.0, with the header padded so the data starts at a multiple of 64
     * bytes (the bytes numpy.save writes), through a temporary sibling file.
     *
     * @throws IllegalArgumentException for BF16, which NumPy cannot represent
     */
    public static void write(Path file, Tensor t) throws IOException {
        String descr = t.dtype().npyDescr();
        if (descr == null) {
            throw new IllegalArgumentException(t.dtype() + " cannot be written to .npy (NumPy has no such type);"
                    + " write safetensors or convert to F32");
        }
        StringBuilder sb = new StringBuilder("{'descr': '").append(descr).append("', 'fortran_order': False, 'shape': (");
        long[] shape = t.shape();
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        sb.append(shape.length == 1 ? ",), }" : "), }");
        // version 1.0 always suffices: at most MAX_RANK dimensions keep the header far below 65535 bytes
        int pre = MAGIC.length + 2 + 2;
        int total = (pre + sb.length() + 1 + ALIGN - 1) / ALIGN * ALIGN;
        while (pre + sb.length() + 1 < total) {
            sb.append(' ');
        }
        sb.append('\n');
        byte[] h = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer head = ByteBuffer.allocate(pre + h.length).order(ByteOrder.LITTLE_ENDIAN);
        head.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) h.length).put(h).flip();
        FileIo.writeAtomically(file, head, ByteBuffer.wrap(t.bytesView()));
    }

    /**
     * The subset of Python literals NumPy writes in headers: a dict of string keys whose values are
     * strings, True/False, or tuples of non-negative integers. A list (a structured dtype) is
     * rejected.
     */
    private static final class HeaderParser {
        private final Path file;
        private final String s;
        private int i;

        HeaderParser(Path file, String s) {
            this.file = file;
            this.s = s;
        }

        Map<String, Object> parseDict() throws TensorFormatException {
            expect('{');
            Map<String, Object> out = new LinkedHashMap<>();
            while (true) {
                skipSpace();
                if (peek() == '}') {
                    i++;
                    break;
                }
                String key = string();
                expect(':');
                if (out.put(key, value(0)) != null) {
                    throw error("duplicate key '" + key + "'");
                }
                skipSpace();
                if (peek() == ',') {
                    i++;
                } else if (peek() != '}') {
                    throw error("expected ',' or '}'");
                }
            }
            skipSpace();
            if (i != s.length()) {
                throw error("unexpected content after the dict");
            }
            return out;
        }

        private Object value(int depth) throws TensorFormatException {
            if (depth > 4) {
                throw error("nested too deeply");
            }
            skipSpace();
            char c = peek();
            if (c == '\'' || c == '"') {
                return string();
            }
            if (c == '(') {
                return tuple();
            }
            if (c == '[') {
                throw new TensorFormatException(file, null, "descr", "structured dtypes (a list of fields) are not"
                        + " supported; expected one of " + supportedDescrs());
            }
            if (s.startsWith("True", i)) {
                i += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("False", i)) {
                i += 5;
                return Boolean.FALSE;
            }
            throw error("unexpected value");
        }

        private long[] tuple() throws TensorFormatException {
            expect('(');
            long[] out = new long[4];
            int n = 0;
            while (true) {
                skipSpace();
                if (peek() == ')') {
                    i++;
                    return Arrays.copyOf(out, n);
                }
                if (n == Tensor.MAX_RANK) {
                    throw error("shape has more than " + Tensor.MAX_RANK + " dimensions");
                }
                if (n == out.length) {
                    out = Arrays.copyOf(out, 2 * n);
                }
                out[n++] = integer();
                skipSpace();
                if (peek() == ',') {
                    i++;
                } else if (peek() != ')') {
                    throw error("expected ',' or ')' in the shape");
                }
            }
        }

        private long integer() throws TensorFormatException {
            int start = i;
            long v = 0;
            while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                int digit = s.charAt(i) - '0';
                if (v > (Long.MAX_VALUE - digit) / 10) {
                    throw error("dimension " + s.substring(start, Math.min(s.length(), i + 1)) + "... is too large");
                }
                v = v * 10 + digit;
                i++;
            }
            if (i == start) {
                throw error("expected a non-negative integer in the shape");
            }
            if (i < s.length() && s.charAt(i) == 'L') {
                i++;   // Python 2 long suffix, written by old NumPy versions
            }
            return v;
        }

        private String string() throws TensorFormatException {
            skipSpace();
            char q = peek();
            if (q != '\'' && q != '"') {
                throw error("expected a quoted string");
            }
            int start = ++i;
            while (i < s.length() && s.charAt(i) != q) {
                if (s.charAt(i) == '\\') {
                    throw error("escape sequences are not supported in header strings");
                }
                i++;
            }
            if (i == s.length()) {
                throw error("unterminated string");
            }
            return s.substring(start, i++);
        }

        private void expect(char c) throws TensorFormatException {
            skipSpace();
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            i++;
        }

        private char peek() throws TensorFormatException {
            if (i >= s.length()) {
                throw error("header ends early");
            }
            return s.charAt(i);
        }

        private void skipSpace() {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\n' || s.charAt(i) == '\t'
                    || s.charAt(i) == '\r')) {
                i++;
            }
        }

        private TensorFormatException error(String what) {
            return new TensorFormatException(file, null, "header", what + " at character " + i + " of "
                    + abbreviate(s));
        }

        private static String abbreviate(String s) {
            String t = s.strip();
            return '"' + (t.length() > 120 ? t.substring(0, 120) + "..." : t) + '"';
        }
    }
}
