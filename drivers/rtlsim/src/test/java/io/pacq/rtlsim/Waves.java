package io.pacq.rtlsim;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reruns a failing command on a fresh RTL device with a waveform, so a failing test leaves an FST
 * file (target/rtlsim-waves, or -Dpacq.rtlsim.waves) and can print where it is.
 */
final class Waves {
    private Waves() {}

    /** A block of device memory to write before the command. */
    record Image(long address, byte[] bytes) {}

    static Path dir() {
        return Path.of(System.getProperty("pacq.rtlsim.waves", "target/rtlsim-waves")).toAbsolutePath();
    }

    /** Runs desc after writing the images on a traced RTL device; returns the waveform's path or why not. */
    static String rerun(String name, ByteBuffer desc, List<Image> images) {
        return rerun(RtlSimTesting.library(), name, desc, images);
    }

    /** The same on a device of library lib. */
    static String rerun(Path lib, String name, ByteBuffer desc, List<Image> images) {
        Path file = dir().resolve(name.replaceAll("[^A-Za-z0-9_.-]", "_") + ".fst");
        try {
            Files.createDirectories(file.getParent());
            try (RingSide s = new RingSide(RtlSimTesting.link(lib, "trace=" + file), "rtlsim (traced)")) {
                for (Image i : images) {
                    s.write(i.address(), i.bytes());
                }
                s.run(desc.duplicate(), 600_000);
            }
            return file.toString();
        } catch (Exception | AssertionError e) {
            return file + " (the rerun failed: " + e.getMessage() + ")";
        }
    }
}
