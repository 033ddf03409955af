package io.pacq;

import io.pacq.spi.DeviceProvider;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeSet;

/** Finds the backend for a device URI among the installed {@link DeviceProvider}s. */
public final class Devices {
    private Devices() {}

    /** The installed providers, in class-path order. */
    public static List<DeviceProvider> providers() {
        List<DeviceProvider> out = new ArrayList<>();
        ServiceLoader.load(DeviceProvider.class, Devices.class.getClassLoader()).forEach(out::add);
        return out;
    }

    /**
     * Opens the device a URI names.
     *
     * @throws UnknownDeviceException when no installed backend handles the scheme; the message
     *                                lists the schemes that are installed
     */
    public static Device open(String uri, DeviceOptions options) {
        DeviceUri parsed = DeviceUri.parse(uri);
        TreeSet<String> known = new TreeSet<>();
        for (DeviceProvider p : providers()) {
            if (p.schemes().contains(parsed.scheme())) {
                return p.open(parsed, options);
            }
            known.addAll(p.schemes());
        }
        throw new UnknownDeviceException("no backend for device URI '" + uri + "' (scheme '" + parsed.scheme()
                + "'); installed schemes: " + (known.isEmpty() ? "none" : String.join(", ", known)));
    }
}
