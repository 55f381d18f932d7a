package io.tcplens.ui.diagram;

import java.util.List;
import java.util.Map;

/**
 * The text painted over the diagram in screen units, all of it resolved by the view from the bundle.
 *
 * @param title            the legend card's title
 * @param legendObserved   legend line for observed moves
 * @param legendInferred   legend line for inferred moves
 * @param legendAggregated legend line when counts and flows replace tokens
 * @param categories       process/remote colour legend: name (null = unknown) and count, largest first
 * @param unknown          name shown for a null category
 * @param others           prefix for categories beyond the palette
 * @param tooltip          hover card lines, or empty
 * @param mouseX           pointer position the hover card follows
 * @param mouseY           pointer position the hover card follows
 * @param followTitle      title of the history strip, or null when nothing is followed
 * @param followHint       hint beside it
 * @param followSteps      the strip's chips, oldest first
 */
record DiagramOverlay(String title, String legendObserved, String legendInferred, String legendAggregated,
                      List<Map.Entry<String, Integer>> categories, String unknown, String others,
                      List<String> tooltip, double mouseX, double mouseY,
                      String followTitle, String followHint, List<FollowStep> followSteps) {}
