package dev.pyrelease.status;

import java.util.List;

/** The condition types a PythonRelease reports, in the order they appear in status. */
public final class ConditionTypes {
  public static final String SOURCE_RESOLVED = "SourceResolved";
  public static final String BUILT = "Built";
  public static final String READY = "Ready";
  public static final String DEGRADED = "Degraded";

  /**
   * True when the release has fields this operator does not know (a newer CRD); they are ignored.
   * Present only on releases that have had such fields.
   */
  public static final String UNKNOWN_FIELDS = "UnknownFields";

  public static final List<String> ALL =
      List.of(SOURCE_RESOLVED, BUILT, READY, DEGRADED, UNKNOWN_FIELDS);

  private ConditionTypes() {}
}
