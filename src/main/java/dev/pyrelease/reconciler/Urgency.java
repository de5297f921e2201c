package dev.pyrelease.reconciler;

import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.api.v1alpha1.PythonReleaseStatus;
import dev.pyrelease.api.v1alpha1.RevisionState;
import dev.pyrelease.api.v1alpha1.RevisionStatus;
import dev.pyrelease.source.GitRefs;
import java.util.Objects;

/**
 * Which reconciles go ahead of the others (issue 18): those that can move traffic to a revision
 * that is already built — a pin ({@code spec.revision}) the release does not serve yet, or a source
 * that is back at a retained revision's commit (a {@code git revert} of the manifest to a commit
 * SHA, or to a ref whose commit the operator already knows). They need no build and little git, so
 * a rollback does not wait behind a fleet of builds. Pure: it reads the release as the informer has
 * it.
 */
public final class Urgency {
  /** The commit a ref was last resolved to, if known without asking git. */
  public interface KnownCommits {
    String commitOf(String url, String ref);

    KnownCommits NONE = (url, ref) -> null;
  }

  private Urgency() {}

  public static boolean urgent(PythonRelease release, KnownCommits known) {
    var spec = release.getSpec();
    PythonReleaseStatus status = release.getStatus();
    if (spec == null || status == null || status.getRevisions() == null) {
      return false;
    }
    Integer pinned = spec.getRevision();
    if (pinned != null) {
      return !pinned.equals(status.getCurrentRevision())
          || !Objects.equals(status.getObservedGeneration(), release.getMetadata().getGeneration());
    }
    if (Objects.equals(status.getObservedGeneration(), release.getMetadata().getGeneration())
        || spec.getSource() == null
        || spec.getSource().getGit() == null) {
      return false;
    }
    // a spec the operator has not seen: urgent when its source is a retained revision's commit
    var git = spec.getSource().getGit();
    String commit =
        GitRefs.isFullSha(git.getRef()) ? git.getRef() : known.commitOf(git.getUrl(), git.getRef());
    if (commit == null) {
      return false;
    }
    for (RevisionStatus r : status.getRevisions()) {
      if (commit.equals(r.getCommit())
          && r.getImage() != null
          && r.getState() != RevisionState.Failed
          && !Objects.equals(r.getNumber(), status.getCurrentRevision())) {
        return true;
      }
    }
    return false;
  }
}
