package io.pacq.net;

import io.pacq.Device;
import io.pacq.Fp16Matrix;
import io.pacq.GemmMode;
import io.pacq.GemmRequest;
import io.pacq.WeightHandle;
import io.pacq.quant.QuantSpec;
import io.pacq.quant.QuantizedWeights;
import io.pacq.ref.ReferenceGemm;
import io.pacq.testing.RandomProblems;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Uploads whose DATA is streamed from the calling thread (larger than the client's write
 * high-water mark, so the producer waits for the socket) on one session, from several threads at
 * once and next to GEMMs: the server's per-session transfer limit is never exceeded (it would
 * close the session), and every weight set arrives intact (GEMMs equal the reference bit for bit).
 */
class StreamingUploadTest {

    @Test
    void concurrentLargeUploadsOnOneSessionNextToGemms() throws Exception {
        SplittableRandom rnd = new SplittableRandom(31);
        // 4096 x 4608 INT4: 9 MiB of packed codes, above the 8 MiB high-water mark
        int k = 4096;
        int n = 4608;
        assertTrue((long) k * n / 2 > Session.HIGH_WATER_MARK, "the uploads must outgrow the write buffer");
        List<QuantizedWeights> big = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            big.add(RandomProblems.weights(rnd, k, n, QuantSpec.of(4, 128)));
        }
        QuantizedWeights small = RandomProblems.weights(rnd, 64, 40, QuantSpec.of(4, 32));
        Fp16Matrix a = RandomProblems.activations(rnd, 1, k, 2f);
        // two transfers at once per session: the streamed upload plus one contiguous request
        try (TestServers s = TestServers.emu(TestServers.base().maxTransfersPerClient(2).build());
             Device dev = s.client();
             WeightHandle hs = dev.upload(small)) {
            // own threads: the common pool may have a single one on a small machine
            ExecutorService pool = Executors.newFixedThreadPool(big.size() + 1);
            AtomicBoolean uploading = new AtomicBoolean(true);
            CountDownLatch go = new CountDownLatch(1);
            // GEMMs (header + DATA written contiguously) while the uploads stream
            CompletableFuture<Integer> gemms = CompletableFuture.supplyAsync(() -> {
                int done = 0;
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                while (uploading.get() || done < 4) {
                    ClientTest.checkGemm(dev, hs, small);
                    done++;
                }
                return done;
            }, pool);
            List<CompletableFuture<WeightHandle>> ups = new ArrayList<>();
            for (QuantizedWeights w : big) {
                ups.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return dev.upload(w);
                }, pool));
            }
            go.countDown();
            List<WeightHandle> hs2 = new ArrayList<>();
            try {
                for (CompletableFuture<WeightHandle> f : ups) {
                    hs2.add(f.get(120, TimeUnit.SECONDS));
                }
                uploading.set(false);
                assertTrue(gemms.get(60, TimeUnit.SECONDS) >= 4);
                for (int i = 0; i < big.size(); i++) {
                    QuantizedWeights w = big.get(i);
                    assertArrayEquals(ReferenceGemm.gemmF16(GemmMode.PACQ, a.toBits(), 1, w),
                            dev.gemm(GemmRequest.of(hs2.get(i), a)).f16Bits(), "weights " + i);
                }
                assertEquals(big.size(), hs2.size());
            } finally {
                uploading.set(false);
                pool.shutdown();
                for (WeightHandle h : hs2) {
                    h.close();
                }
            }
        }
    }
}
