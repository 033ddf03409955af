package io.pacq;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A parsed device URI: {@code scheme:rest[?key=value&...]}. Examples: {@code emu:},
 * {@code emu:?model=cycle&cores=1}, {@code rtlsim:}, {@code xdma:/dev/xdma0},
 * {@code pacq://host:7070}, {@code pacq+tls://host:7070}. Immutable.
 *
 * @param text   the URI as given
 * @param scheme lower-case scheme, e.g. "emu"
 * @param path   what follows the scheme and before '?': "" for "emu:", "/dev/xdma0", "//host:7070"
 * @param query  query parameters in order, decoded
 */
public record DeviceUri(String text, String scheme, String path, Map<String, String> query) {

    public DeviceUri {
        query = Collections.unmodifiableMap(new LinkedHashMap<>(query));
    }

    /**
     * Parses a device URI.
     *
     * @throws InvalidRequestException when there is no scheme or a query parameter is malformed
     */
    public static DeviceUri parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidRequestException("device URI is empty; expected e.g. emu:, rtlsim:, xdma:/dev/xdma0 or pacq://host:port");
        }
        int colon = text.indexOf(':');
        if (colon <= 0 || !text.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
            throw new InvalidRequestException("device URI '" + text
                    + "' has no scheme; expected e.g. emu:, rtlsim:, xdma:/dev/xdma0 or pacq://host:port");
        }
        String scheme = text.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
        String rest = text.substring(colon + 1);
        Map<String, String> q = new LinkedHashMap<>();
        int qm = rest.indexOf('?');
        if (qm >= 0) {
            for (String part : rest.substring(qm + 1).split("&")) {
                if (part.isEmpty()) {
                    continue;
                }
                int eq = part.indexOf('=');
                if (eq <= 0) {
                    throw new InvalidRequestException("device URI '" + text + "': query parameter '" + part
                            + "' is not key=value");
                }
                q.put(URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
            }
            rest = rest.substring(0, qm);
        }
        return new DeviceUri(text, scheme, rest, q);
    }

    /** A query parameter, or the default. */
    public String param(String key, String dflt) {
        return query.getOrDefault(key, dflt);
    }

    /** An integer query parameter, or the default; a malformed value is an error naming it. */
    public long longParam(String key, long dflt) {
        String v = query.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            return parseSize(v);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("device URI '" + text + "': parameter " + key + "=" + v
                    + " is not a number");
        }
    }

    /**
     * Parses a size as URIs and command-line options write it: "123", "0x7b", "64k", "512M", "4G"
     * (binary multiples, case-insensitive).
     *
     * @throws NumberFormatException when {@code v} is not such a size
     * @throws ArithmeticException when it does not fit a {@code long}
     */
    public static long parseSize(String v) {
        String s = v.trim().toLowerCase(java.util.Locale.ROOT);
        long mult = 1;
        if (s.endsWith("k")) {
            mult = 1L << 10;
        } else if (s.endsWith("m")) {
            mult = 1L << 20;
        } else if (s.endsWith("g")) {
            mult = 1L << 30;
        }
        if (mult != 1) {
            s = s.substring(0, s.length() - 1);
        }
        long base = s.startsWith("0x") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
        return Math.multiplyExact(base, mult);
    }

    @Override
    public String toString() {
        return text;
    }
}
