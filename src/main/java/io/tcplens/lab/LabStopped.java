package io.tcplens.lab;

/** The run was stopped or hit its time limit: unwinds a scenario to the runner's cleanup. */
final class LabStopped extends Exception {
    LabStopped() {
        super(null, null, false, false);
    }
}
