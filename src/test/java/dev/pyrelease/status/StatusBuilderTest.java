package dev.pyrelease.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyrelease.api.v1alpha1.Phase;
import dev.pyrelease.api.v1alpha1.PythonReleaseStatus;
import dev.pyrelease.api.v1alpha1.RevisionState;
import dev.pyrelease.api.v1alpha1.RevisionStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusBuilderTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant T1 = Instant.parse("2026-01-01T00:05:00Z");

  static RevisionStatus rev(int n, String image) {
    RevisionStatus r = new RevisionStatus();
    r.setNumber(n);
    r.setCommit("c" + n);
    r.setImage(image);
    r.setBuildKey("k" + n);
    r.setState(RevisionState.Standby);
    return r;
  }

  static Outcome serving(List<RevisionStatus> revs, int active) {
    Outcome o = new Outcome(revs);
    o.activeRevision = active;
    o.targetRevision = active;
    o.phase = Phase.Ready;
    o.deploymentReplicas.put(1, 0);
    o.deploymentReplicas.put(2, 3);
    o.deploymentReplicas.put(3, 3);
    o.set(ConditionTypes.READY, Cond.isTrue("Serving", "revision " + active + " serves"));
    return o;
  }

  @Test
  void revisionsNewestFirstWithDerivedStates() {
    var s =
        StatusBuilder.build(
            null, 4, serving(List.of(rev(1, "i1"), rev(2, "i2"), rev(3, "i3")), 3), T0);
    assertThat(s.getObservedGeneration()).isEqualTo(4);
    assertThat(s.getRevisions()).extracting(RevisionStatus::getNumber).containsExactly(3, 2, 1);
    assertThat(s.getRevisions())
        .extracting(RevisionStatus::getState)
        .containsExactly(RevisionState.Active, RevisionState.Standby, RevisionState.Retired);
    assertThat(s.getCurrentRevision()).isEqualTo(3);
    assertThat(s.getCurrentImage()).isEqualTo("i3");
    assertThat(s.getLatestRevision()).isEqualTo(3);
    assertThat(s.getPhase()).isEqualTo(Phase.Ready);
  }

  @Test
  void equalInputsGiveEqualStatusSoNothingIsWritten() {
    var revs = List.of(rev(1, "i1"), rev(2, "i2"));
    PythonReleaseStatus first = StatusBuilder.build(null, 1, serving(revs, 2), T0);
    PythonReleaseStatus again = StatusBuilder.build(first, 1, serving(first.getRevisions(), 2), T1);
    assertThat(again).isEqualTo(first);
  }

  @Test
  void lastTransitionTimeMovesOnlyWhenStatusFlips() {
    var revs = List.of(rev(1, "i1"));
    PythonReleaseStatus first = StatusBuilder.build(null, 1, serving(revs, 1), T0);
    Outcome sameStatusNewMessage = serving(first.getRevisions(), 1);
    sameStatusNewMessage.set(ConditionTypes.READY, Cond.isTrue("Serving", "other text"));
    var second = StatusBuilder.build(first, 2, sameStatusNewMessage, T1);
    assertThat(StatusBuilder.find(second, "Ready").getLastTransitionTime())
        .isEqualTo(T0.toString());
    assertThat(StatusBuilder.find(second, "Ready").getObservedGeneration()).isEqualTo(2);

    Outcome flipped = serving(first.getRevisions(), 1);
    flipped.set(ConditionTypes.READY, Cond.isFalse("RollingOut", "x"));
    var third = StatusBuilder.build(second, 3, flipped, T1);
    assertThat(StatusBuilder.find(third, "Ready").getLastTransitionTime()).isEqualTo(T1.toString());
  }

  @Test
  void unreportedConditionsKeepTheirPreviousValueAndFailedStays() {
    var revs = List.of(rev(1, "i1"));
    Outcome o = serving(revs, 1);
    o.set(ConditionTypes.BUILT, Cond.isTrue("Built", "r1"));
    var first = StatusBuilder.build(null, 1, o, T0);
    Outcome next = new Outcome(first.getRevisions());
    next.revisions.put(2, rev(2, null));
    next.fail(2, "build failed: container venv failed");
    next.activeRevision = 1;
    next.phase = Phase.Failed;
    var s = StatusBuilder.build(first, 2, next, T1);
    assertThat(StatusBuilder.find(s, "Built").getReason()).isEqualTo("Built");
    assertThat(s.getConditions())
        .extracting(c -> c.getType())
        .containsExactly("Built", "Ready", "Reconciling", "Stalled");
    assertThat(s.getRevisions().get(0).getState()).isEqualTo(RevisionState.Failed);
    assertThat(s.getRevisions().get(0).getReason()).contains("venv");
    assertThat(s.getLatestRevision()).as("a failed build has no image").isEqualTo(1);
  }

  @Test
  void reconcilingAndStalledFollowThePhase() {
    var revs = List.of(rev(1, "i1"));
    PythonReleaseStatus ready = StatusBuilder.build(null, 1, serving(revs, 1), T0);
    assertThat(StatusBuilder.find(ready, "Reconciling").getStatus()).isEqualTo("False");
    assertThat(StatusBuilder.find(ready, "Stalled").getStatus()).isEqualTo("False");

    Outcome building = serving(ready.getRevisions(), 1);
    building.phase = Phase.Building;
    building.set(ConditionTypes.BUILT, Cond.isFalse("Building", "revision 2 is building"));
    var b = StatusBuilder.build(ready, 2, building, T1);
    assertThat(StatusBuilder.find(b, "Reconciling"))
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getReason()).isEqualTo("Building");
              assertThat(c.getMessage()).isEqualTo("revision 2 is building");
              assertThat(c.getLastTransitionTime()).isEqualTo(T1.toString());
            });
    assertThat(StatusBuilder.find(b, "Stalled").getLastTransitionTime())
        .as("still False: its time stays")
        .isEqualTo(T0.toString());

    // a terminal failure reported on its own (withCondition): Stalled names it
    var failed =
        StatusBuilder.withCondition(
            b,
            2,
            ConditionTypes.READY,
            Cond.isFalse("NameTaken", "Service web/shop exists"),
            Phase.Failed,
            T1);
    assertThat(failed.getPhase()).isEqualTo(Phase.Failed);
    assertThat(StatusBuilder.find(failed, "Reconciling").getStatus()).isEqualTo("False");
    assertThat(StatusBuilder.find(failed, "Stalled"))
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getReason()).isEqualTo("NameTaken");
              assertThat(c.getMessage()).isEqualTo("Service web/shop exists");
            });

    // a retried error keeps the phase: still Reconciling
    var retried =
        StatusBuilder.withCondition(
            b, 2, ConditionTypes.SOURCE_RESOLVED, Cond.isFalse("GitUnreachable", "x"), null, T1);
    assertThat(retried.getPhase()).isEqualTo(Phase.Building);
    assertThat(StatusBuilder.find(retried, "Reconciling").getStatus()).isEqualTo("True");

    // the same inputs give the same status: nothing to write
    assertThat(StatusBuilder.build(b, 2, building, T1.plusSeconds(60))).isEqualTo(b);
  }
}
