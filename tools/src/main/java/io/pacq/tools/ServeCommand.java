package io.pacq.tools;

import io.pacq.Device;
import io.pacq.DeviceOptions;
import io.pacq.DeviceUri;
import io.pacq.InvalidRequestException;
import io.pacq.net.server.PacqServer;
import io.pacq.net.server.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code pacq serve}: puts a local device behind the network protocol until interrupted
 * (Ctrl-C / SIGTERM stops it gracefully: in-flight GEMMs finish, new ones are refused).
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve a local device (emu:, rtlsim:, xdma:...) to pacq:// clients over the network.")
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-d", "--device"}, paramLabel = "URI", defaultValue = "emu:",
            description = "Device to serve (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = {"-p", "--port"}, paramLabel = "P", defaultValue = "7070",
            description = "TCP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, loopback only; 0.0.0.0 for all).")
    String bind;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate chain: serve pacq+tls://.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM PKCS#8 private key of --tls-cert.")
    Path tlsKey;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "File holding the token clients must present (default: $PACQ_TOKEN; none: no token).")
    Path tokenFile;

    @Option(names = "--max-clients", paramLabel = "N", defaultValue = "64",
            description = "Connections served at once (default: ${DEFAULT-VALUE}).")
    int maxClients;

    @Option(names = "--max-frame-bytes", paramLabel = "N", defaultValue = "1088K",
            description = "Longest frame accepted, bytes; k/M/G suffixes (default: ${DEFAULT-VALUE}).")
    String maxFrameBytes;

    @Option(names = "--max-resident-bytes", paramLabel = "N", defaultValue = "4G",
            description = "Uploaded weight bytes held for all clients together (default: ${DEFAULT-VALUE}).")
    String maxResidentBytes;

    @Option(names = "--max-client-resident-bytes", paramLabel = "N",
            description = "Uploaded weight bytes one client may hold (default: --max-resident-bytes).")
    String maxClientResidentBytes;

    @Option(names = "--max-request-bytes", paramLabel = "N", defaultValue = "256M",
            description = "Activation + output bytes of one GEMM (default: ${DEFAULT-VALUE}).")
    String maxRequestBytes;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "Close sessions silent this long with nothing in flight (default: ${DEFAULT-VALUE}).")
    double idleSeconds;

    @Option(names = "--grace", paramLabel = "SECONDS", defaultValue = "30",
            description = "On stop, time given to in-flight requests (default: ${DEFAULT-VALUE}).")
    double graceSeconds;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        String token = DeviceOptionsMixin.token(tokenFile);
        if (tokenFile != null && token.isEmpty()) {
            throw new InvalidRequestException("--token-file " + tokenFile + " is empty");
        }
        ServerConfig.Builder b = ServerConfig.builder().bindAddress(bind).port(port).token(token)
                .maxClients(maxClients).maxFrameBytes((int) Math.min(Integer.MAX_VALUE, size("--max-frame-bytes",
                        maxFrameBytes)))
                .maxResidentBytes(size("--max-resident-bytes", maxResidentBytes))
                .maxRequestBytes(size("--max-request-bytes", maxRequestBytes))
                .idleTimeout(Duration.ofMillis((long) (idleSeconds * 1000)))
                .serverName("pacq serve " + device);
        if (maxClientResidentBytes != null) {
            b.maxClientResidentBytes(size("--max-client-resident-bytes", maxClientResidentBytes));
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new InvalidRequestException("--tls-cert and --tls-key go together");
        }
        if (tlsCert != null) {
            b.tls(tlsCert, tlsKey);
        }
        ServerConfig config;
        try {
            config = b.build();
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage(), e);
        }
        Device dev = Device.open(device, DeviceOptions.DEFAULTS.withClientName("pacq-serve"));
        PacqServer server;
        try {
            server = PacqServer.start(dev, config);
        } catch (RuntimeException e) {
            dev.close();
            throw e;
        }
        Duration grace = Duration.ofMillis((long) (graceSeconds * 1000));
        Thread hook = new Thread(() -> {
            server.stop(grace);
            try {
                dev.close();
            } catch (RuntimeException e) {
                System.err.println("pacq serve: " + e.getMessage());
            }
        }, "pacq-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.printf(Locale.ROOT, "pacq serve: serving %s at %s%s (Ctrl-C to stop)%n", dev.info().description(),
                server.uri(), token == null ? "" : ", token required");
        out.flush();
        server.awaitTermination();
        return 0;
    }

    /** "123", "64k", "512M", "4G" (binary multiples), as {@link DeviceUri#parseSize} reads them. */
    static long size(String option, String v) {
        try {
            return DeviceUri.parseSize(v);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new InvalidRequestException(option + " " + v + " is not a size (e.g. 1048576, 64k, 512M, 4G)");
        }
    }
}
