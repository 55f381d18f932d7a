package io.tcplens.export.firewall;

/** Turns a {@link BlockPlan} into the text of one rule format. */
@FunctionalInterface
public interface RuleGenerator {
    String generate(BlockPlan plan);
}
