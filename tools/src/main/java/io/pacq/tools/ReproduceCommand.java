package io.pacq.tools;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.pacq.CommandStats;
import io.pacq.Device;
import io.pacq.DeviceInfo;
import io.pacq.energy.EnergyBreakdown;
import io.pacq.energy.EnergyEvent;
import io.pacq.energy.EnergyModel;
import io.pacq.repro.Reproduction;
import io.pacq.repro.Reproduction.Accuracy;
import io.pacq.repro.Reproduction.Claim;
import io.pacq.repro.Reproduction.Report;
import io.pacq.repro.Reproduction.Run;
import io.pacq.repro.Reproduction.Sensitivity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code pacq reproduce}: the PacQ paper's evaluation on a device that reports cycles (the
 * cycle-level model by default), printed as claim | paper | ours | shape, with the energy
 * breakdown, accuracy, sensitivity and the differences from the paper (docs/reproduce.md).
 */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = {"Reproduce the PacQ paper's evaluation (DAC 2025) on a device that reports cycles "
                + "(default emu:?model=cycle): speedup vs P(B)k, register-file accesses, EDP vs the dequantize flow "
                + "(energy model: docs/reproduce.md), accuracy vs FP64, and the paper's FP16 datapath emulated for contrast.",
                "Every device output is checked bit for bit against the reference; exit 1 if one differs."})
final class ReproduceCommand implements Callable<Integer> {
    /** The device when --device is not given: the cycle-level model. */
    static final String DEFAULT_DEVICE = "emu:?model=cycle";

    @Spec
    CommandSpec spec;

    @Mixin
    DeviceOptionsMixin device;

