package io.pacq.net;

import io.pacq.Device;
import io.pacq.DeviceOptions;
import io.pacq.Fp16Matrix;
import io.pacq.GemmMode;
import io.pacq.GemmRequest;
import io.pacq.GemmResult;
import io.pacq.WeightHandle;
import io.pacq.net.server.ServerConfig;
import io.pacq.proto.ServerStats;
import io.pacq.quant.QuantSpec;
import io.pacq.quant.QuantizedWeights;
import io.pacq.ref.ReferenceGemm;
import io.pacq.testing.RandomProblems;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 16 concurrent clients x 200 GEMMs, each client with its own weights: every result is the
 * oracle's for that client's weights and activations (nothing lost, duplicated or mixed up),
 * and the server's resident bytes and device queue stay within their limits throughout.
 */
class LoadTest {
    static final int CLIENTS = 16;
    static final int GEMMS = 200;
    static final int WINDOW = 8;   // requests each client keeps in flight

    @Test
    void sixteenClientsTwoHundredGemmsEach() throws Exception {
        long perClient = 64 << 10;
        ServerConfig config = TestServers.base().maxClientResidentBytes(perClient).maxResidentBytes(CLIENTS * perClient)
                .deviceQueueCapacity(32).maxInflightPerClient(4).build();
        try (TestServers served = TestServers.emu(config)) {
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong maxResident = new AtomicLong();
            AtomicLong maxQueue = new AtomicLong();
            Thread sampler = new Thread(() -> {
                while (running.get()) {
                    maxResident.accumulateAndGet(served.server.residentBytes(), Math::max);
                    maxQueue.accumulateAndGet(served.server.stats().getDeviceQueueDepth(), Math::max);
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.start();
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            List<Future<Integer>> results = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                results.add(pool.submit(() -> runClient(served.uri(), client)));
            }
            int total = 0;
            for (Future<Integer> f : results) {
                total += f.get(5, TimeUnit.MINUTES);
            }
            pool.shutdown();
            running.set(false);
            sampler.join();
            assertEquals(CLIENTS * GEMMS, total);
            assertTrue(maxResident.get() <= CLIENTS * perClient, "resident bytes peaked at " + maxResident.get());
            assertTrue(maxQueue.get() <= 32, "device queue peaked at " + maxQueue.get());
            ServerStats s = served.server.stats();
            assertEquals(CLIENTS * GEMMS, s.getGemmsCompleted());
            assertEquals(0, served.server.residentBytes(), "every session's weights were freed");
            assertEquals(0, served.device.counters().liveHandles(), "no weight handle left on the device");
            assertTrue(s.getErrorsMap().isEmpty(), "no errors: " + s.getErrorsMap());
        }
    }

    /** One client: its own weights (seeded by its number), GEMMs with a window of WINDOW in flight. */
    private static int runClient(String uri, int client) {
        SplittableRandom rnd = new SplittableRandom(1000 + client);
        int k = 64;
        int n = 32 + 16 * (client % 4);   // clients differ in shape too: a mix-up cannot go unnoticed
        QuantizedWeights w = RandomProblems.weights(rnd, k, n, QuantSpec.of(4, 32));
        int done = 0;
        try (Device dev = Device.open(uri, DeviceOptions.DEFAULTS.withTimeout(Duration.ofSeconds(60))
                .withClientName("load-" + client));
             WeightHandle h = dev.upload(w)) {
            List<Fp16Matrix> inputs = new ArrayList<>();
            List<CompletableFuture<GemmResult>> inflight = new ArrayList<>();
            for (int i = 0; i < GEMMS; i++) {
                Fp16Matrix a = RandomProblems.activations(rnd, 1 + (i % 3), k, 2f);
                inputs.add(a);
                inflight.add(dev.submit(GemmRequest.of(h, a).withMode(i % 2 == 0 ? GemmMode.PACQ : GemmMode.DEQUANT)));
                if (inflight.size() == WINDOW || i == GEMMS - 1) {
                    for (int j = 0; j < inflight.size(); j++) {
                        int idx = i - inflight.size() + 1 + j;
                        Fp16Matrix in = inputs.get(idx);
                        GemmMode mode = idx % 2 == 0 ? GemmMode.PACQ : GemmMode.DEQUANT;
                        assertArrayEquals(ReferenceGemm.gemmF16(mode, in.toBits(), in.rows(), w),
                                Device.await(inflight.get(j)).f16Bits(), "client " + client + " GEMM " + idx);
                        done++;
                    }
                    inflight.clear();
                }
            }
        }
        return done;
    }
}
