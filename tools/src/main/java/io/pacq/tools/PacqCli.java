package io.pacq.tools;

import io.pacq.PacqException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * The {@code pacq} command line. Every subcommand exits 0 on success; on failure it prints one
 * line, {@code pacq: error: ...}, on stderr and exits 1 (2 for a usage error).
 */
@Command(name = "pacq", mixinStandardHelpOptions = true, versionProvider = PacqCli.Version.class,
        description = "PacQ: hyper-asymmetric GEMMs (packed INT2/INT4/INT8 weights x FP16 activations) "
                + "on the emulator, the RTL simulation, FPGA boards and remote device servers.",
        subcommands = {DemoCommand.class, QuantizeCommand.class, GemmCommand.class, ImportCommand.class,
                InfoCommand.class, BenchCommand.class, ServeCommand.class, ReproduceCommand.class, LaunchCommand.class,
                CommandLine.HelpCommand.class})
public final class PacqCli {

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new PacqCli());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("pacq: error: " + describe(ex));
            if (Boolean.getBoolean("pacq.debug")) {
                ex.printStackTrace(cmd.getErr());
            }
            return 1;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("pacq: usage error: " + ex.getMessage());
            ex.getCommandLine().getErr().println("(see: pacq " + String.join(" ",
                    ex.getCommandLine().getCommandSpec().qualifiedName().replaceFirst("^pacq ?", "")) + " --help)");
            return 2;
        });
        return cl.execute(args);
    }

    /** One line for a failure: the message, with the cause where it adds something. */
    static String describe(Throwable ex) {
        if (ex instanceof UncheckedIOException u) {
            ex = u.getCause();
        }
        String msg = ex.getMessage();
        if (msg == null || msg.isBlank()) {
            msg = ex.getClass().getSimpleName();
        }
        if (ex instanceof IOException && !(ex instanceof java.nio.file.NoSuchFileException)) {
            return msg;
        }
        if (ex instanceof java.nio.file.NoSuchFileException nf) {
            return "no such file: " + nf.getFile();
        }
        if (ex instanceof PacqException || ex instanceof IllegalArgumentException) {
            return msg;
        }
        return ex.getClass().getSimpleName() + ": " + msg;
    }

    /** Version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = PacqCli.class.getPackage().getImplementationVersion();
            return new String[] {"pacq " + (v == null ? "(development build)" : v) + ", Java "
                    + Runtime.version() + ", ABI " + io.pacq.abi.Abi.VERSION_MAJOR + "." + io.pacq.abi.Abi.VERSION_MINOR};
        }
    }
}
