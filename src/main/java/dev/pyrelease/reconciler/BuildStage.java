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
import io.javaoperatorsdk.operator.processing.event.ResourceID;
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
 * restarted operator never starts a second one). Otherwise the key is built once in the cluster:
 * another release's finished build of it becomes revision N+1 here (the same image when it pushes
 * to this release's repository, else a copy made without building), another release's running build
 * of it is waited for, and only then is a Job created — when a build slot is free ({@link
 * BuildSlots}), else the release is queued. A finished Job is recorded as revision N, built or
 * failed.
 */
final class BuildStage {
  /** What the stage decided: the revision to roll out, or nothing yet. */
  record Result(Integer revision, boolean failed) {
    static final Result WAITING = new Result(null, false);
    static final Result FAILED = new Result(null, true);
  }

  /** What the stage shares with every other release's: the build slots and the image copier. */
  record Shared(BuildSlots slots, ImageCopier copier, Credentials credentials) {}

  private final Cluster cluster;
  private final Events events;
  private final BuildJobConfig config;
  private final ReleaseMetrics metrics;
  private final Shared shared;
  private final ClusterBuilds builds;

  BuildStage(
      Cluster cluster,
      Events events,
      BuildJobConfig config,
      ReleaseMetrics metrics,
      Shared shared,
      ClusterBuilds builds) {
    this.cluster = cluster;
    this.events = events;
    this.config = config;
    this.metrics = metrics;
    this.shared = shared;
    this.builds = builds;
  }

  /**
   * @param basePatch the build only takes a moved base image (it waits behind builds users asked
   *     for)
   */
  Result run(
      PythonRelease release,
      Observed obs,
      BuildInputs in,
      boolean basePatch,
      Outcome out,
      Instant now) {
    ResourceID me = ResourceID.fromResource(release);
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
      shared.slots().notWaiting(me);
      out.set(ConditionTypes.BUILT, built(r));
      return new Result(r.getNumber(), false);
    }

