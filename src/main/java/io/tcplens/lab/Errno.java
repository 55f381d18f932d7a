package io.tcplens.lab;

/** The errno name for the message the JDK passes on from strerror(3). */
final class Errno {
    private Errno() {}

    static String of(String text) {
        if (text == null) return null;
        if (text.contains("Address already in use")) return "EADDRINUSE";
        if (text.contains("Cannot assign requested address")) return "EADDRNOTAVAIL";
        if (text.contains("Connection refused")) return "ECONNREFUSED";
        if (text.contains("Connection reset")) return "ECONNRESET";
        if (text.contains("Broken pipe")) return "EPIPE";
        if (text.contains("Too many open files")) return "EMFILE";
        if (text.contains("timed out")) return "ETIMEDOUT";
        return null;
    }
}
