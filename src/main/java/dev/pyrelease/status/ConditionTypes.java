package dev.pyrelease.status;

import java.util.List;

/** The condition types a PythonRelease reports, in the order they appear in status. */
public final class ConditionTypes {
  public static final String SOURCE_RESOLVED = "SourceResolved";
  public static final String BUILT = "Built";
  public static final String READY = "Ready";
  public static final String DEGRADED = "Degraded";
  public static final List<String> ALL = List.of(SOURCE_RESOLVED, BUILT, READY, DEGRADED);

  private ConditionTypes() {}
}
