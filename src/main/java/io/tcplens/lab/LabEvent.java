package io.tcplens.lab;

import io.tcplens.model.Endpoint;
import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * Something that happened in a lab run. The text is a bundle key ({@code lab.event.KEY}) and its
 * arguments; {@code errorText} is the operating system's own error message, verbatim, when a call failed.
 *
 * @param timeMillis when it happened (epoch ms)
 * @param kind       what sort of event
 * @param key        message key under {@code lab.event.}
 * @param args       message arguments
 * @param operation  the failing call ("bind", "connect", "read", "listen"), or null
 * @param errorText  the kernel's error message as the JDK reported it, e.g. "Address already in use", or null
 * @param errno      the errno name matching errorText (EADDRINUSE, EADDRNOTAVAIL, ECONNRESET…), or null
 * @param local      local endpoint involved, or null
 * @param remote     remote endpoint involved, or null
 */
public record LabEvent(long timeMillis, Kind kind, String key, Object[] args, String operation, String errorText,
                       String errno, Endpoint local, Endpoint remote) {

    public enum Kind {
        /** The run started, a phase began or ended. */
        PHASE,
        /** A server is listening. */
        LISTENING,
        /** Connections opened, requests answered, closes done (progress). */
        PROGRESS,
        /** A system call failed; errorText holds the kernel's message. */
        ERROR,
        /** The run finished (or was stopped) and cleaned up. */
        FINISHED
    }

    public static final String BUNDLE = "io.tcplens.lab.lab";

    public static ResourceBundle bundle(Locale locale) {
        return ResourceBundle.getBundle(BUNDLE, locale);
    }

    public boolean isError() {
        return kind == Kind.ERROR;
    }

    /** The message in the bundle's language (the key itself when missing, so nothing is silently hidden). */
    public String message(ResourceBundle bundle) {
        String pattern;
        try {
            pattern = bundle.getString("lab.event." + key);
        } catch (MissingResourceException e) {
            pattern = key;
        }
        return new MessageFormat(pattern, bundle.getLocale()).format(args);
    }

    /**
     * One line; for a failed call the kernel's text comes first, e.g.
     * {@code bind(): Address already in use [EADDRINUSE] — Client 127.0.0.1:20001 → 127.0.0.1:41234: the kernel refused}.
     */
    public String line(ResourceBundle bundle) {
        String m = message(bundle);
        if (errorText == null) return m;
        return (operation == null ? "" : operation + "(): ") + errorText + (errno == null ? "" : " [" + errno + "]") + " — " + m;
    }
}
