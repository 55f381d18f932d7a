package io.tcplens.export.firewall;

/** A bad address or CIDR; the message names the text and says what is wrong, on one line. */
public final class InvalidAddressException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidAddressException(String message) {
        super(message);
    }
}
