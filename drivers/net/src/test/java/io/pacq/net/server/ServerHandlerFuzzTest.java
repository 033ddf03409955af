package io.pacq.net.server;

import io.pacq.GemmMode;
import io.pacq.proto.Cancel;
import io.pacq.proto.CodesEncoding;
import io.pacq.proto.Envelope;
import io.pacq.proto.ErrorCode;
import io.pacq.proto.Free;
import io.pacq.proto.Gemm;
import io.pacq.proto.OutputType;
import io.pacq.proto.Ping;
import io.pacq.proto.StatsRequest;
import io.pacq.proto.Upload;
import io.pacq.quant.QuantSpec;
import io.pacq.quant.QuantizedWeights;
import io.pacq.testing.RandomProblems;
import io.pacq.testing.ReferenceDevice;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The message handlers fuzzed: after a valid handshake, random sequences of requests with
 * random (often wrong) fields, random DATA and occasional junk. The handler must never fail
 * internally, never write a malformed frame, and free everything when the connection closes.
 */
class ServerHandlerFuzzTest {

    @Provide
    Arbitrary<List<Long>> actions() {
        return Arbitraries.longs().list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 200)
    void handlersSurviveAnyRequestSequence(@ForAll("actions") List<Long> seeds) {
        ReferenceDevice dev = new ReferenceDevice("ref:", 1L << 20);
        Harness h = new Harness(dev, ServerConfig.builder().port(0).maxClientResidentBytes(20_000)
                .maxRequestBytes(4096).maxTransfersPerClient(3).maxInflightPerClient(4).build());
        try {
            h.hello(null);
            for (long seed : seeds) {
                if (!h.ch.isActive()) {
                    break;
                }
                act(h, new SplittableRandom(seed));
                drain(h);
            }
        } finally {
            h.ch.close();
            h.ch.runPendingTasks();
            drain(h);
            assertEquals(0, dev.counters().liveHandles(), "weights left on the device");
            assertEquals(0, h.ctx.residentBytes(), "resident bytes left");
            assertEquals(0, h.ctx.clients.get());
            assertEquals(0, h.ctx.activeRequests.get(), "requests left in the works");
            assertEquals(0, h.ctx.inflightBytes(), "in-flight GEMM bytes left");
            h.close();
        }
    }

    private static void drain(Harness h) {
        while (true) {
            Envelope e;
            try {
                e = h.next();
            } catch (AssertionError none) {
                return;
            }
            if (e.hasError()) {
                assertNotEquals(ErrorCode.INTERNAL, e.getError().getCode(), e.getError().getMessage());
            }
        }
    }

    private static void act(Harness h, SplittableRandom r) {
        long id = r.nextInt(6);              // small: collisions on purpose
        switch (r.nextInt(9)) {
            case 0 -> {                      // a valid upload, codes as U8 or packed, DATA in pieces
                int k = 16 * (1 + r.nextInt(3));
                int n = 1 + r.nextInt(40);
                QuantizedWeights w = RandomProblems.weights(r, k, n, new QuantSpec(1 << (1 + r.nextInt(3)), 16,
                        1 << r.nextInt(3), r.nextBoolean()));
                if (r.nextBoolean()) {
                    h.upload(id == 0 ? 1 : id, w);
                } else {
                    h.upload(id == 0 ? 1 : id, w, CodesEncoding.CODES_ENCODING_PACKED, Harness.packedCodes(w),
                            1 + r.nextInt(300), 0);
                }
            }
            case 1 -> h.send(Envelope.newBuilder().setRequestId(id).setUpload(Upload.newBuilder()
                    .setK(r.nextInt(70)).setN(r.nextInt(70)).setBits(r.nextInt(10)).setGroupSize(r.nextInt(70))
                    .setGroupCols(r.nextInt(5)).setSymmetric(r.nextBoolean()).setCodesBytes(r.nextInt(5000))
                    .setCodesEncodingValue(r.nextInt(3)).setScalesBytes(r.nextInt(300)).setZerosBytes(r.nextInt(300)).setCrc32C(r.nextInt())
                    .setDeadlineMs(r.nextInt(3))).build());
            case 2, 3 -> {
                int m = r.nextInt(4);
                int k = 16 * r.nextInt(4);
                h.send(Envelope.newBuilder().setRequestId(id).setGemm(Gemm.newBuilder().setHandle(r.nextInt(4)).setM(m)
                        .setK(k).setModeValue(r.nextInt(5)).setOutputValue(r.nextInt(4))
                        .setDeadlineMs(r.nextInt(2) * 5000)).build());
                if (r.nextInt(4) != 0) {
                    h.data(id, new byte[Math.min(2 * m * k, 8192)]);
                }
            }
            case 4 -> h.data(id, new byte[r.nextInt(300)]);
            case 5 -> h.send(Envelope.newBuilder().setRequestId(id).setFree(Free.newBuilder().setHandle(r.nextInt(4)))
                    .build());
            case 6 -> h.send(Envelope.newBuilder().setRequestId(id).setCancel(Cancel.getDefaultInstance()).build());
            case 7 -> h.send(Envelope.newBuilder().setRequestId(id).setStatsRequest(StatsRequest.getDefaultInstance())
                    .build());
            default -> {
                if (r.nextInt(10) == 0) {
                    byte[] junk = new byte[1 + r.nextInt(40)];
                    r.nextBytes(junk);
                    h.raw(junk);
                } else {
                    h.send(Envelope.newBuilder().setRequestId(id).setPing(Ping.newBuilder().setNanos(r.nextLong()))
                            .build());
                }
            }
        }
    }

    static GemmMode unused() {
        return GemmMode.PACQ;
    }
}
