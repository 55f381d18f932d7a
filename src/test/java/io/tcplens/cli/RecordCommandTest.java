package io.tcplens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.model.SourceInfo;
import io.tcplens.source.replay.Recording;
import io.tcplens.source.replay.RecordingReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RecordCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = new CommandLine(new RecordCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void recordsTheLiveTableAndTheRecordingReadsBack() throws Exception {
        Path f = dir.resolve("live.tcplens");
        Run r = run("-o", f.toString(), "--count", "3", "--interval", "100ms", "--source", "proc");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("recorded 3 snapshot(s)"), r.out());
        Recording rec = RecordingReader.read(f);
        assertEquals(3, rec.size());
        assertEquals(SourceInfo.Kind.LIVE, rec.header().source().kind());
        assertTrue(rec.stop().isEmpty());
        assertTrue(rec.timeOf(2) - rec.timeOf(0) >= 150, "polls were spaced by the interval");
    }

    @Test
    void refusesToOverwriteAndBadInputGivesOneLine() throws Exception {
        Path f = Files.writeString(dir.resolve("x.tcplens"), "mine");
        Run r = run("-o", f.toString(), "--count", "1", "--source", "proc");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("exists (use --force"), r.err());
        assertEquals("mine", Files.readString(f));
        assertEquals(0, run("-o", f.toString(), "--count", "1", "--source", "proc", "--force", "--quiet").code());

        Run bad = run("-o", dir.resolve("y").toString(), "--source", "nosuch", "--count", "1");
        assertEquals(1, bad.code());
        assertTrue(bad.err().startsWith("tcplens record: unknown source 'nosuch'"), bad.err());
        Run interval = run("--interval", "soon");
        assertEquals(2, interval.code());
        assertTrue(interval.err().contains("not a duration: 'soon'"), interval.err());
        assertEquals(2, run("--interval", "10ms", "--count", "1").code());
    }

    @Test
    void durationsParse() {
        RecordCommand.DurationConverter c = new RecordCommand.DurationConverter();
        assertEquals(500, c.convert("500ms").toMillis());
        assertEquals(1500, c.convert("1.5s").toMillis());
        assertEquals(120_000, c.convert("2m").toMillis());
        assertEquals(3000, c.convert("3").toMillis());
    }
}
