package io.tcplens.source;

/** A source could not produce a snapshot at all; the message is one clear sentence. */
public class SourceException extends Exception {
    public SourceException(String message) {
        super(message);
    }

    public SourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
