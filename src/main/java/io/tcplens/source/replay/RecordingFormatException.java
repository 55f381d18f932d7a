package io.tcplens.source.replay;

import java.io.IOException;

/** The file is not a TcpLens recording (or one this version cannot read); the message says why, in one line. */
public class RecordingFormatException extends IOException {
    public RecordingFormatException(String message) {
        super(message);
    }
}
