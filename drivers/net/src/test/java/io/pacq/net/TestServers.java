package io.pacq.net;

import io.pacq.Device;
import io.pacq.DeviceOptions;
import io.pacq.net.server.PacqServer;
import io.pacq.net.server.ServerConfig;

import java.time.Duration;

/** A served emu: device on 127.0.0.1 with an ephemeral port, for tests. */
final class TestServers implements AutoCloseable {
    final Device device;
    final PacqServer server;

    TestServers(Device device, ServerConfig config) {
        this.device = device;
        this.server = PacqServer.start(device, config);
    }

    /** emu: behind a server with default limits except the port. */
    static TestServers emu() {
        return emu(base().build());
    }

    static TestServers emu(ServerConfig config) {
        return new TestServers(Device.open("emu:?mem=512M&threads=2"), config);
    }

    /** Defaults for tests: loopback, any free port. */
    static ServerConfig.Builder base() {
        return ServerConfig.builder().bindAddress("127.0.0.1").port(0).serverName("test-server");
    }

    String uri() {
        return server.uri();
    }

    Device client() {
        return Device.open(uri(), DeviceOptions.DEFAULTS.withTimeout(Duration.ofSeconds(30)).withClientName("test"));
    }

    Device client(DeviceOptions o) {
        return Device.open(uri(), o);
    }

    @Override
    public void close() {
        try {
            server.stop(Duration.ofSeconds(5));
        } finally {
            device.close();
        }
    }
}
