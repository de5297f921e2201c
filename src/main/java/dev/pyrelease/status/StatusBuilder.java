package dev.pyrelease.status;

import dev.pyrelease.api.v1alpha1.PythonReleaseStatus;
import dev.pyrelease.api.v1alpha1.RevisionState;
import dev.pyrelease.api.v1alpha1.RevisionStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

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
    s.setConditions(conditions(previous, generation, outcome, now));

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
   * failed part-way reports, keeping everything it did not get to look at.
   */
  public static PythonReleaseStatus withCondition(
      PythonReleaseStatus previous, long generation, String type, Cond c, Instant now) {
    PythonReleaseStatus s =
        previous == null
            ? new PythonReleaseStatus()
            : io.fabric8.kubernetes.client.utils.Serialization.clone(previous);
    s.setObservedGeneration(generation);
    if (s.getPhase() == null) {
      s.setPhase(dev.pyrelease.api.v1alpha1.Phase.Pending);
    }
    Outcome one = new Outcome(null);
    one.set(type, c);
    s.setConditions(conditions(previous, generation, one, now));
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
      PythonReleaseStatus previous, long generation, Outcome outcome, Instant now) {
    List<Condition> out = new ArrayList<>();
    String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
    for (String type : ConditionTypes.ALL) {
      Condition old = find(previous, type);
      Cond c = outcome.conditions.get(type);
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
