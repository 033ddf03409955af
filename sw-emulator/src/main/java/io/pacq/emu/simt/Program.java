package io.pacq.emu.simt;

import java.util.Map;

/**
 * An assembled SIMT program: 64-bit instruction words from address 0, its labels and its
 * {@code .meta} values. Immutable; {@link #words()} returns a copy.
 *
 * @param name   source name (for messages)
 * @param labels label to instruction index
 * @param meta   {@code .meta NAME, value} declarations, e.g. a kernel's shared-memory needs
 */
public record Program(String name, long[] words, Map<String, Integer> labels, Map<String, Long> meta) {

    public Program {
        words = words.clone();
        labels = Map.copyOf(labels);
        meta = Map.copyOf(meta);
    }

    @Override
    public long[] words() {
        return words.clone();
    }

    /** Number of instruction words. */
    public int size() {
        return words.length;
    }

    /** The word at an index. */
    public long word(int index) {
        return words[index];
    }

    /** A {@code .meta} value; throws when the program does not declare it. */
    public long meta(String key) {
        Long v = meta.get(key);
        if (v == null) {
            throw new IllegalArgumentException(name + " declares no .meta " + key);
        }
        return v;
    }
}
