package io.pacq.tools;

import io.pacq.Device;
import io.pacq.DeviceOptions;
import io.pacq.GemmMode;
import io.pacq.net.server.PacqServer;
import io.pacq.net.server.ServerConfig;
import io.pacq.quant.QuantSpec;
import io.pacq.quant.QuantizedFile;
import io.pacq.quant.QuantizedWeights;
import io.pacq.quant.Quantizer;
import io.pacq.ref.ReferenceGemm;
import io.pacq.tensor.Tensor;
import io.pacq.tensor.TensorFiles;
import io.pacq.testing.RandomProblems;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;

import static io.pacq.tools.CliTest.pacq;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line against a device served on 127.0.0.1 with a token: the token reaches the server
 * from --token-file, results equal the reference bit for bit, a wrong token is one clear error, and
 * {@code pacq serve} refuses bad options before it binds anything.
 */
class RemoteCliTest {
    private static final String TOKEN = "s3cret-token-for-the-cli-test";

    @TempDir
    Path dir;

    private Device served;
    private PacqServer server;

    @BeforeEach
    void serve() {
        served = Device.open("emu:", DeviceOptions.DEFAULTS.withClientName("remote-cli-test"));
        server = PacqServer.start(served, ServerConfig.builder().bindAddress("127.0.0.1").port(0).token(TOKEN)
                .build());
    }

    @AfterEach
    void stop() {
        server.stop(Duration.ofSeconds(5));
        served.close();
    }

    @Test
    void gemmThroughTheServerEqualsTheReference() throws Exception {
        int m = 4, k = 128, n = 50;
        SplittableRandom rnd = new SplittableRandom(11);
        float[] wf = new float[k * n];
        for (int i = 0; i < wf.length; i++) {
            wf[i] = (float) rnd.nextGaussian();
        }
        QuantizedWeights qw = Quantizer.quantize(wf, k, n, QuantSpec.of(2, 64));
        Path w = dir.resolve("w.safetensors");
        QuantizedFile.write(w, qw);
        short[] abits = RandomProblems.activations(rnd, m, k, 2f).toBits();
        Path a = dir.resolve("a.npy");
        TensorFiles.write(a, "a", Tensor.ofF16(new long[] {m, k}, abits));
        Path token = dir.resolve("token");
        Files.writeString(token, TOKEN + "\n");

        for (GemmMode mode : new GemmMode[] {GemmMode.PACQ, GemmMode.DEQUANT}) {
            Path c = dir.resolve("c-" + mode + ".npy");
            CliTest.Run r = pacq("gemm", "--device", server.uri(), "--token-file", token.toString(), "-w",
                    w.toString(), "-i", a.toString(), "-o", c.toString(), "--mode", mode.name().toLowerCase());
            assertEquals(0, r.code(), r.err());
            assertArrayEquals(ReferenceGemm.gemmF16(mode, abits, m, qw), TensorFiles.read(c, null).toShorts(),
                    mode.name());
        }

        CliTest.Run info = pacq("info", "--device", server.uri(), "--token-file", token.toString());
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("ABI"), info.out());

        Path wrong = dir.resolve("wrong-token");
        Files.writeString(wrong, "not-the-token");
        CliTest.Run denied = pacq("gemm", "--device", server.uri(), "--token-file", wrong.toString(), "-w",
                w.toString(), "-i", a.toString(), "-o", dir.resolve("c.npy").toString());
        assertEquals(1, denied.code());
        assertEquals(1, denied.err().strip().lines().count(), denied.err());
        assertTrue(denied.err().toLowerCase().contains("token"), denied.err());
    }

    @Test
    void serveRefusesBadOptionsWithOneLine() throws Exception {
        Path empty = dir.resolve("empty");
        Files.writeString(empty, "  \n");
        CliTest.Run emptyToken = pacq("serve", "--port", "0", "--token-file", empty.toString());
        assertEquals(1, emptyToken.code());
        assertTrue(emptyToken.err().contains("--token-file " + empty + " is empty"), emptyToken.err());

        CliTest.Run missingToken = pacq("serve", "--port", "0", "--token-file", dir.resolve("nope").toString());
        assertEquals(1, missingToken.code());
        assertTrue(missingToken.err().contains("cannot read --token-file"), missingToken.err());

        CliTest.Run size = pacq("serve", "--port", "0", "--max-resident-bytes", "lots");
        assertEquals(1, size.code());
        assertTrue(size.err().contains("--max-resident-bytes lots is not a size"), size.err());

        CliTest.Run tls = pacq("serve", "--port", "0", "--tls-cert", dir.resolve("c.pem").toString());
        assertEquals(1, tls.code());
        assertTrue(tls.err().contains("--tls-cert and --tls-key go together"), tls.err());
    }
}
