package dev.pyrelease.reconciler;

import dev.pyrelease.api.v1alpha1.Phase;
import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.api.v1alpha1.RevisionState;
import dev.pyrelease.api.v1alpha1.RevisionStatus;
import dev.pyrelease.buildjob.BuildJobBuilder;
import dev.pyrelease.buildjob.BuildPodReport;
import dev.pyrelease.config.BuildJobConfig;
import dev.pyrelease.kube.Labels;
import dev.pyrelease.kube.PodTrouble;
import dev.pyrelease.metrics.ReleaseMetrics;
import dev.pyrelease.status.Cond;
import dev.pyrelease.status.ConditionTypes;
import dev.pyrelease.status.Outcome;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Stage 3: makes sure an image exists for the build key. A retained revision with the key is
 * re-used (no Job); a Job building the key is adopted (found by its label and annotation, so a
 * restarted operator never starts a second one); otherwise a Job is created for revision N+1. A
 * finished Job is recorded as revision N, built or failed.
 */
final class BuildStage {
  /** What the stage decided: the revision to roll out, or nothing yet. */
  record Result(Integer revision, boolean failed) {
    static final Result WAITING = new Result(null, false);
    static final Result FAILED = new Result(null, true);
  }

  private final Cluster cluster;
  private final Events events;
  private final BuildJobConfig config;
  private final ReleaseMetrics metrics;

  BuildStage(Cluster cluster, Events events, BuildJobConfig config, ReleaseMetrics metrics) {
    this.cluster = cluster;
    this.events = events;
    this.config = config;
    this.metrics = metrics;
  }

  Result run(PythonRelease release, Observed obs, BuildInputs in, Outcome out, Instant now) {
    Optional<RevisionStatus> known =
        out.revisions.descendingMap().values().stream()
            .filter(r -> in.buildKey().equals(r.getBuildKey()))
            .findFirst();
    if (known.isPresent()) {
      RevisionStatus r = known.get();
      if (r.getState() == RevisionState.Failed) {
        // built but its hooks failed: the image is fine, the revision is not rolled out
        out.set(
            ConditionTypes.BUILT,
            r.getImage() != null ? built(r) : Cond.isFalse("BuildFailed", r.getReason()));
        out.phase = Phase.Failed;
        return Result.FAILED;
      }
      out.set(ConditionTypes.BUILT, built(r));
      return new Result(r.getNumber(), false);
    }

    List<Job> builds = obs.buildJobs();
    deleteStale(builds, in, out);
    Optional<Job> job =
        builds.stream()
            .filter(j -> in.buildKey().equals(Labels.annotation(j, Labels.BUILD_KEY)))
            .max(Comparator.comparingInt(Labels::revisionOf));
    if (job.isEmpty()) {
      int n = nextRevision(obs, out);
      LogContext.revision(n);
      Job desired =
          BuildJobBuilder.desired(
              release,
              new BuildJobBuilder.Request(
                  n,
                  in.commit(),
                  in.buildKey(),
                  in.requirementsSha256(),
                  in.baseImage(),
                  in.buildImage()),
              config);
      if (cluster.create(desired)) {
        metrics.buildStarted(release.getMetadata().getNamespace(), release.getMetadata().getName());
        events.normal(
            release,
            Events.BUILD_STARTED,
            "building revision "
                + n
                + " from commit "
                + shortSha(in.commit())
                + " in Job "
                + desired.getMetadata().getName());
      }
      building(out, desired);
      return Result.WAITING;
    }
    return finished(release, obs, job.get(), in, out, now);
  }

  private Result finished(
      PythonRelease release, Observed obs, Job job, BuildInputs in, Outcome out, Instant now) {
    int n = Labels.revisionOf(job);
    LogContext.revision(n);
    switch (JobState.of(job)) {
      case RUNNING -> {
        building(out, job);
        PodTrouble.of(obs.podsOf(job))
            .ifPresent(
                why ->
                    out.set(
                        ConditionTypes.BUILT,
                        Cond.isFalse(
                            "BuildPodStuck",
                            "revision "
                                + n
                                + ": the build pod cannot go on: "
                                + why
                                + "; the Job keeps waiting until its deadline")));
        return Result.WAITING;
      }
      case SUCCEEDED -> {
        var pods = obs.podsOf(job);
        BuildPodReport.Image image =
            BuildPodReport.image(pods, release.getSpec().getImage().getRepository());
        if (image == null && !BuildPodReport.settled(pods)) {
          // the Job's completion came before the pod's final status (a watch delivers them in
          // any order): read the pods from the API server before concluding anything
          pods = cluster.podsOf(job);
          image = BuildPodReport.image(pods, release.getSpec().getImage().getRepository());
        }
        if (image == null) {
          if (!BuildPodReport.settled(pods)) {
            // still not there: the pod's update will reconcile this release again
            building(out, job);
            return Result.WAITING;
          }
          metrics.buildFailed(
              release.getMetadata().getNamespace(),
              release.getMetadata().getName(),
              job.getMetadata().getUid(),
              took(job, now),
              BuildJobBuilder.ASSEMBLE);
          return failed(
              release, job, in, out, now, "container assemble wrote no image in its result");
        }
        RevisionStatus r = record(n, in, job, now);
        r.setImage(image.image());
        out.revisions.put(n, r);
        BuildPodReport.Layers l = image.layers();
        metrics.buildSucceeded(
            release.getMetadata().getNamespace(),
            release.getMetadata().getName(),
            job.getMetadata().getUid(),
            took(job, now),
            l == null
                ? null
                : new ReleaseMetrics.Layers(l.uploaded(), l.reused(), l.uploadedBytes()));
        events.normal(
            release, Events.BUILD_SUCCEEDED, "revision " + n + " built: " + image.image());
        out.set(ConditionTypes.BUILT, built(r));
        return new Result(n, false);
      }
      default -> {
        BuildPodReport.Failure f = BuildPodReport.failure(obs.podsOf(job));
        String why =
            f != null
                ? f.describe()
                : "Job " + job.getMetadata().getName() + " failed" + jobReason(job);
        metrics.buildFailed(
            release.getMetadata().getNamespace(),
            release.getMetadata().getName(),
            job.getMetadata().getUid(),
            took(job, now),
            f == null ? null : f.container());
        return failed(release, job, in, out, now, why);
      }
    }
  }