    @Option(names = "--quick", description = "m16n1024k1024 in place of m16n4096k4096 (a few seconds).")
    boolean quick;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of weights and activations (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--static-pj-per-cycle", paramLabel = "PJ", defaultValue = "0",
            description = "Static (leakage) energy of the whole machine per cycle, pJ (default ${DEFAULT-VALUE}: dynamic energy only).")
    double staticPj;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!spec.commandLine().getParseResult().hasMatchedOption("--device")) {
            device.uri = DEFAULT_DEVICE;
        }
        EnergyModel model = EnergyModel.standard().withStaticPerCycle(staticPj);
        Report r;
        Progress[] bar = {null};
        try (Device dev = device.open()) {
            r = Reproduction.run(dev, new Reproduction.Options(quick, seed, model), (label, done, total) -> {
                if (bar[0] == null) {
                    bar[0] = new Progress(err, "pacq reproduce", total);
                }
                bar[0].update(done);
            });
        } finally {
            if (bar[0] != null) {
                bar[0].close();
            }
        }
        if (json) {
            out.println(json(r, model));
        } else {
            text(out, r, model);
        }
        if (!r.allBitExact()) {
            err.println("pacq: error: a device output differs from the reference implementation: this is a bug");
            return 1;
        }
        return 0;
    }

    private void text(PrintWriter out, Report r, EnergyModel model) {
        DeviceInfo d = r.device();
        out.println("PacQ: the paper's evaluation (Yin, Li, Panda, DAC 2025, arXiv 2502.18627) on this repository's machine");
        out.printf(Locale.ROOT, "device: %s (%s), clock %.0f MHz%n", d.uri(), d.description(), d.clockKhz() / 1e3);
        out.println("workloads: M = 16, seeded Gaussian weights quantized symmetric INT4/INT2, groups of 128 along K "
                + "(K if smaller), N(0,1) FP16 activations, FP16 output" + (r.quick() ? "; --quick: " + r.bigShape()
                + " stands in for m16n4096k4096" : ""));
        out.printf("device outputs bit-exact vs the reference: %s (%d commands)%n%n",
                r.allBitExact() ? "all" : "NO", r.runs().size());

        String[][] rows = new String[r.claims().size()][];
        for (int i = 0; i < rows.length; i++) {
            Claim c = r.claims().get(i);
            rows[i] = new String[] {c.claim(), c.format(c.paper()), c.format(c.ours()), c.shape()};
        }
        table(out, new String[] {"claim", "paper", "ours", "command/shape"}, rows);

        out.printf(Locale.ROOT, "%nEnergy (docs/reproduce.md; pJ/event: RF word %s, SMEM byte %s, DMEM byte %s, instruction %s, "
                        + "FP16 mul %s, FP32 mul %s, FP32 add %s, FP-INT mul op %s%s), EDP at %.0f MHz:%n",
                EnergyEvent.RF_WORD.formatted(), EnergyEvent.SMEM_BYTE.formatted(), EnergyEvent.DMEM_BYTE.formatted(),
                EnergyEvent.INSTRUCTION.formatted(), EnergyEvent.FP16_MUL.formatted(), EnergyEvent.FP32_MUL.formatted(),
                EnergyEvent.FP32_ADD.formatted(), EnergyEvent.PACQ_MUL.formatted(),
                model.staticPerCycle() > 0 ? String.format(Locale.ROOT, ", static %.3g pJ/cycle", model.staticPerCycle()) : "",
                d.clockKhz() / 1e3);
        List<Run> timing = r.runs().stream().filter(x -> (x.shape().equals("m16n16k16") || x.shape().equals(r.bigShape()))
                && x.group() == Math.min(128, k(x.shape()))).toList();
        String[][] erows = new String[timing.size()][];
        for (int i = 0; i < erows.length; i++) {
            Run x = timing.get(i);
            EnergyBreakdown e = x.energy();
            CommandStats s = x.stats();
            erows[i] = new String[] {x.shape(), "INT" + x.bits(), x.mode().toString(), Long.toString(s.cycles()),
                    Long.toString(s.rfReads() + s.rfWrites()), uj(e.total()), uj(e.registerFile()), uj(e.sharedMemory()),
                    uj(e.deviceMemory()), uj(e.instructions()), uj(e.arithmetic()), uj(e.staticEnergy()),
                    String.format(Locale.ROOT, "%.4g", e.edp(d.clockKhz()) * 1e9)};
        }
        table(out, new String[] {"shape", "bits", "mode", "cycles", "RF words", "energy uJ", "RF", "SMEM", "DMEM",
                "instr", "arith", "static", "EDP uJ*ms"}, erows);

        out.printf("%nAccuracy vs FP64 (relative RMS error of the FP16 outputs; x DEQUANT: error / DEQUANT's error on the same inputs):%n");
        String[][] arows = new String[r.accuracy().size()][];
        for (int i = 0; i < arows.length; i++) {
            Accuracy a = r.accuracy().get(i);
            arows[i] = new String[] {a.shape(), "INT" + a.bits(), "g" + a.group(), a.datapath(), sci(a.relRms()),
                    sci(a.vsDequant()), a.nonFinite() + " / " + a.outputs()};
        }
        table(out, new String[] {"shape", "bits", "group", "datapath", "rel. RMS", "x DEQUANT", "Inf/NaN outputs"}, arows);

        out.printf("%nEDP vs DEQUANT on %s under other energy assumptions:%n", r.bigShape());
        String[][] srows = new String[r.sensitivity().size()][];
        for (int i = 0; i < srows.length; i++) {
            Sensitivity s = r.sensitivity().get(i);
            srows[i] = new String[] {s.assumption(), pct(s.int4()), pct(s.int2())};
        }
        table(out, new String[] {"assumption", "INT4", "INT2"}, srows);

        out.printf(Locale.ROOT, "%nThe paper's multiplier as drawn (emulated, docs/reproduce.md): the carry out of its 14-bit "
                        + "intermediate is lost for %.1f %% and the omitted normalization is needed for %.2f %% of (significand, code) pairs.%n",
                100 * r.defects().carryLostRate(), 100 * r.defects().unnormalizedRate());
        out.println();
        out.println("Where this machine differs from the paper's:");
        for (String n : r.notes()) {
            out.println(wrap("- " + n, 110, "  "));
        }
        out.println();
        out.println("command: pacq reproduce" + (r.quick() ? " --quick" : "") + (d.uri().equals(DEFAULT_DEVICE) ? "" : " --device " + d.uri()));
    }

    private String json(Report r, EnergyModel model) {
        StringWriter sw = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(sw).useDefaultPrettyPrinter()) {
            DeviceInfo d = r.device();
            g.writeStartObject();
            g.writeObjectFieldStart("device");
            g.writeStringField("uri", d.uri());
            g.writeStringField("description", d.description());
            g.writeStringField("model", d.model());
            g.writeNumberField("clock_khz", d.clockKhz());
            g.writeNumberField("cores", d.cores());
            g.writeNumberField("warps", d.warps());
            g.writeNumberField("mma_units", d.mmaUnits());
            g.writeNumberField("smem_bytes", d.smemBytes());
            g.writeEndObject();
            g.writeBooleanField("quick", r.quick());
            g.writeStringField("large_shape", r.bigShape());
            g.writeBooleanField("all_bit_exact", r.allBitExact());
            g.writeArrayFieldStart("claims");
            for (Claim c : r.claims()) {
                g.writeStartObject();
                g.writeStringField("id", c.id());
                g.writeStringField("claim", c.claim());
                number(g, "paper", c.paper());
                number(g, "ours", c.ours());
                g.writeStringField("unit", c.unit());
                g.writeStringField("shape", c.shape());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("runs");
            for (Run x : r.runs()) {
                CommandStats s = x.stats();
                EnergyBreakdown e = x.energy();
                g.writeStartObject();
                g.writeStringField("shape", x.shape());
                g.writeNumberField("bits", x.bits());
                g.writeNumberField("group", x.group());
                g.writeStringField("mode", x.mode().toString());
                g.writeBooleanField("bit_exact", x.bitExact());
                number(g, "rel_rms", x.relRms());
                g.writeNumberField("wall_seconds", x.seconds());
                g.writeObjectFieldStart("counters");
                g.writeNumberField("cycles", s.cycles());
                g.writeNumberField("instructions", s.instructions());
                g.writeNumberField("rf_reads", s.rfReads());
                g.writeNumberField("rf_writes", s.rfWrites());
                g.writeNumberField("smem_bytes", s.smemBytes());
                g.writeNumberField("dmem_read_bytes", s.dmemReadBytes());
                g.writeNumberField("dmem_write_bytes", s.dmemWriteBytes());
                g.writeNumberField("mul_ops", s.mulOps());
                g.writeNumberField("add_ops", s.addOps());
                g.writeEndObject();
                g.writeObjectFieldStart("energy_pj");
                g.writeNumberField("register_file", e.registerFile());
                g.writeNumberField("shared_memory", e.sharedMemory());
                g.writeNumberField("device_memory", e.deviceMemory());
                g.writeNumberField("instructions", e.instructions());
                g.writeNumberField("matrix_mul", e.matrixMul());
                g.writeNumberField("matrix_add", e.matrixAdd());
                g.writeNumberField("lane_mul", e.laneMul());
                g.writeNumberField("lane_add", e.laneAdd());
                g.writeNumberField("static", e.staticEnergy());
                g.writeNumberField("total", e.total());
                g.writeEndObject();
                g.writeNumberField("edp_joule_seconds", e.edp(d.clockKhz()));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("accuracy");
            for (Accuracy a : r.accuracy()) {
                g.writeStartObject();
                g.writeStringField("shape", a.shape());
                g.writeNumberField("bits", a.bits());
                g.writeNumberField("group", a.group());
                g.writeStringField("datapath", a.datapath());
                number(g, "rel_rms", a.relRms());
                number(g, "vs_dequant", a.vsDequant());
                g.writeNumberField("non_finite", a.nonFinite());
                g.writeNumberField("outputs", a.outputs());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("sensitivity");
            for (Sensitivity s : r.sensitivity()) {
                g.writeStartObject();
                g.writeStringField("assumption", s.assumption());
                number(g, "edp_change_int4_percent", s.int4());
                number(g, "edp_change_int2_percent", s.int2());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("paper_multiplier");
            g.writeNumberField("pairs", r.defects().pairs());
            g.writeNumberField("carry_lost", r.defects().carryLost());
            g.writeNumberField("unnormalized", r.defects().unnormalized());
            g.writeEndObject();
            g.writeArrayFieldStart("energy_events");
            for (EnergyEvent ev : EnergyEvent.values()) {
                g.writeStartObject();
                g.writeStringField("event", ev.name());
                g.writeNumberField("pj", model.energy(ev));
                g.writeStringField("unit", ev.unit());
                g.writeStringField("source", ev.source());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeNumberField("static_pj_per_cycle", model.staticPerCycle());
            g.writeArrayFieldStart("notes");
            for (String n : r.notes()) {
                g.writeString(n);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sw.toString();
    }

    private static void number(JsonGenerator g, String name, double v) throws IOException {
        if (Double.isFinite(v)) {
            g.writeNumberField(name, v);
        } else {
            g.writeNullField(name);
        }
    }

    /** A pipe table with padded columns (pastes into Markdown). */
    private static void table(PrintWriter out, String[] head, String[][] rows) {
        int[] w = new int[head.length];
        for (int i = 0; i < head.length; i++) {
            w[i] = head[i].length();
            for (String[] r : rows) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        line(out, head, w);
        String[] sep = new String[head.length];
        for (int i = 0; i < sep.length; i++) {
            sep[i] = "-".repeat(w[i]);
        }
        line(out, sep, w);
        for (String[] r : rows) {
            line(out, r, w);
        }
    }

    private static void line(PrintWriter out, String[] cells, int[] w) {
        StringBuilder b = new StringBuilder("|");
        for (int i = 0; i < cells.length; i++) {
            b.append(' ').append(cells[i]).append(" ".repeat(w[i] - cells[i].length())).append(" |");
        }
        out.println(b);
    }

    private static String wrap(String s, int width, String indent) {
        StringBuilder b = new StringBuilder();
        int col = 0;
        for (String word : s.split(" ")) {
            if (col > 0 && col + 1 + word.length() > width) {
                b.append('\n').append(indent);
                col = indent.length();
            } else if (col > 0) {
                b.append(' ');
                col++;
            }
            b.append(word);
            col += word.length();
        }
        return b.toString();
    }

    private static int k(String shape) {
        return Integer.parseInt(shape.substring(shape.indexOf('k') + 1));
    }

    private static String uj(double pj) {
        return String.format(Locale.ROOT, "%.4g", pj * 1e-6);
    }

    private static String sci(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3g", v) : "inf";
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%+.1f %%", v);
    }
}
