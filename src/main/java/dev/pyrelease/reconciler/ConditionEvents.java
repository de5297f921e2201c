package dev.pyrelease.reconciler;

import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.api.v1alpha1.PythonReleaseStatus;
import dev.pyrelease.status.StatusBuilder;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.Objects;
import java.util.Set;

/**
 * Warning events for problems that are conditions (terminal errors, a missed deadline): emitted
 * when the condition appears or its message changes, so a problem is announced once, not on every
 * reconcile.
 */
final class ConditionEvents {
  static final Set<String> WARNINGS =
      Set.of(
          "InvalidSpec",
          "UnknownRef",
          "MissingBaseImage",
          "InvalidRequirements",
          "RevisionNotRetained",
          "ProgressDeadlineExceeded",
          "BuildPodStuck",
          "PodsStuck");

  private final Events events;

  ConditionEvents(Events events) {
    this.events = events;
  }

  void announce(PythonRelease release, PythonReleaseStatus before, PythonReleaseStatus after) {
    // two conditions may carry one problem (a first rollout past its deadline is both not Ready
    // and Degraded): one event
    Set<String> said = new java.util.HashSet<>();
    for (Condition c : after.getConditions()) {
      if (!WARNINGS.contains(c.getReason())) {
        continue;
      }
      Condition old = StatusBuilder.find(before, c.getType());
      if (old == null
          || !Objects.equals(old.getReason(), c.getReason())
          || !Objects.equals(old.getMessage(), c.getMessage())) {
        if (said.add(c.getReason() + "\n" + c.getMessage())) {
          events.warning(release, c.getReason(), c.getMessage());
        }
      }
    }
  }
}
