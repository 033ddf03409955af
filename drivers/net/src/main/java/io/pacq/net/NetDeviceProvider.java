package io.pacq.net;

import io.pacq.Device;
import io.pacq.DeviceOptions;
import io.pacq.DeviceUri;
import io.pacq.InvalidRequestException;
import io.pacq.spi.DeviceProvider;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * Opens remote devices served by {@code pacq serve}:
 *
 * <pre>
 *   pacq://host[:port][?connect_timeout_ms=N][&amp;reupload=true|false]
 *   pacq+tls://host[:port][?ca=FILE][&amp;connect_timeout_ms=N][&amp;reupload=true|false]
 * </pre>
 *
 * port: default 7070; ca: PEM certificate(s) to trust (default: the JVM's trust store); the
 * server's certificate must name the host (DNS or IP subject alternative name). The auth token
 * comes from {@link DeviceOptions#authToken()}, never from the URI (URIs end up in logs).
 */
public final class NetDeviceProvider implements DeviceProvider {
    /** Port used when the URI names none. */
    public static final int DEFAULT_PORT = 7070;
    private static final Set<String> PARAMS = Set.of("ca", "connect_timeout_ms", "reupload");

    /** Public no-argument constructor for {@link java.util.ServiceLoader}. */
    public NetDeviceProvider() {
    }

    @Override
    public Set<String> schemes() {
        return Set.of("pacq", "pacq+tls");
    }

    @Override
    public String describe() {
        return "pacq://host:port, pacq+tls://host:port: a device served over the network by `pacq serve`";
    }

    @Override
    public Device open(DeviceUri uri, DeviceOptions options) {
        return NetDevice.open(parse(uri), options);
    }

    /** Where and how to connect. */
    record Target(DeviceUri uri, String host, int port, boolean tls, Path ca, long connectTimeoutMs,
                  boolean reupload) {
    }

    static Target parse(DeviceUri uri) {
        for (String key : uri.query().keySet()) {
            if (!PARAMS.contains(key)) {
                throw new InvalidRequestException("device URI '" + uri + "': unknown parameter '" + key + "'; "
                        + uri.scheme() + ": takes " + new TreeSet<>(PARAMS));
            }
        }
        boolean tls = uri.scheme().equals("pacq+tls");
        String p = uri.path();
        if (!p.startsWith("//") || p.length() == 2) {
            throw new InvalidRequestException("device URI '" + uri + "': expected " + uri.scheme() + "://host:port");
        }
        String hostPort = p.substring(2);
        if (hostPort.endsWith("/")) {
            hostPort = hostPort.substring(0, hostPort.length() - 1);
        }
        String host;
        int port = DEFAULT_PORT;
        String portText = null;
        if (hostPort.startsWith("[")) {                         // [v6]:port
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw new InvalidRequestException("device URI '" + uri + "': unclosed '[' in the IPv6 address");
            }
            host = hostPort.substring(1, close);
            String rest = hostPort.substring(close + 1);
            if (rest.startsWith(":")) {
                portText = rest.substring(1);
            } else if (!rest.isEmpty()) {
                throw new InvalidRequestException("device URI '" + uri + "': unexpected '" + rest + "' after the address");
            }
        } else {
            int colon = hostPort.lastIndexOf(':');
            if (colon >= 0) {
                host = hostPort.substring(0, colon);
                portText = hostPort.substring(colon + 1);
            } else {
                host = hostPort;
            }
        }
        if (host.isEmpty() || host.contains("/")) {
            throw new InvalidRequestException("device URI '" + uri + "': bad host '" + host + "'; expected "
                    + uri.scheme() + "://host:port");
        }
        if (portText != null) {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw new InvalidRequestException("device URI '" + uri + "': port '" + portText
                        + "' is not a number from 1 to 65535");
            }
        }
        String ca = uri.param("ca", null);
        if (ca != null && !tls) {
            throw new InvalidRequestException("device URI '" + uri + "': ca= only applies to pacq+tls://");
        }
        long connectMs = uri.longParam("connect_timeout_ms", 10_000);
        if (connectMs < 1) {
            throw new InvalidRequestException("device URI '" + uri + "': connect_timeout_ms must be positive");
        }
        String re = uri.param("reupload", "true");
        if (!re.equals("true") && !re.equals("false")) {
            throw new InvalidRequestException("device URI '" + uri + "': reupload must be true or false, got " + re);
        }
        return new Target(uri, host, port, tls, ca == null ? null : Path.of(ca), connectMs, re.equals("true"));
    }
}
