package dev.pyrelease.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.api.v1alpha1.PythonReleaseStatus;
import dev.pyrelease.api.v1alpha1.RevisionState;
import dev.pyrelease.api.v1alpha1.RevisionStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class UrgencyTest {
  static final String C1 = "1".repeat(40);
  static final String C2 = "2".repeat(40);

  /** Serving revision 2 (commit C2) at generation 1; revision 1 (C1) retained. */
  static PythonRelease serving() {
    PythonRelease r = Kube.release("ns", "shop", "main");
    r.getMetadata().setGeneration(1L);
    PythonReleaseStatus s = new PythonReleaseStatus();
    s.setObservedGeneration(1L);
    s.setCurrentRevision(2);
    s.setRevisions(
        List.of(revision(2, C2, RevisionState.Active), revision(1, C1, RevisionState.Standby)));
    r.setStatus(s);
    return r;
  }

  static RevisionStatus revision(int n, String commit, RevisionState state) {
    RevisionStatus r = new RevisionStatus();
    r.setNumber(n);
    r.setCommit(commit);
    r.setImage("registry.test/shop@sha256:" + n);
    r.setState(state);
    return r;
  }

  @Test
  void aPinNotServedYetIsUrgentAndOnceServedItIsNot() {
    PythonRelease r = serving();
    r.getSpec().setRevision(1);
    r.getMetadata().setGeneration(2L);
    assertThat(Urgency.urgent(r, Urgency.KnownCommits.NONE)).isTrue();
    r.getStatus().setCurrentRevision(1);
    r.getStatus().setObservedGeneration(2L);
    assertThat(Urgency.urgent(r, Urgency.KnownCommits.NONE)).isFalse();
  }

  @Test
  void aSourceBackAtARetainedRevisionsCommitIsUrgent() {
    PythonRelease bySha = serving();
    bySha.getSpec().getSource().getGit().setRef(C1);
    bySha.getMetadata().setGeneration(2L);
    assertThat(Urgency.urgent(bySha, Urgency.KnownCommits.NONE)).isTrue();

    PythonRelease byTag = serving();
    byTag.getSpec().getSource().getGit().setRef("v1");
    byTag.getMetadata().setGeneration(2L);
    assertThat(Urgency.urgent(byTag, Urgency.KnownCommits.NONE)).isFalse();
    assertThat(Urgency.urgent(byTag, (url, ref) -> "v1".equals(ref) ? C1 : null)).isTrue();
  }

  @Test
  void aNewCommitOrAnUnchangedSpecIsNot() {
    PythonRelease next = serving();
    next.getSpec().getSource().getGit().setRef("3".repeat(40));
    next.getMetadata().setGeneration(2L);
    assertThat(Urgency.urgent(next, Urgency.KnownCommits.NONE)).isFalse();
    PythonRelease same = serving();
    same.getSpec().getSource().getGit().setRef(C1);
    assertThat(Urgency.urgent(same, Urgency.KnownCommits.NONE)).isFalse();
    assertThat(Urgency.urgent(Kube.release("ns", "new", "v1"), Urgency.KnownCommits.NONE))
        .isFalse();
  }

  @Test
  void aFailedRevisionIsNoRollbackTarget() {
    PythonRelease r = serving();
    r.getStatus()
        .setRevisions(
            List.of(revision(2, C2, RevisionState.Active), revision(1, C1, RevisionState.Failed)));
    r.getSpec().getSource().getGit().setRef(C1);
    r.getMetadata().setGeneration(2L);
    assertThat(Urgency.urgent(r, Urgency.KnownCommits.NONE)).isFalse();
  }
}
