package io.pacq.abi;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fails when a file generated from pacq_abi.json differs from what the generator makes now.
 * Regenerate with {@code ./mvnw -pl host-runtime test -Dtest=AbiGeneratedFilesTest -Dpacq.abi.write=true}.
 */
class AbiGeneratedFilesTest {

    static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve(AbiGenerator.SOURCE))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find " + AbiGenerator.SOURCE + " above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    @Test
    void generatedFilesAreCurrent() throws IOException {
        Path root = repoRoot();
        Map<Path, String> files = AbiGenerator.load(root).generateAll();
        boolean write = Boolean.getBoolean("pacq.abi.write");
        List<String> stale = new ArrayList<>();
        for (var e : files.entrySet()) {
            Path target = root.resolve(e.getKey());
            String current = Files.exists(target) ? Files.readString(target) : null;
            if (!e.getValue().equals(current)) {
                if (write) {
                    Files.createDirectories(target.getParent());
                    Files.writeString(target, e.getValue());
                } else {
                    stale.add(e.getKey().toString());
                }
            }
        }
        assertTrue(stale.isEmpty(), "generated ABI files are stale: " + stale
                + "; regenerate with ./mvnw -pl host-runtime test -Dtest=AbiGeneratedFilesTest -Dpacq.abi.write=true");
    }

    @Test
    void javaConstantsMatchTheSource() throws IOException {
        // Spot checks that the loaded class agrees with the JSON (guards the generator itself).
        var gen = AbiGenerator.load(repoRoot());
        assertEquals(0x51434150, Abi.MAGIC);
        assertEquals("PACQ", new String(new byte[] {0x50, 0x41, 0x43, 0x51}, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(128, Abi.Desc.BYTES);
        assertTrue(gen.java().contains("public static final int SQ_TAIL = 0x024;"));
    }
}