  /** Job start (status.startTime, else its creation) to its completion (else now). */
  static Duration took(Job job, Instant now) {
    var status = job.getStatus();
    Instant start = instant(status == null ? null : status.getStartTime());
    if (start == null) {
      start = instant(job.getMetadata().getCreationTimestamp());
    }
    if (start == null) {
      return Duration.ZERO;
    }
    Instant end = instant(status == null ? null : status.getCompletionTime());
    if (end == null || end.isBefore(start)) {
      end = now;
    }
    Duration d = Duration.between(start, end);
    return d.isNegative() ? Duration.ZERO : d;
  }

  private static Instant instant(String timestamp) {
    if (timestamp == null || timestamp.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(timestamp);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private Result failed(
      PythonRelease release, Job job, BuildInputs in, Outcome out, Instant now, String why) {
    int n = Labels.revisionOf(job);
    RevisionStatus r = record(n, in, job, now);
    r.setState(RevisionState.Failed);
    r.setReason("build failed: " + why);
    out.revisions.put(n, r);
    events.warning(release, Events.BUILD_FAILED, "revision " + n + ": " + why);
    out.set(ConditionTypes.BUILT, Cond.isFalse("BuildFailed", r.getReason()));
    out.phase = Phase.Failed;
    return Result.FAILED;
  }

  /** Running build Jobs for another key are no longer wanted: the spec moved on. */
  private void deleteStale(List<Job> builds, BuildInputs in, Outcome out) {
    for (Job j : builds) {
      if (!in.buildKey().equals(Labels.annotation(j, Labels.BUILD_KEY))
          && JobState.of(j) == JobState.RUNNING
          && !out.revisions.containsKey(Labels.revisionOf(j))) {
        cluster.delete(j);
      }
    }
  }

  private static int nextRevision(Observed obs, Outcome out) {
    int max = out.revisions.isEmpty() ? 0 : out.revisions.lastKey();
    for (Job j : obs.buildJobs()) {
      max = Math.max(max, Labels.revisionOf(j));
    }
    for (var d : obs.deployments()) {
      max = Math.max(max, Labels.revisionOf(d));
    }
    return max + 1;
  }

  private static void building(Outcome out, Job job) {
    out.set(
        ConditionTypes.BUILT,
        Cond.isFalse(
            "Building",
            "revision "
                + Labels.revisionOf(job)
                + " is building in Job "
                + job.getMetadata().getName()));
    out.phase = Phase.Building;
  }

  private static Cond built(RevisionStatus r) {
    return Cond.isTrue(
        "Built",
        "revision " + r.getNumber() + " (commit " + shortSha(r.getCommit()) + "): " + r.getImage());
  }

  private static RevisionStatus record(int n, BuildInputs in, Job job, Instant now) {
    RevisionStatus r = new RevisionStatus();
    r.setNumber(n);
    Map<String, String> a = job.getMetadata().getAnnotations();
    r.setCommit(a != null && a.get(Labels.COMMIT) != null ? a.get(Labels.COMMIT) : in.commit());
    r.setRequirementsSha256(
        a != null && a.get(Labels.REQUIREMENTS_SHA) != null
            ? a.get(Labels.REQUIREMENTS_SHA)
            : in.requirementsSha256());
    r.setBuildKey(in.buildKey());
    r.setBaseImage(in.baseImage()); // the key includes its digest: equal keys, equal base
    String done = job.getStatus() == null ? null : job.getStatus().getCompletionTime();
    r.setBuiltAt(done != null ? done : now.truncatedTo(ChronoUnit.SECONDS).toString());
    r.setState(RevisionState.Standby);
    return r;
  }

  private static String jobReason(Job job) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return "";
    }
    return job.getStatus().getConditions().stream()
        .filter(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()))
        .findFirst()
        .map(
            c -> " (" + c.getReason() + (c.getMessage() == null ? "" : ": " + c.getMessage()) + ")")
        .orElse("");
  }

  static String shortSha(String sha) {
    return sha == null ? "?" : sha.length() > 12 ? sha.substring(0, 12) : sha;
  }
}