    List<Job> own = obs.buildJobs();
    deleteStale(own, in, out);
    Optional<Job> job =
        own.stream()
            .filter(j -> in.buildKey().equals(Labels.annotation(j, Labels.BUILD_KEY)))
            .max(Comparator.comparingInt(Labels::revisionOf));
    if (job.isPresent()) {
      shared.slots().notWaiting(me);
      return finished(release, obs, job.get(), in, out, now);
    }
    int n = nextRevision(obs, out);
    LogContext.revision(n);
    Result reused = reuse(release, n, in, out, now);
    if (reused != null) {
      shared.slots().notWaiting(me);
      return reused;
    }
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
    String name = ClusterBuilds.name(desired);
    String elsewhere = runningElsewhere(release, in.buildKey());
    BuildSlots.Decision slot =
        elsewhere != null
            ? new BuildSlots.Decision(false, elsewhere)
            : shared.slots().tryStart(me, basePatch, name, in.buildKey(), builds.running());
    if (slot.join() != null) {
      shared.slots().join(in.buildKey(), me);
      out.set(
          ConditionTypes.BUILT,
          Cond.isFalse(
              "WaitingForBuild",
              "revision "
                  + n
                  + " waits for Job "
                  + slot.join()
                  + ", which builds the same key (commit "
                  + shortSha(in.commit())
                  + ", the same requirements, index and base): one build per key"));
      out.phase = Phase.Building;
      return Result.WAITING;
    }
    if (!slot.start()) {
      out.set(ConditionTypes.BUILT, Cond.isFalse("Queued", queued(n, basePatch)));
      out.phase = Phase.Building;
      return Result.WAITING;
    }
    boolean created;
    try {
      created = cluster.create(desired);
    } catch (RuntimeException e) {
      shared.slots().abandon(name);
      throw e;
    }
    if (created) {
      metrics.buildStarted(release.getMetadata().getNamespace(), release.getMetadata().getName());
      events.normal(
          release,
          Events.BUILD_STARTED,
          "building revision "
              + n
              + " from commit "
              + shortSha(in.commit())
              + (basePatch ? " on the moved base image " + in.baseImage() : "")
              + " in Job "
              + desired.getMetadata().getName());
    }
    building(out, desired);
    return Result.WAITING;
  }

  private String queued(int n, boolean basePatch) {
    int limit = shared.slots().limit();
    return basePatch
        ? "revision "
            + n
            + " (a rebuild on a moved base image) waits for a build slot: rebuilds on a moved"
            + " base wait while "
            + limit
            + " build Jobs run in the cluster or builds of spec changes wait"
            + " (PYRELEASE_MAX_CONCURRENT_BUILDS="
            + limit
            + ")"
        : "revision "
            + n
            + " waits for a build slot: "
            + limit
            + " build Jobs run in the cluster (PYRELEASE_MAX_CONCURRENT_BUILDS="
            + limit
            + "); builds of spec changes go first";
  }

  /**
   * Another release's finished build of the key, as revision {@code n} here: the same image when it
   * is in this release's repository, else a copy in it (no build). Null when there is none, or the
   * copy cannot be made (then this release builds, and says why in an event).
   */
  private Result reuse(PythonRelease release, int n, BuildInputs in, Outcome out, Instant now) {
    String repository = release.getSpec().getImage().getRepository();
    List<Built> found = builtElsewhere(release, in.buildKey());
    if (found.isEmpty()) {
      return null;
    }
    Built from =
        found.stream()
            .filter(b -> repository.equals(repositoryOf(b.image())))
            .findFirst()
            .orElse(found.get(0));
    String image = from.image();
    String how = "reused";
    if (!repository.equals(repositoryOf(image))) {
      try {
        image =
            shared
                .copier()
                .copy(
                    image,
                    repository,
                    shared
                        .credentials()
                        .dockerConfig(
                            release.getMetadata().getNamespace(),
                            release.getSpec().getImage().getPushSecretRef()));
        how = "copied";
      } catch (ImageCopier.CopyFailedException e) {
        events.warning(
            release,
            Events.BUILD_NOT_REUSED,
            "revision "
                + n
                + ": "
                + from.who()
                + " built this key, but its image "
                + from.image()
                + " cannot be copied to "
                + repository
                + " ("
                + e.getMessage()
                + "); building instead");
        return null;
      }
    }
    RevisionStatus r = new RevisionStatus();
    r.setNumber(n);
    r.setCommit(in.commit());
    r.setRequirementsSha256(in.requirementsSha256());
    r.setBuildKey(in.buildKey());
    r.setBaseImage(in.baseImage());
    r.setImage(image);
    r.setBuiltAt(now.truncatedTo(ChronoUnit.SECONDS).toString());
    r.setState(RevisionState.Standby);
    r.setReusedFrom(from.who() + " (" + how + ")");
    if (!in.distributions().isEmpty()) {
      r.setDistributions(in.distributions()); // the same key: the same pins
    }
    out.revisions.put(n, r);
    events.normal(
        release,
        Events.BUILD_REUSED,
        "revision " + n + " is the build of " + from.who() + " (" + how + "): " + image);
    out.set(ConditionTypes.BUILT, built(r));
    return new Result(n, false);
  }

  /** A finished build of the key by another release: its image and whose it is. */
  private record Built(String image, String who) {}

  private List<Built> builtElsewhere(PythonRelease release, String key) {
    List<Built> found = new java.util.ArrayList<>();
    for (PythonRelease other : builds.releasesWithKey(key)) {
      if (same(other, release) || other.getStatus() == null) {
        continue;
      }
      for (RevisionStatus r : other.getStatus().getRevisions()) {
        if (key.equals(r.getBuildKey()) && r.getImage() != null) {
          found.add(new Built(r.getImage(), whose(other, r.getNumber())));
          break;
        }
      }
    }
    // a Job that has finished before its release wrote it down
    for (Job j : builds.jobsWithKey(key)) {
      String owner =
          j.getMetadata().getLabels() == null
              ? null
              : j.getMetadata().getLabels().get(Labels.RELEASE);
      if (owner == null
          || JobState.of(j) != JobState.SUCCEEDED
          || (owner.equals(release.getMetadata().getName())
              && j.getMetadata().getNamespace().equals(release.getMetadata().getNamespace()))) {
        continue;
      }
      Optional<PythonRelease> other = builds.release(j.getMetadata().getNamespace(), owner);
      if (other.isEmpty()) {
        continue;
      }
      BuildPodReport.Image image =
          BuildPodReport.image(builds.podsOf(j), other.get().getSpec().getImage().getRepository());
      if (image != null) {
        found.add(new Built(image.image(), whose(other.get(), Labels.revisionOf(j))));
      }
    }
    return found;
  }

  /** Another release's Job building the key now ({@code namespace/name}), or null. */
  private String runningElsewhere(PythonRelease release, String key) {
    for (Job j : builds.jobsWithKey(key)) {
      if (JobState.of(j) == JobState.RUNNING
          && !(j.getMetadata().getNamespace().equals(release.getMetadata().getNamespace())
              && release
                  .getMetadata()
                  .getName()
                  .equals(j.getMetadata().getLabels().get(Labels.RELEASE)))) {
        return ClusterBuilds.name(j);
      }
    }
    return null;
  }

  private static boolean same(PythonRelease a, PythonRelease b) {
    return a.getMetadata().getName().equals(b.getMetadata().getName())
        && a.getMetadata().getNamespace().equals(b.getMetadata().getNamespace());
  }

  private static String whose(PythonRelease r, int revision) {
    return r.getMetadata().getNamespace()
        + "/"
        + r.getMetadata().getName()
        + " revision "
        + revision;
  }

  /** {@code registry/repo} of {@code registry/repo[:tag]@sha256:…}. */
  static String repositoryOf(String image) {
    int at = image.indexOf('@');
    String s = at >= 0 ? image.substring(0, at) : image;
    int slash = s.lastIndexOf('/');
    int colon = s.lastIndexOf(':');
    return colon > slash ? s.substring(0, colon) : s;
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
        shared.slots().finished(ClusterBuilds.name(job), in.buildKey());
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
    shared.slots().finished(ClusterBuilds.name(job), in.buildKey());
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
        shared.slots().finished(ClusterBuilds.name(j), Labels.annotation(j, Labels.BUILD_KEY));
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
    String requirements =
        a != null && a.get(Labels.REQUIREMENTS_SHA) != null
            ? a.get(Labels.REQUIREMENTS_SHA)
            : in.requirementsSha256();
    r.setRequirementsSha256(requirements);
    // the distributions of the requirements the Job built, or none: never another spec's
    if (requirements.equals(in.requirementsSha256()) && !in.distributions().isEmpty()) {
      r.setDistributions(in.distributions());
    }
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
