package dev.pyrelease.reconciler;

import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.api.v1alpha1.PythonReleaseStatus;
import dev.pyrelease.api.v1alpha1.RevisionState;
import dev.pyrelease.api.v1alpha1.RevisionStatus;
import dev.pyrelease.release.BaseImageRef;
import dev.pyrelease.status.Cond;
import dev.pyrelease.status.ConditionTypes;
import dev.pyrelease.status.Outcome;
import dev.pyrelease.status.StatusBuilder;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.Objects;
import java.util.function.Function;

/**
 * Decides which digest of the base image a build takes when the tag has moved since the revision
 * that serves (or the newest one) was built, as {@code python.baseImageUpdates} says: Rebuild
 * builds the same commit on the new digest (a base patch: it waits behind builds users asked for),
 * Ignore keeps the old digest until something else in the spec changes. A move is said on the
 * BaseImage condition and in one event naming both digests.
 */
final class BaseImageStage {
  static final String MOVED_EVENT = "BaseImageMoved";

  /** The build to make sure of, and whether it is a rebuild on a moved base only. */
  record Decision(BuildInputs inputs, boolean basePatch) {}

  private final Events events;

  BaseImageStage(Events events) {
    this.events = events;
  }

  /**
   * @param current the tag's digest now
   * @param problem why the tag could not be checked again (the digest is then the last known), or
   *     null
   * @param inputsFor the build inputs on a given base (commit and requirements as resolved)
   */
  Decision run(
      PythonRelease release,
      PythonReleaseStatus before,
      Outcome out,
      BaseImageRef current,
      String problem,
      Function<BaseImageRef, BuildInputs> inputsFor) {
    BuildInputs now = inputsFor.apply(current);
    RevisionStatus serving = compared(out);
    String old = serving == null ? null : digestOf(serving.getBaseImage(), current.reference());
    Decision d = new Decision(now, false);
    Cond c = null;
    if (old != null && current.digest() != null && !old.equals(current.digest())) {
      BuildInputs onOld = inputsFor.apply(new BaseImageRef(current.reference(), old));
      if (onOld.buildKey().equals(serving.getBuildKey())) {
        // nothing but the base moved
        String moved =
            current.reference() + " moved from " + old + " to " + current.digest() + ": ";
        if (release.getSpec().getPython().rebuildsOnBaseUpdates()) {
          d = new Decision(now, true);
          c =
              Cond.isFalse(
                  "Rebuilding",
                  moved
                      + "commit "
                      + BuildStage.shortSha(now.commit())
                      + " is built again on it; revision "
                      + serving.getNumber()
                      + " serves until the new revision is ready, and stays on standby"
                      + " (spec.revision: "
                      + serving.getNumber()
                      + " rolls back to it)");
        } else {
          d = new Decision(onOld, false);
          c =
              Cond.isFalse(
                  "UpdateIgnored",
                  moved
                      + "revision "
                      + serving.getNumber()
                      + " stays on "
                      + old
                      + " (spec.python.baseImageUpdates: Ignore); the next spec change builds on"
                      + " the new digest");
        }
        announce(release, before, c);
      }
    } else if (old != null
        && old.equals(current.digest())
        && StatusBuilder.find(before, ConditionTypes.BASE_IMAGE) != null) {
      c =
          Cond.isTrue(
              "Current",
              "revision "
                  + serving.getNumber()
                  + " is built on "
                  + current.reference()
                  + "@"
                  + current.digest()
                  + ", the tag's digest");
    }
    if (problem != null) {
      c = Cond.isFalse("CheckFailed", current.reference() + ": " + problem);
    }
    if (c != null) {
      out.set(ConditionTypes.BASE_IMAGE, c);
    }
    return d;
  }

  private void announce(PythonRelease release, PythonReleaseStatus before, Cond c) {
    Condition old = StatusBuilder.find(before, ConditionTypes.BASE_IMAGE);
    if (old == null
        || !Objects.equals(old.getReason(), c.reason())
        || !Objects.equals(old.getMessage(), c.message())) {
      events.normal(release, MOVED_EVENT, c.message());
    }
  }

  /** The revision that serves, else the newest with an image: what a moved tag is measured by. */
  private static RevisionStatus compared(Outcome out) {
    if (out.activeRevision != null && out.revisions.containsKey(out.activeRevision)) {
      return out.revisions.get(out.activeRevision);
    }
    return out.revisions.descendingMap().values().stream()
        .filter(r -> r.getImage() != null && r.getState() != RevisionState.Failed)
        .findFirst()
        .orElse(null);
  }

  /** The digest of {@code pinned} ({@code reference@sha256:…}) when it pins this reference. */
  static String digestOf(String pinned, String reference) {
    return pinned != null && pinned.startsWith(reference + "@")
        ? pinned.substring(reference.length() + 1)
        : null;
  }
}
