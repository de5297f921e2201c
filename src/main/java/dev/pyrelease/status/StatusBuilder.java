package dev.pyrelease.status;

import dev.pyrelease.api.v1alpha1.Phase;
import dev.pyrelease.api.v1alpha1.PythonReleaseStatus;
import dev.pyrelease.api.v1alpha1.RevisionState;
import dev.pyrelease.api.v1alpha1.RevisionStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the whole status from the previous status and what this reconcile found. Pure. Equal
 * inputs give an equal status, so the reconciler writes only when something changed; a condition's
 * {@code lastTransitionTime} moves only when its status flips.
 */
public final class StatusBuilder {
  private StatusBuilder() {}

  public static PythonReleaseStatus build(
      PythonReleaseStatus previous, long generation, Outcome outcome, Instant now) {
    PythonReleaseStatus s = new PythonReleaseStatus();
    s.setObservedGeneration(generation);
    s.setPhase(outcome.phase);
    s.setConditions(conditions(previous, generation, outcome.conditions, outcome.phase, now));

    List<RevisionStatus> revisions = new ArrayList<>();
    for (RevisionStatus r : outcome.revisions.descendingMap().values()) {
      RevisionStatus c = Outcome.copy(r);
      c.setState(state(c, outcome));
      if (c.getState() != RevisionState.Failed) {
        c.setReason(reason(c, outcome));
      }
      revisions.add(c);
    }
    s.setRevisions(revisions);
    s.setLatestRevision(
        outcome.revisions.values().stream()
            .filter(r -> r.getImage() != null)
            .map(RevisionStatus::getNumber)
            .max(Integer::compare)
            .orElse(null));
    if (outcome.activeRevision != null) {
      s.setCurrentRevision(outcome.activeRevision);
      RevisionStatus active = outcome.revisions.get(outcome.activeRevision);
      s.setCurrentImage(active == null ? null : active.getImage());
    }
    return s;
  }

  /**
   * The previous status with one condition set and the generation observed: what a reconcile that
   * failed part-way reports, keeping everything it did not get to look at. {@code phase}: the phase
   * to report (Failed for a terminal failure), or null to keep the previous one.
   */
  public static PythonReleaseStatus withCondition(
      PythonReleaseStatus previous,
      long generation,
      String type,
      Cond c,
      Phase phase,
      Instant now) {
    PythonReleaseStatus s =
        previous == null
            ? new PythonReleaseStatus()
            : io.fabric8.kubernetes.client.utils.Serialization.clone(previous);
    s.setObservedGeneration(generation);
    if (phase != null) {
      s.setPhase(phase);
    } else if (s.getPhase() == null) {
      s.setPhase(Phase.Pending);
    }
    s.setConditions(conditions(previous, generation, Map.of(type, c), s.getPhase(), now));
    return s;
  }

  private static RevisionState state(RevisionStatus r, Outcome o) {
    if (r.getState() == RevisionState.Failed) {
      return RevisionState.Failed;
    }
    int n = r.getNumber();
    if (o.activeRevision != null && o.activeRevision == n) {
      return RevisionState.Active;
    }
    Integer replicas = o.deploymentReplicas.get(n);
    if (replicas == null) {
      return o.targetRevision != null && o.targetRevision == n
          ? RevisionState.Standby
          : RevisionState.Retired;
    }
    return replicas > 0 ? RevisionState.Standby : RevisionState.Retired;
  }

  private static String reason(RevisionStatus r, Outcome o) {
    if (o.targetRevision != null
        && o.targetRevision.equals(r.getNumber())
        && r.getState() == RevisionState.Standby) {
      return "RollingOut";
    }
    return null;
  }

