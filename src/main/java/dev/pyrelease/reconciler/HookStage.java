package dev.pyrelease.reconciler;

import dev.pyrelease.api.v1alpha1.Hook;
import dev.pyrelease.api.v1alpha1.Phase;
import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.buildjob.BuildPodReport;
import dev.pyrelease.kube.HookJobBuilder;
import dev.pyrelease.status.Cond;
import dev.pyrelease.status.ConditionTypes;
import dev.pyrelease.status.Outcome;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Optional;

/**
 * Stage 4: the pre-rollout hooks of a new revision, one Job each, in order, in the new image. Run
 * only before the revision's Deployment exists, so "once per revision" survives restarts and the
 * hook Jobs' TTL: the Deployment is the record that they all succeeded.
 */
final class HookStage {
  enum Result {
    DONE,
    WAITING,
    FAILED
  }

  private final Cluster cluster;
  private final Events events;

  HookStage(Cluster cluster, Events events) {
    this.cluster = cluster;
    this.events = events;
  }

  Result run(PythonRelease release, Observed obs, int revision, String image, Outcome out) {
    var spec = release.getSpec().getHooks();
    List<Hook> hooks =
        spec == null || spec.getPreRollout() == null ? List.of() : spec.getPreRollout();
    for (Hook hook : hooks) {
      Optional<Job> job = obs.hookJob(revision, hook.getName());
      if (job.isEmpty()) {
        cluster.create(HookJobBuilder.desired(release, revision, image, hook));
        return waiting(out, revision, hook);
      }
      switch (JobState.of(job.get())) {
        case RUNNING -> {
          return waiting(out, revision, hook);
        }
        case FAILED -> {
          BuildPodReport.Failure f = BuildPodReport.failure(obs.podsOf(job.get()));
          String why =
              "hook "
                  + hook.getName()
                  + " failed"
                  + (f == null ? "" : ": " + f.describe())
                  + "; traffic stays where it is";
          out.fail(revision, why);
          out.set(
              ConditionTypes.DEGRADED,
              Cond.isTrue("HookFailed", "revision " + revision + ": " + why));
          out.phase = Phase.Failed;
          events.warning(release, Events.HOOK_FAILED, "revision " + revision + ": " + why);
          return Result.FAILED;
        }
        default -> {
          // succeeded: next hook
        }
      }
    }
    return Result.DONE;
  }

  private static Result waiting(Outcome out, int revision, Hook hook) {
    out.phase = Phase.RollingOut;
    out.set(
        ConditionTypes.READY,
        out.activeRevision == null
            ? Cond.isFalse(
                "RunningHooks", "revision " + revision + ": hook " + hook.getName() + " running")
            : Cond.isTrue(
                "Serving",
                "revision "
                    + out.activeRevision
                    + " serves; revision "
                    + revision
                    + " runs hook "
                    + hook.getName()));
    return Result.WAITING;
  }
}
