package io.tcplens.ui.shell;

import io.tcplens.model.SourceInfo;
import io.tcplens.source.TimeWaitDuration;

/** What the views learn about a newly opened source before its first poll. */
public record ShellSource(SourceInfo info, TimeWaitDuration timeWaitDuration) {}
