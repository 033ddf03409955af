package io.pacq.emu.simt;

/**
 * A malformed assembly source: the message starts with {@code file:line:}.
 */
public final class AsmException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final int line;

    /** An error at a source line (1-based). */
    public AsmException(String file, int line, String message) {
        super(file + ":" + line + ": " + message);
        this.file = file;
        this.line = line;
    }

    /** The source file name given to the assembler. */
    public String file() {
        return file;
    }

    /** The 1-based line of the error. */
    public int line() {
        return line;
    }
}
