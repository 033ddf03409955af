package io.pacq.net.internal;

import io.pacq.CommandStats;
import io.pacq.DeviceInfo;
import io.pacq.OutputType;
import io.pacq.proto.ErrorCode;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

/** Conversions between the API's types and their protobuf messages. Stateless, thread-safe. */
public final class Protos {
    private Protos() {}

    /** The wire value of a GEMM mode. */
    public static io.pacq.proto.GemmMode toProto(io.pacq.GemmMode m) {
        return switch (m) {
            case PACQ -> io.pacq.proto.GemmMode.PACQ;
            case DEQUANT -> io.pacq.proto.GemmMode.DEQUANT;
            case KPACKED -> io.pacq.proto.GemmMode.KPACKED;
        };
    }

    /** The GEMM mode of a wire value, or null when it names none. */
    public static io.pacq.GemmMode fromProto(io.pacq.proto.GemmMode m) {
        return switch (m) {
            case PACQ -> io.pacq.GemmMode.PACQ;
            case DEQUANT -> io.pacq.GemmMode.DEQUANT;
            case KPACKED -> io.pacq.GemmMode.KPACKED;
            default -> null;
        };
    }

    /** The wire value of an output type. */
    public static io.pacq.proto.OutputType toProto(OutputType t) {
        return t == OutputType.F16 ? io.pacq.proto.OutputType.F16 : io.pacq.proto.OutputType.F32;
    }

    /** The output type of a wire value, or null when it names none. */
    public static OutputType fromProto(io.pacq.proto.OutputType t) {
        return switch (t) {
            case F16 -> OutputType.F16;
            case F32 -> OutputType.F32;
            default -> null;
        };
    }

    /** A device's info as a message. */
    public static io.pacq.proto.DeviceInfo toProto(DeviceInfo i) {
        io.pacq.proto.DeviceInfo.Builder b = io.pacq.proto.DeviceInfo.newBuilder().setUri(i.uri())
                .setDescription(i.description()).setModel(i.model()).setAbiMajor(i.abiMajor())
                .setAbiMinor(i.abiMinor()).setCores(i.cores()).setWarps(i.warps()).setLanes(i.lanes())
                .setMemoryBytes(i.memoryBytes()).setClockKhz(i.clockKhz()).setSmemBytes(i.smemBytes())
                .setMmaUnits(i.mmaUnits());
        i.bits().stream().sorted().forEach(b::addBits);
        EnumSet.copyOf(i.modes().isEmpty() ? EnumSet.noneOf(io.pacq.GemmMode.class) : i.modes())
                .forEach(m -> b.addModes(toProto(m)));
        return b.build();
    }

    /** The info of a remote device: the server's device, seen through the given URI. */
    public static DeviceInfo fromProto(io.pacq.proto.DeviceInfo p, String uri, String description) {
        Set<Integer> bits = new HashSet<>(p.getBitsList());
        Set<io.pacq.GemmMode> modes = EnumSet.noneOf(io.pacq.GemmMode.class);
        for (io.pacq.proto.GemmMode m : p.getModesList()) {
            io.pacq.GemmMode g = fromProto(m);
            if (g != null) {
                modes.add(g);
            }
        }
        return new DeviceInfo(uri, description, p.getModel(), p.getAbiMajor(), p.getAbiMinor(), p.getCores(),
                p.getWarps(), p.getLanes(), bits, modes, p.getMemoryBytes(), p.getClockKhz(), p.getSmemBytes(),
                p.getMmaUnits());
    }

    /** Command statistics as a message. */
    public static io.pacq.proto.CommandStats toProto(CommandStats s) {
        return io.pacq.proto.CommandStats.newBuilder().setCycles(s.cycles()).setInstructions(s.instructions())
                .setRfReads(s.rfReads()).setRfWrites(s.rfWrites()).setSmemBytes(s.smemBytes())
                .setDmemReadBytes(s.dmemReadBytes()).setDmemWriteBytes(s.dmemWriteBytes()).setMulOps(s.mulOps())
                .setAddOps(s.addOps()).setStallMem(s.stallMem()).setStallDep(s.stallDep())
                .setStallUnit(s.stallUnit()).setStallBarrier(s.stallBarrier()).build();
    }

    /** Command statistics from a message. */
    public static CommandStats fromProto(io.pacq.proto.CommandStats s) {
        return new CommandStats(s.getCycles(), s.getInstructions(), s.getRfReads(), s.getRfWrites(),
                s.getSmemBytes(), s.getDmemReadBytes(), s.getDmemWriteBytes(), s.getMulOps(), s.getAddOps(),
                s.getStallMem(), s.getStallDep(), s.getStallUnit(), s.getStallBarrier());
    }

    /** An error message. */
    public static io.pacq.proto.Envelope error(long requestId, ErrorCode code, String message, boolean fatal) {
        return io.pacq.proto.Envelope.newBuilder().setRequestId(requestId)
                .setError(io.pacq.proto.Error.newBuilder().setCode(code).setMessage(message).setFatal(fatal)).build();
    }

    /** A byte count for messages: "16.0 MiB". */
    public static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        if (b < (1L << 20)) {
            return String.format(java.util.Locale.ROOT, "%.1f KiB", b / 1024.0);
        }
        if (b < (1L << 30)) {
            return String.format(java.util.Locale.ROOT, "%.1f MiB", b / (double) (1L << 20));
        }
        return String.format(java.util.Locale.ROOT, "%.2f GiB", b / (double) (1L << 30));
    }
}
