package io.tcplens.ui.aggregate;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.model.SourceInfo;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Ending a process: a child the test starts ends; PID 1, TcpLens itself, a gone process and a replay are refused. */
class EndProcessTest {
    @Test
    void aChildEndsOnSigtermAndThenIsGone() throws Exception {
        Process child = new ProcessBuilder("sleep", "300").start();
        try {
            assertEquals(Optional.empty(), EndProcess.refusal(child.pid(), SourceInfo.Kind.LIVE));
            EndProcess.Outcome o = EndProcess.end(child.pid(), SourceInfo.Kind.LIVE, false, 10_000);
            assertEquals(new EndProcess.Outcome(true, "action.terminated"), o);
            assertFalse(child.isAlive());
            assertEquals(Optional.of("action.refused.gone"), EndProcess.refusal(child.pid(), SourceInfo.Kind.LIVE));
        } finally {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void sigkillEndsAChildThatIgnoresSigterm() throws Exception {
        Process child = new ProcessBuilder("sh", "-c", "trap '' TERM; echo ready; while :; do sleep 1; done").start();
        try {
            child.inputReader().readLine(); // the trap is set
            assertEquals("action.stillRunning", EndProcess.end(child.pid(), SourceInfo.Kind.LIVE, false, 500).reasonKey());
            assertTrue(child.isAlive(), "SIGTERM was ignored");
            assertEquals(new EndProcess.Outcome(true, "action.killed"), EndProcess.end(child.pid(), SourceInfo.Kind.LIVE, true, 10_000));
        } finally {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void refusals() throws Exception {
        assertEquals(new EndProcess.Outcome(false, "action.refused.pid1"), EndProcess.end(1, SourceInfo.Kind.LIVE, true, 100));
        assertEquals(new EndProcess.Outcome(false, "action.refused.self"),
                EndProcess.end(ProcessHandle.current().pid(), SourceInfo.Kind.LIVE, true, 100));
        Process child = new ProcessBuilder("sleep", "300").start();
        try {
            for (SourceInfo.Kind k : new SourceInfo.Kind[] {SourceInfo.Kind.REPLAY, SourceInfo.Kind.SIMULATED})
                assertEquals(new EndProcess.Outcome(false, "action.refused.notLive"), EndProcess.end(child.pid(), k, true, 100));
            assertTrue(child.isAlive(), "a refusal sends nothing");
        } finally {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        assertEquals("kill -TERM 42", EndProcess.command(42, false));
        assertEquals("kill -KILL 42", EndProcess.command(42, true));
    }
}
