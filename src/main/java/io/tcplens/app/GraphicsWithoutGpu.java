package io.tcplens.app;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * On a Linux machine without a GPU (no {@code /dev/dri} render or card node, no {@code /dev/nvidia*}:
 * a VM, a container, Xvfb), JavaFX's OpenGL pipeline can only reach Mesa's software rasteriser, which
 * Prism's hardware check rejects, so it ends on its software pipeline anyway. Getting there cost the
 * window ~55 MB of resident memory that stayed for its life (issue 11: libLLVM 43 MB and
 * swrast_dri 6 MB mapped and relocated, measured with {@code WindowMemoryBenchmark -Dsmaps=true}):
 * once by Prism's OpenGL probe, once by GTK's own GL set-up of the display. Here, before the toolkit
 * starts, the window goes straight to the software pipeline ({@code prism.order=sw}) and GTK is told to
 * leave GL alone ({@code GDK_GL=disable}, set in this process's environment with {@code setenv(3)}).
 *
 * <p>On that pipeline Prism's region image cache is off ({@code prism.disableRegionCaching=true}): the
 * cache is one 2048 x 1024 texture made on the first frame and kept for the window's life, which the
 * software pipeline holds on the Java heap as an {@code int[]} of 8 MB (a humongous array: nine G1
 * regions), found by a dominator tree of the window's live heap at 100k sockets (issue 11, thirteenth
 * round). Without it each region's background is filled directly, as for any region the cache cannot
 * take (too large, an image, a shape).
 *
 * <p>Nothing changes on a machine with a GPU, elsewhere than Linux, when {@code prism.order} or
 * {@code GDK_GL} is already set (the user's choice wins), or under {@code -Dtcplens.gl.probe=true}.
 * {@code GDK_GL} is set only where native access is granted (the launchers grant it), so a bare
 * {@code java -cp} prints no restricted-method warning; there only {@code prism.order} is set.
 */
final class GraphicsWithoutGpu {
    static final String PROBE_PROPERTY = "tcplens.gl.probe";
    /** The properties set for the software pipeline, each only where not given already. */
    static final Map<String, String> SOFTWARE_PIPELINE = Map.of("prism.order", "sw", "prism.disableRegionCaching", "true");

    private GraphicsWithoutGpu() {}

    /** Applies the choice to this process; call before the JavaFX toolkit starts. */
    static void chooseBeforeToolkit() {
        try {
            if (!applies(System.getProperty("os.name", ""), System.getProperty("prism.order"),
                    Boolean.getBoolean(PROBE_PROPERTY), GraphicsWithoutGpu::hasGpu)) return;
            chooseSoftware(System.getProperties());
            if (System.getenv("GDK_GL") == null && GraphicsWithoutGpu.class.getModule().isNativeAccessEnabled()) setenv("GDK_GL", "disable");
        } catch (Throwable e) { // no FFM, no such symbol: the toolkit probes as before
        }
    }

    /** Puts {@link #SOFTWARE_PIPELINE} into these properties, keeping any value already there (the user's choice). */
    static void chooseSoftware(Properties properties) {
        SOFTWARE_PIPELINE.forEach(properties::putIfAbsent);
    }

    /** Whether to skip the probes: Linux, no {@code prism.order} given, not asked to probe, and no GPU device. */
    static boolean applies(String osName, String prismOrder, boolean probe, Predicate<Path> gpuUnder) {
        return osName.startsWith("Linux") && prismOrder == null && !probe && !gpuUnder.test(Path.of("/dev"));
    }

    /** A DRM card or render node ({@code dri/card*}, {@code dri/renderD*}) or an NVIDIA device under {@code dev}. */
    static boolean hasGpu(Path dev) {
        try (Stream<Path> dri = Files.isDirectory(dev.resolve("dri")) ? Files.list(dev.resolve("dri")) : Stream.empty();
             Stream<Path> top = Files.list(dev)) {
            return dri.map(p -> p.getFileName().toString()).anyMatch(n -> n.startsWith("card") || n.startsWith("renderD"))
                    || top.map(p -> p.getFileName().toString()).anyMatch(n -> n.matches("nvidia\\d+"));
        } catch (Exception e) {
            return true; // cannot tell: probe as before
        }
    }

    static void setenv(String name, String value) throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle setenv = linker.downcallHandle(linker.defaultLookup().find("setenv").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment n = arena.allocateFrom(name), v = arena.allocateFrom(value);
            int unused = (int) setenv.invokeExact(n, v, 0); // 0: an existing value stays
        }
    }

    /** For tests: the variable as the C library sees it now (System.getenv is a copy taken at JVM start). */
    static String getenv(String name) throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle getenv = linker.downcallHandle(linker.defaultLookup().find("getenv").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment r = (MemorySegment) getenv.invokeExact(arena.allocateFrom(name));
            return r.equals(MemorySegment.NULL) ? null : r.reinterpret(4096).getString(0);
        }
    }
}
