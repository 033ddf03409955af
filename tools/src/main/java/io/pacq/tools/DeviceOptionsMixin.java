package io.pacq.tools;

import io.pacq.Device;
import io.pacq.DeviceOptions;
import io.pacq.InvalidRequestException;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The options every command that opens a device shares: the URI, the token for remote devices
 * (from --token-file or the PACQ_TOKEN environment variable) and the command deadline.
 */
final class DeviceOptionsMixin {
    @Option(names = {"-d", "--device"}, paramLabel = "URI", defaultValue = "emu:",
            description = "Device URI: emu: (default), emu:?model=cycle, rtlsim:, xdma:/dev/xdma0, pacq://host:port, "
                    + "pacq+tls://host:port.")
    String uri;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "File holding the auth token of a remote device (default: $PACQ_TOKEN).")
    Path tokenFile;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "Deadline of each device command, in seconds (default: ${DEFAULT-VALUE}).")
    double timeoutSeconds;

    DeviceOptions options() {
        if (!(timeoutSeconds > 0)) {
            throw new InvalidRequestException("--timeout must be positive, got " + timeoutSeconds);
        }
        DeviceOptions o = DeviceOptions.DEFAULTS.withClientName("pacq-cli")
                .withTimeout(Duration.ofMillis((long) Math.ceil(timeoutSeconds * 1000)));
        String token = token(tokenFile);
        return token == null || token.isEmpty() ? o : o.withAuthToken(token);
    }

    /** The token in {@code tokenFile} (stripped), or {@code $PACQ_TOKEN} when no file is given. */
    static String token(Path tokenFile) {
        if (tokenFile == null) {
            return System.getenv("PACQ_TOKEN");
        }
        try {
            return Files.readString(tokenFile).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("cannot read --token-file " + tokenFile + ": "
                    + PacqCli.describe(e), e));
        }
    }

    Device open() {
        return Device.open(uri, options());
    }
}
