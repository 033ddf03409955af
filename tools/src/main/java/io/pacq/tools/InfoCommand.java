package io.pacq.tools;

import io.pacq.Device;
import io.pacq.DeviceCounters;
import io.pacq.DeviceInfo;
import io.pacq.Devices;
import io.pacq.spi.DeviceProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/** {@code pacq info}: what a device is and can do, or (--list) which backends are installed. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show a device's identity, capability block and counters; --list shows the installed backends.")
final class InfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DeviceOptionsMixin device;

    @Option(names = "--list", description = "List the installed backends (URI schemes) and the devices they find.")
    boolean list;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (list) {
            for (DeviceProvider p : Devices.providers()) {
                out.printf("%-14s %s%n", String.join(",", new TreeSet<>(p.schemes())), p.describe());
            }
            out.println();
            out.println("XDMA devices:");
            io.pacq.xdma.XdmaDevices.report().forEach(line -> out.println("  " + line));
            return 0;
        }
        try (Device dev = device.open()) {
            DeviceInfo i = dev.info();
            out.printf("device        %s%n", i.uri());
            out.printf("description   %s%n", i.description());
            out.printf("model         %s%n", i.model());
            out.printf("ABI           %d.%d%n", i.abiMajor(), i.abiMinor());
            out.printf("cores         %d x %d warps x %d lanes, %d matrix unit(s) per core%n", i.cores(), i.warps(),
                    i.lanes(), i.mmaUnits());
            out.printf("shared memory %d bytes per core%n", i.smemBytes());
            out.printf("memory        %d bytes (%.1f GiB)%n", i.memoryBytes(), i.memoryBytes() / (double) (1L << 30));
            out.printf("clock         %s%n", i.clockKhz() == 0 ? "n/a (not a clocked model)" : i.clockKhz() + " kHz");
            out.printf("weight bits   %s%n", new TreeSet<>(i.bits()));
            out.printf("modes         %s%n", new TreeSet<>(i.modes()));
            if (dev instanceof io.pacq.net.RemoteDevice r) {
                io.pacq.net.RemoteDevice.describe(r.serverStats()).forEach(out::println);
            }
            DeviceCounters c = dev.counters();
            out.printf("counters      %d commands, %d bytes to device, %d bytes from device%n", c.commandsSubmitted(),
                    c.bytesToDevice(), c.bytesFromDevice());
        }
        return 0;
    }
}
