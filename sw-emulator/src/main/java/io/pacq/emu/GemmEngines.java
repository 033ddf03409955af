package io.pacq.emu;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Optional;

/**
 * Creates the functional GEMM engines: {@code plain} (scalar Java, always there) and
 * {@code vector} (the Vector API engine, when the {@code jdk.incubator.vector} module is in the
 * boot layer). {@code auto} picks {@code vector} when the module is there and the machine has
 * SIMD registers of at least 256 bits, else {@code plain}; the choice and its reason are logged
 * once at debug level. The vector engine is compiled in a javac run of its own (it needs the
 * incubator module) and loaded reflectively, so this class links on any JVM.
 *
 * <p>Thread-safe; the probe runs once, at class initialization.
 */
public final class GemmEngines {
    private static final Logger log = LoggerFactory.getLogger(GemmEngines.class);
    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final String VECTOR_CLASS = "io.pacq.emu.VectorGemmEngine";

    /** Constructor (int threads) of the vector engine, or null. */
    private static final MethodHandle VECTOR_CTOR;
    /** Why the vector engine cannot be used at all, or null when it can. */
    private static final String VECTOR_MISSING;
    /** Why auto does not choose the vector engine although it loads, or null. */
    private static final String VECTOR_NOT_PREFERRED;

    static {
        MethodHandle ctor = null;
        String missing = null;
        String notPreferred = null;
        Optional<Module> module = ModuleLayer.boot().findModule(VECTOR_MODULE);
        if (module.isEmpty()) {
            missing = "module " + VECTOR_MODULE + " is not in the boot layer; run java with --add-modules="
                    + VECTOR_MODULE;
        } else if (!GemmEngines.class.getModule().canRead(module.get())) {
            missing = "module " + VECTOR_MODULE + " is not readable by " + GemmEngines.class.getModule();
        } else {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                Class<?> cls = lookup.findClass(VECTOR_CLASS);
                ctor = lookup.findConstructor(cls, MethodType.methodType(void.class, int.class));
                String unsuited = (String) lookup.findStatic(cls, "unsuitedHardware", MethodType.methodType(String.class))
                        .invoke();
                notPreferred = unsuited;
            } catch (Throwable e) { // LinkageError, ReflectiveOperationException: a build without the class
                missing = VECTOR_CLASS + " could not be loaded: " + e;
                ctor = null;
            }
        }
        VECTOR_CTOR = ctor;
        VECTOR_MISSING = missing;
        VECTOR_NOT_PREFERRED = notPreferred;
        if (missing != null) {
            log.debug("functional engine: plain (vector engine unavailable: {})", missing);
        } else if (notPreferred != null) {
            log.debug("functional engine: plain by default (vector engine available but {})", notPreferred);
        } else {
            log.debug("functional engine: vector by default");
        }
    }

    private GemmEngines() {}

    /** True when the vector engine can be created (the incubator module is present). */
    public static boolean vectorAvailable() {
        return VECTOR_MISSING == null;
    }

    /** The name of the engine {@code auto} picks: "vector" or "plain". */
    public static String defaultKind() {
        return VECTOR_MISSING == null && VECTOR_NOT_PREFERRED == null ? "vector" : "plain";
    }

    /**
     * Creates an engine.
     *
     * @param kind    "auto", "vector" or "plain"
     * @param threads worker threads, at least 1
     * @throws IllegalArgumentException for an unknown kind, or "vector" when it is unavailable
     *                                  (the message says why)
     */
    public static GemmEngine create(String kind, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        String k = "auto".equals(kind) ? defaultKind() : kind;
        return switch (k) {
            case "plain" -> new PlainGemmEngine(threads);
            case "vector" -> {
                if (VECTOR_MISSING != null) {
                    throw new IllegalArgumentException("the vector engine is unavailable: " + VECTOR_MISSING);
                }
                try {
                    yield (GemmEngine) VECTOR_CTOR.invoke(threads);
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Throwable e) {
                    throw new IllegalStateException("could not create the vector engine", e);
                }
            }
            default -> throw new IllegalArgumentException("unknown engine '" + kind + "'; expected auto, vector or plain");
        };
    }
}
