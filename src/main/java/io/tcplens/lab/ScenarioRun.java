package io.tcplens.lab;

import java.io.IOException;

/** What one {@link LabScenario} does with its run's sockets; one class each. */
interface ScenarioRun {
    void run(LabRun r) throws IOException, LabStopped;

    static ScenarioRun of(LabScenario s) {
        return switch (s) {
            case CLIENT_CLOSES_FIRST -> new ClientClosesFirst();
            case SERVER_CLOSES_FIRST -> new ServerClosesFirst();
            case RST_CLOSE -> new RstClose();
            case CLOSE_WAIT_LEAK -> new CloseWaitLeak();
            case KEEP_ALIVE -> new KeepAlive();
            case PORT_EXHAUSTION -> new PortExhaustion();
            case EPHEMERAL_RANGE -> new EphemeralRangeExhaustion();
            case SERVER_RESTART -> new ServerRestart();
            case ONE_SOURCE_MANY_CLIENTS -> new OneSourceManyClients();
        };
    }
}
