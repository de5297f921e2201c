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

  /**
   * Whether the serving revision is built on the digest its base image tag has now: False while a
   * moved tag is rebuilt on (Rebuilding), when the move is ignored (UpdateIgnored) or when the tag
   * cannot be checked (CheckFailed); True (Current) after. Present only on releases whose base tag
   * has moved or could not be checked.
   */
  public static final String BASE_IMAGE = "BaseImage";

  /**
   * kstatus' Reconciling: True (reason Pending, Building or RollingOut) while the operator works
   * toward the spec, False otherwise. Derived from the phase by {@link StatusBuilder} only.
   */
  public static final String RECONCILING = "Reconciling";

  /**
   * kstatus' Stalled: True in phase Failed (a terminal failure; the failing condition's reason and
   * message), False otherwise. Derived from the phase by {@link StatusBuilder} only.
   */
  public static final String STALLED = "Stalled";

  public static final List<String> ALL =
      List.of(
          SOURCE_RESOLVED,
          BUILT,
          READY,
          DEGRADED,
          BASE_IMAGE,
          UNKNOWN_FIELDS,
          RECONCILING,
          STALLED);

  private ConditionTypes() {}
}
