package io.tcplens.source.replay;

import java.io.IOException;
import java.nio.file.Path;

/** Lets tests in other packages write the synthetic demo recording. */
public final class RecordingRoundTripTestAccess {
    private RecordingRoundTripTestAccess() {}

    public static Path write(Path file) throws IOException {
        return RecordingRoundTripTest.write(file, RecordingRoundTripTest.synthetic(), 3);
    }
}
