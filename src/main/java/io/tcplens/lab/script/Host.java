package io.tcplens.lab.script;

/** One of the two TCP endpoints of a scripted scenario: A on the left, B on the right. */
public enum Host {
    A, B;

    public Host peer() {
        return this == A ? B : A;
    }
}
