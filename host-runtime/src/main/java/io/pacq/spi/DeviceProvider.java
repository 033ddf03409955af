package io.pacq.spi;

import io.pacq.Device;
import io.pacq.DeviceOptions;
import io.pacq.DeviceUri;

import java.util.Set;

/**
 * A backend that opens devices for some URI schemes, found with {@link java.util.ServiceLoader}
 * (list implementations in {@code META-INF/services/io.pacq.spi.DeviceProvider}), the way JDBC
 * finds drivers. Implementations must have a public no-argument constructor and be thread-safe.
 */
public interface DeviceProvider {
    /** Lower-case schemes handled, e.g. {@code Set.of("emu")}. */
    Set<String> schemes();

    /** One line for {@code pacq info --list}: what the backend is. */
    String describe();

    /** Opens a device. Errors are {@link io.pacq.PacqException}s saying what to fix. */
    Device open(DeviceUri uri, DeviceOptions options);
}
