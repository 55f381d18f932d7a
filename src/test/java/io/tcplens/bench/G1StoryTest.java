package io.tcplens.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link WindowMemoryBenchmark#g1Story} reads G1's log ({@code -Xlog:gc,gc+heap,gc+init,gc+ihop=debug}) into one line. */
class G1StoryTest {
    /** A shortened log of JDK 25's G1, lines as it writes them: a humongous-started cycle, an undone one, mixed pauses. */
    private static final String LOG = """
            [0.004s][info][gc     ] Using G1
            [0.007s][info][gc,init] Heap Region Size: 1M
            [1.185s][debug][gc,ihop] GC(0) Basic information (value update), threshold: 94371840B (45.00), target occupancy: 209715200B, current occupancy: 2718240B, recent allocation size: 474984B
            [1.185s][debug][gc,ihop] GC(0) Adaptive IHOP information (value update), threshold: 83886080B (52.94), internal target occupancy: 178257920B, occupancy: 2718240B, additional buffer size: 6291456B
            [1.185s][info ][gc,heap] GC(0) Eden regions: 6->0(5)
            [1.185s][info ][gc,heap] GC(0) Old regions: 90->95
            [1.185s][info ][gc,heap] GC(0) Humongous regions: 2->3
            [1.185s][info ][gc     ] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 120M->98M(210M) 4.000ms
            [2.000s][info ][gc,heap] GC(1) Old regions: 95->96
            [2.000s][info ][gc,heap] GC(1) Humongous regions: 4->4
            [2.000s][info ][gc     ] GC(1) Pause Young (Concurrent Start) (G1 Humongous Allocation) 130M->100M(210M) 6.000ms
            [2.001s][info ][gc     ] GC(2) Concurrent Mark Cycle
            [2.300s][info ][gc     ] GC(2) Pause Remark 110M->108M(210M) 3.000ms
            [2.400s][info ][gc     ] GC(2) Pause Cleanup 108M->108M(210M) 0.100ms
            [2.500s][info ][gc     ] GC(2) Concurrent Mark Cycle 499.000ms
            [3.000s][info ][gc,heap] GC(3) Old regions: 104->104
            [3.000s][info ][gc,heap] GC(3) Humongous regions: 4->2
            [3.000s][info ][gc     ] GC(3) Pause Young (Prepare Mixed) (G1 Evacuation Pause) 140M->106M(210M) 5.000ms
            [3.500s][info ][gc,heap] GC(4) Old regions: 104->99
            [3.500s][info ][gc,heap] GC(4) Humongous regions: 2->2
            [3.500s][info ][gc     ] GC(4) Pause Young (Mixed) (G1 Evacuation Pause) 140M->101M(210M) 40.000ms
            [4.000s][info ][gc,heap] GC(5) Old regions: 99->97
            [4.000s][info ][gc,heap] GC(5) Humongous regions: 2->2
            [4.000s][info ][gc     ] GC(5) Pause Young (Mixed) (G1 Evacuation Pause) 140M->99M(210M) 20.000ms
            [5.000s][info ][gc,heap] GC(6) Old regions: 97->98
            [5.000s][info ][gc,heap] GC(6) Humongous regions: 3->3
            [5.000s][info ][gc     ] GC(6) Pause Young (Concurrent Start) (G1 Evacuation Pause) 140M->101M(210M) 7.000ms
            [5.001s][info ][gc     ] GC(7) Concurrent Undo Cycle
            [5.002s][info ][gc     ] GC(7) Concurrent Undo Cycle 1.000ms
            [5.500s][info ][gc,heap] GC(8) Old regions: 98->98
            [5.500s][info ][gc,heap] GC(8) Humongous regions: 3->5
            [5.500s][info ][gc     ] GC(8) Pause Young (Normal) (G1 Humongous Allocation) 120M->103M(210M) 2.000ms
            """;

    @Test
    void tellsTheMarkingAndMixedPausesInOneLine(@TempDir Path dir) throws Exception {
        Path log = Files.writeString(dir.resolve("gc.log"), LOG);
        assertEquals("G1: 1 marking cycles (1 remarks), 1 undone; concurrent starts by evacuation pause 1, humongous allocation 1; "
                        + "young pauses for a humongous allocation 2; "
                        + "mixed 2: p50 40.0, p99 40.0, longest 40.0 ms; young-only 5: p50 5.0, p99 7.0, longest 7.0 ms; "
                        + "remark longest 3.0, cleanup longest 0.1 ms; 0 full; "
                        + "old gen after each pause (old + humongous) first 98, last 103, max 106 MB (humongous max 5); "
                        + "marking threshold (IHOP) last 80 MB of 200 MB",
                WindowMemoryBenchmark.g1Story(log));
    }

    @Test
    void saysNothingForAnotherCollector(@TempDir Path dir) throws Exception {
        Path log = Files.writeString(dir.resolve("gc.log"), "[0.004s][info][gc] Using Serial\n[1.0s][info][gc] GC(0) Pause Young (Allocation Failure) 10M->2M(20M) 3.000ms\n");
        assertNull(WindowMemoryBenchmark.g1Story(log));
    }
}
