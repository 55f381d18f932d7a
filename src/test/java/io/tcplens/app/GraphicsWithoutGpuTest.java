package io.tcplens.app;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11: the software pipeline without OpenGL probes only where no GPU can be used, and never over the user's choice. */
class GraphicsWithoutGpuTest {
    @TempDir
    Path dev;

    @Test
    void aGpuIsACardOrRenderNodeOrAnNvidiaDevice() throws Exception {
        assertFalse(GraphicsWithoutGpu.hasGpu(dev), "an empty /dev");
        Files.createDirectories(dev.resolve("dri/by-path"));
        Files.createFile(dev.resolve("nvidiactl"));
        assertFalse(GraphicsWithoutGpu.hasGpu(dev), "no card or render node, no numbered NVIDIA device");
        Files.createFile(dev.resolve("dri/renderD128"));
        assertTrue(GraphicsWithoutGpu.hasGpu(dev));
        Files.delete(dev.resolve("dri/renderD128"));
        Files.createFile(dev.resolve("dri/card0"));
        assertTrue(GraphicsWithoutGpu.hasGpu(dev));
        Files.delete(dev.resolve("dri/card0"));
        Files.createFile(dev.resolve("nvidia0"));
        assertTrue(GraphicsWithoutGpu.hasGpu(dev));
    }

    @Test
    void onlyLinuxWithoutAGpuAndWithoutTheUsersChoice() {
        assertTrue(GraphicsWithoutGpu.applies("Linux", null, false, d -> false));
        assertFalse(GraphicsWithoutGpu.applies("Linux", null, false, d -> true), "a GPU: JavaFX probes OpenGL as before");
        assertFalse(GraphicsWithoutGpu.applies("Linux", "es2,sw", false, d -> false), "prism.order given");
        assertFalse(GraphicsWithoutGpu.applies("Linux", null, true, d -> false), "-Dtcplens.gl.probe=true");
        assertFalse(GraphicsWithoutGpu.applies("Windows 11", null, false, d -> false));
        assertFalse(GraphicsWithoutGpu.applies("Mac OS X", null, false, d -> false));
    }

    @Test
    void theSoftwarePipelineWithoutPrismsRegionCacheButNeverOverTheUsersChoice() {
        Properties p = new Properties();
        GraphicsWithoutGpu.chooseSoftware(p);
        assertEquals("sw", p.getProperty("prism.order"));
        assertEquals("true", p.getProperty("prism.disableRegionCaching"), "no 8 MB region texture on the heap");
        Properties given = new Properties();
        given.setProperty("prism.disableRegionCaching", "false");
        GraphicsWithoutGpu.chooseSoftware(given);
        assertEquals("false", given.getProperty("prism.disableRegionCaching"), "the user's choice wins");
        assertEquals("sw", given.getProperty("prism.order"));
    }

    @Test
    void setenvReachesTheCLibraryAndKeepsAnExistingValue() throws Throwable {
        String name = "TCPLENS_TEST_" + ProcessHandle.current().pid();
        assertNull(GraphicsWithoutGpu.getenv(name));
        GraphicsWithoutGpu.setenv(name, "disable");
        assertEquals("disable", GraphicsWithoutGpu.getenv(name), "what GTK will read");
        GraphicsWithoutGpu.setenv(name, "other");
        assertEquals("disable", GraphicsWithoutGpu.getenv(name), "an existing value stays");
    }
}
