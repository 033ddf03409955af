package io.pacq;

import java.time.Duration;
import java.util.Objects;

/**
 * Options for opening a device that are not part of its URI. Immutable.
 *
 * @param defaultTimeout deadline of a command that does not name one
 * @param authToken      shared secret for remote devices, or null
 * @param clientName     name a remote server logs for this client
 */
public record DeviceOptions(Duration defaultTimeout, String authToken, String clientName) {

    /** 60 s default deadline, no token, client name "pacq-java". */
    public static final DeviceOptions DEFAULTS = new DeviceOptions(Duration.ofSeconds(60), null, "pacq-java");

    public DeviceOptions {
        Objects.requireNonNull(defaultTimeout, "defaultTimeout");
        Objects.requireNonNull(clientName, "clientName");
        if (defaultTimeout.isNegative() || defaultTimeout.isZero()) {
            throw new IllegalArgumentException("defaultTimeout must be positive, got " + defaultTimeout);
        }
    }

    /** With another default deadline. */
    public DeviceOptions withTimeout(Duration t) {
        return new DeviceOptions(t, authToken, clientName);
    }

    /** With an authentication token for remote devices. */
    public DeviceOptions withAuthToken(String token) {
        return new DeviceOptions(defaultTimeout, token, clientName);
    }

    /** With a client name. */
    public DeviceOptions withClientName(String name) {
        return new DeviceOptions(defaultTimeout, authToken, name);
    }

    @Override
    public String toString() {
        // never print the token
        return "DeviceOptions[defaultTimeout=" + defaultTimeout + ", authToken=" + (authToken == null ? "none" : "***")
                + ", clientName=" + clientName + "]";
    }
}
