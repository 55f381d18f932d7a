package io.tcplens.analysis.advisor;

import java.util.List;

/**
 * One check of the advisor: looks at what was observed and adds its findings. Its id is stable (the
 * findings carry it) and prefixes its sentences in the advice bundle ({@code advice.ID.*}).
 */
public interface AdvisorRule {
    String id();

    void check(Observation o, List<Finding> out);
}