  static List<Condition> conditions(
      PythonReleaseStatus previous,
      long generation,
      Map<String, Cond> set,
      Phase phase,
      Instant now) {
    Map<String, Cond> all = new LinkedHashMap<>(set);
    all.putAll(kstatus(previous, set, phase));
    List<Condition> out = new ArrayList<>();
    String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
    for (String type : ConditionTypes.ALL) {
      Condition old = find(previous, type);
      Cond c = all.get(type);
      if (c == null) {
        if (old != null) {
          out.add(old);
        }
        continue;
      }
      String since =
          old != null && c.status().equals(old.getStatus()) && old.getLastTransitionTime() != null
              ? old.getLastTransitionTime()
              : time;
      out.add(
          new ConditionBuilder()
              .withType(type)
              .withStatus(c.status())
              .withReason(c.reason())
              .withMessage(c.message() == null ? "" : c.message())
              .withObservedGeneration(generation)
              .withLastTransitionTime(since)
              .build());
    }
    return out;
  }

  /**
   * kstatus' Reconciling and Stalled (cli-utils pkg/kstatus): Reconciling True while the phase is
   * Pending, Building or RollingOut; Stalled True in phase Failed, with the reason and message of
   * the condition that failed (the one set by this reconcile first: Degraded True, else
   * SourceResolved, Built or Ready False). Both False when the release serves its spec.
   */
  static Map<String, Cond> kstatus(
      PythonReleaseStatus previous, Map<String, Cond> set, Phase phase) {
    Map<String, Cond> out = new LinkedHashMap<>();
    Phase p = phase == null ? Phase.Pending : phase;
    switch (p) {
      case Pending, Building, RollingOut -> {
        Cond why = null;
        for (String type : p == Phase.Pending ? FAILING_FALSE : List.of(ConditionTypes.BUILT)) {
          Cond c = current(previous, set, type);
          if (why == null && c != null && !"True".equals(c.status())) {
            why = c;
          }
        }
        if (p == Phase.RollingOut) {
          why = current(previous, set, ConditionTypes.READY);
        }
        String message =
            why != null && why.message() != null && !why.message().isEmpty()
                ? why.message()
                : switch (p) {
                  case Building -> "building";
                  case RollingOut -> "rolling out";
                  default -> "working toward the spec";
                };
        out.put(ConditionTypes.RECONCILING, Cond.isTrue(p.name(), message));
        out.put(ConditionTypes.STALLED, Cond.isFalse("AsExpected", ""));
      }
      case Failed -> {
        Cond why = failing(previous, set);
        out.put(ConditionTypes.RECONCILING, Cond.isFalse("Failed", ""));
        out.put(
            ConditionTypes.STALLED,
            why == null
                ? Cond.isTrue("Failed", "the release failed")
                : Cond.isTrue(why.reason(), why.message()));
      }
      default -> {
        out.put(ConditionTypes.RECONCILING, Cond.isFalse("AsExpected", ""));
        out.put(ConditionTypes.STALLED, Cond.isFalse("AsExpected", ""));
      }
    }
    return out;
  }

  private static final List<String> FAILING_FALSE =
      List.of(ConditionTypes.SOURCE_RESOLVED, ConditionTypes.BUILT, ConditionTypes.READY);

  /** The condition a failure is about: this reconcile's first, else the previous status'. */
  private static Cond failing(PythonReleaseStatus previous, Map<String, Cond> set) {
    Cond d = set.get(ConditionTypes.DEGRADED);
    if (d != null && "True".equals(d.status())) {
      return d;
    }
    for (String type : FAILING_FALSE) {
      Cond c = set.get(type);
      if (c != null && "False".equals(c.status())) {
        return c;
      }
    }
    Cond old = current(previous, set, ConditionTypes.DEGRADED);
    if (old != null && "True".equals(old.status())) {
      return old;
    }
    for (String type : FAILING_FALSE) {
      Cond c = current(previous, set, type);
      if (c != null && "False".equals(c.status())) {
        return c;
      }
    }
    return null;
  }

  /** A condition as it will be: set by this reconcile, else kept from the previous status. */
  private static Cond current(PythonReleaseStatus previous, Map<String, Cond> set, String type) {
    Cond c = set.get(type);
    if (c != null) {
      return c;
    }
    Condition old = find(previous, type);
    return old == null ? null : new Cond(old.getStatus(), old.getReason(), old.getMessage());
  }

  public static Condition find(PythonReleaseStatus status, String type) {
    if (status == null || status.getConditions() == null) {
      return null;
    }
    return status.getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElse(null);
  }
}
