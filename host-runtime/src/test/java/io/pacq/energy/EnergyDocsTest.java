package io.pacq.energy;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/reproduce.md lists every energy constant with the value the code uses. */
class EnergyDocsTest {
    static Path docs() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path f = p.resolve("docs/reproduce.md");
            if (Files.exists(f)) {
                return f;
            }
        }
        throw new IllegalStateException("docs/reproduce.md not found above " + Path.of("").toAbsolutePath());
    }

    @Test
    void everyEventIsDocumentedWithItsValue() throws Exception {
        String doc = Files.readString(docs());
        for (EnergyEvent e : EnergyEvent.values()) {
            String row = "| `" + e.name() + "` | " + e.formatted() + " |";
            assertTrue(doc.contains(row), "docs/reproduce.md lacks the table row starting " + row);
        }
    }
}
