package dev.pyrelease.reconciler;

import dev.pyrelease.api.v1alpha1.Phase;
import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.api.v1alpha1.PythonReleaseStatus;
import dev.pyrelease.api.v1alpha1.RevisionState;
import dev.pyrelease.api.v1alpha1.RevisionStatus;
import dev.pyrelease.config.OperatorConfig;
import dev.pyrelease.kube.Labels;
import dev.pyrelease.kube.ServiceBuilder;
import dev.pyrelease.metrics.ReleaseMetrics;
import dev.pyrelease.release.BaseDigests;
import dev.pyrelease.release.BaseImageRef;
import dev.pyrelease.source.GitResolver;
import dev.pyrelease.status.Cond;
import dev.pyrelease.status.ConditionTypes;
import dev.pyrelease.status.Outcome;
import dev.pyrelease.status.StatusBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Orchestrates the stages of one reconcile: observe → validate → resolve → build → hooks → rollout
 * → serving (schedules, autoscalers, budgets) → retire → status. The stages do the work; this class
 * only decides which run. Terminal errors end as conditions (no exception, no retry); transient
 * ones are thrown and JOSDK retries.
 */
@ControllerConfiguration(name = PythonReleaseReconciler.NAME)
public final class PythonReleaseReconciler implements Reconciler<PythonRelease> {
  public static final String NAME = "pythonrelease";

  private final OperatorConfig config;
  private final Clock clock;
  private final ValidateStage validate = new ValidateStage();
  private final SourceCache sources;
  private final Events events;
  private final ConditionEvents conditionEvents;
  private final Cluster cluster;
  private final StatusWriter statusWriter = new StatusWriter();
  private final ReleaseMetrics metrics;
  private final BaseTags baseTags;
  private final BuildSlots buildSlots;
  private final ImageCopier imageCopier;
  private final SimpleInboundEventSource<PythonRelease> wakeUps =
      new SimpleInboundEventSource<>("wake-ups");
  private final String builderVersion;
  private final IgnoredFields ignoredFields;
  private final Backoff backoff = Backoff.DEFAULT;

  /** One stack trace per release and hour: a bug retried every minute must not flood the log. */
  static final Duration TRACE_INTERVAL = Duration.ofHours(1);

  private final java.util.Map<String, Instant> lastTrace =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** How often a release stuck on a terminal failure outside its spec (a Secret) looks again. */
  static final Duration TERMINAL_RECHECK = Duration.ofMinutes(5);

  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(PythonReleaseReconciler.class);

  /**
   * @param baseTags the digests of base image tags, shared by every release (and polled)
   * @param builderVersion what every key takes as the builder ({@code VenvScript#builderVersion()}:
   *     the build pod runs the same jar and takes the same)
   */
  public PythonReleaseReconciler(
      OperatorConfig config,
      GitResolver git,
      BaseTags baseTags,
      BuildSlots buildSlots,
      ImageCopier imageCopier,
      String builderVersion,
      io.fabric8.kubernetes.client.KubernetesClient client,
      Clock clock,
      ReleaseMetrics metrics,
      IgnoredFields ignoredFields) {
    this.config = config;
    this.ignoredFields = ignoredFields;
    this.metrics = metrics;
    this.sources = new SourceCache(git, clock, config.git().pollInterval());
    this.baseTags = baseTags;
    // a moved base tag reconciles the releases that build on it
    baseTags.wakeWith(wakeUps::propagateEvent);
    this.buildSlots = buildSlots;
    this.imageCopier = imageCopier;
    // a freed build slot, or the end of a build others wait for, reconciles who waits
    buildSlots.wakeWith(wakeUps::propagateEvent);
    this.builderVersion = builderVersion;
    this.clock = clock;
    this.cluster = new Cluster(client);
    this.events = new Events(client, clock);
    this.conditionEvents = new ConditionEvents(events);
  }

  /** The commits refs last resolved to, for {@link Urgency} (no git). */
  public Urgency.KnownCommits knownCommits() {
    return sources;
  }

  @Override
  public List<EventSource<?, PythonRelease>> prepareEventSources(
      EventSourceContext<PythonRelease> context) {
    InformerEventSource<Job, PythonRelease> jobs = informer(Job.class, context);
    ClusterBuilds.index(jobs, context.getPrimaryCache());
    return List.of(
        jobs,
        informer(Pod.class, context),
        informer(Deployment.class, context),
        informer(Service.class, context),
        informer(CronJob.class, context),
        informer(HorizontalPodAutoscaler.class, context),
        informer(PodDisruptionBudget.class, context),
        wakeUps);
  }

  /**
   * Everything the operator makes carries the release label; it maps events back to the release.
   */
  private static <R extends HasMetadata> InformerEventSource<R, PythonRelease> informer(
      Class<R> type, EventSourceContext<PythonRelease> context) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(type, PythonRelease.class)
            .withLabelSelector(Labels.RELEASE)
            .withSecondaryToPrimaryMapper(PythonReleaseReconciler::owningRelease)
            .build(),
        context);
  }

  private static Set<ResourceID> owningRelease(HasMetadata r) {
    var labels = r.getMetadata().getLabels();
    String release = labels == null ? null : labels.get(Labels.RELEASE);
    return release == null
        ? Set.of()
        : Set.of(new ResourceID(release, r.getMetadata().getNamespace()));
  }

  @Override
  public UpdateControl<PythonRelease> reconcile(
      PythonRelease release, Context<PythonRelease> context) throws Exception {
    String ns = release.getMetadata().getNamespace();
    String name = release.getMetadata().getName();
    Instant now = clock.instant();
    metrics.generationObserved(ns, name, generation(release));
    try {
      return stages(release, context, now);
    } catch (Exception e) {
      metrics.reconcileError(ns, name, e);
      throw e;
    } finally {
      LogContext.clear();
    }
  }

  /**
   * A reconcile threw: its cause goes on the status as a condition (terminal: no retry; transient:
   * when the next attempt comes), with one log line — a stack trace only for what no one expected.
   * The status is the previous one with that condition and the generation observed.
   */
  @Override
  public ErrorStatusUpdateControl<PythonRelease> updateErrorStatus(
      PythonRelease release, Context<PythonRelease> context, Exception e) {
    Failure f = Failure.of(e);
    if (f.quiet()) {
      log.debug("{} (retried)", f.message());
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    // the retries so far, plus this failure
    int attempt = context.getRetryInfo().map(RetryInfo::getAttemptCount).orElse(0) + 1;
    String message =
        f.terminal()
            ? f.message()
            : f.message() + "; next attempt in " + seconds(backoff.after(attempt));
    if (!f.expected()) {
      String key = release.getMetadata().getNamespace() + "/" + release.getMetadata().getName();
      Instant now = clock.instant();
      Instant last = lastTrace.get(key);
      if (last == null || !last.plus(TRACE_INTERVAL).isAfter(now)) {
        lastTrace.put(key, now);
        log.error("reconcile failed, attempt {}: {}", attempt, f.message(), e);
      } else {
        // a bug that repeats: its trace is in the log already, once an hour is enough
        log.error(
            "reconcile failed, attempt {}: {} (stack trace logged at {})",
            attempt,
            f.message(),
            last);
      }
    } else if (f.terminal()) {
      log.warn("{}: {}", f.reason(), f.message());
    } else {
      log.warn("{} (attempt {}): {}", f.reason(), attempt, message);
    }
    Cond c =
        ConditionTypes.DEGRADED.equals(f.conditionType())
            ? Cond.isTrue(f.reason(), message)
            : Cond.isFalse(f.reason(), message);
    PythonReleaseStatus after =
        StatusBuilder.withCondition(
            release.getStatus(),
            generation(release),
            f.conditionType(),
            c,
            f.terminal() ? Phase.Failed : null,
            clock.instant());
    try {
      conditionEvents.announce(release, release.getStatus(), after);
      statusWriter.writeIfChanged(release, after, context);
    } catch (RuntimeException writeFailed) {
      log.warn("could not write the failure to status: {}", writeFailed.getMessage());
    }
    ErrorStatusUpdateControl<PythonRelease> control = ErrorStatusUpdateControl.noStatusUpdate();
    // a Secret's change does not reconcile the release: look again now and then
    return f.terminal() ? control.withNoRetry().rescheduleAfter(TERMINAL_RECHECK) : control;
  }

  private static String seconds(Duration d) {
    return d.toMillis() < 1000 ? d.toMillis() + " ms" : d.toSeconds() + " s";
  }

  private static long generation(PythonRelease release) {
    Long g = release.getMetadata().getGeneration();
    return g == null ? 0 : g;
  }

  private UpdateControl<PythonRelease> stages(
      PythonRelease release, Context<PythonRelease> context, Instant now) throws Exception {
    Observed obs = observe(release, context);
    PythonReleaseStatus before = release.getStatus();
    Outcome out = new Outcome(before == null ? null : before.getRevisions());
    unknownFields(release, before, out);
    out.activeRevision = active(obs, out);
    LogContext.revision(out.activeRevision);
    obs.deployments().stream()
        .filter(Observed::isWeb)
        .forEach(
            d ->
                out.deploymentReplicas.put(
                    Labels.revisionOf(d),
                    d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas()));

    Integer target = target(release, context, obs, out, now);
    Duration next = null;
    if (target != null) {
      LogContext.revision(target);
      String image = out.revisions.get(target).getImage();
      boolean fresh = obs.deployment(target).isEmpty() && !target.equals(out.activeRevision);
      HookStage.Result hooks =
          fresh
              ? new HookStage(cluster, events).run(release, obs, target, image, out)
              : HookStage.Result.DONE;
      if (hooks == HookStage.Result.DONE) {
        next =
            new RolloutStage(cluster, events, config.rollout(), metrics)
                .advance(release, obs, target, release.getSpec().getRevision() != null, out, now);
      } else if (hooks == HookStage.Result.FAILED) {
        target = null;
      }
    }
    new ServingStage(cluster, events).run(release, obs, out, now);
    next =
        min(next, new RetireStage(cluster, config.rollout()).run(release, obs, target, out, now));
    out.targetRevision = target;
    next = min(next, sources.nextPoll(release));

    PythonReleaseStatus after = StatusBuilder.build(before, generation(release), out, now);
    conditionEvents.announce(release, before, after);
    statusWriter.writeIfChanged(release, after, context);
    UpdateControl<PythonRelease> control = UpdateControl.noUpdate();
    return next == null ? control : control.rescheduleAfter(next.plusMillis(50));
  }

  /**
   * The revision to roll out: the pinned one (rollback, never builds), or the one built from the
   * spec (validate → resolve → build). Null when there is none yet or the spec is in error.
   */
  private Integer target(
      PythonRelease release, Context<PythonRelease> context, Observed obs, Outcome out, Instant now)
      throws BaseDigests.UnavailableException {
    Terminal invalid = validate.spec(release);
    if (invalid != null) {
      return terminal(out, invalid);
    }
    Integer pinned = release.getSpec().getRevision();
    if (pinned != null) {
      return rollback(pinned, out);
    }
    SourceStage.Result source =
        new SourceStage(sources, new Credentials(cluster.client())).run(release, out);
    if (source.terminal() != null) {
      return terminal(out, source.terminal());
    }
    Terminal badRequirements = validate.requirements(release, source.requirements());
    if (badRequirements != null) {
      return terminal(out, badRequirements);
    }
    String base =
        BaseImageRef.choose(
            release.getSpec(),
            null,
            config.baseImageFor(release.getSpec().getPython().getVersion()));
    if (base == null) {
      return terminal(
          out,
          new Terminal(
              ConditionTypes.BUILT,
              "MissingBaseImage",
              "spec.python.baseImage: not set, and the operator has no default for Python "
                  + release.getSpec().getPython().getVersion()
                  + " \u2014 set spec.python.baseImage"));
    }
    BaseImageRef resolved;
    ResourceID id = ResourceID.fromResource(release);
    // one read of the pull credentials for the base and the build image
    byte[] pull =
        new Credentials(cluster.client())
            .dockerConfig(
                release.getMetadata().getNamespace(),
                release.getSpec().getImage().getPushSecretRef());
    try {
      resolved = baseTags.resolve(id, base, pull);
    } catch (BaseDigests.NotFoundException e) {
      return terminal(
          out,
          new Terminal(
              ConditionTypes.BUILT,
              "BaseImageNotFound",
              "spec.python.baseImage: "
                  + e.getMessage()
                  + " \u2014 push it, or name an existing image (the operator's default for Python "
                  + release.getSpec().getPython().getVersion()
                  + " applies when unset)"));
    }
    // the build image, resolved as the base is (shared, polled): the Job runs it pinned and the
    // keys take it
    String build = BaseImageRef.chooseBuild(release.getSpec(), base);
    BaseImageRef buildImage;
    try {
      buildImage = baseTags.resolveBuildImage(id, build, build == null ? null : pull);
    } catch (BaseDigests.NotFoundException e) {
      return terminal(
          out,
          new Terminal(
              ConditionTypes.BUILT,
              "BuildImageNotFound",
              "spec.python.buildImage: "
                  + e.getMessage().replace("the base image", "the build image")
                  + " \u2014 push it, name an existing image, or unset it to build in the base"
                  + " image"));
    }
    BaseImageStage.Decision decision =
        new BaseImageStage(events)
            .run(
                release,
                release.getStatus(),
                out,
                resolved,
                baseTags.problem(id),
                b ->
                    BuildInputs.of(
                        release,
                        source.commit(),
                        source.requirements(),
                        b,
                        buildImage,
                        builderVersion));
    BuildStage.Result built =
        new BuildStage(
                cluster,
                events,
                config.buildJob(),
                metrics,
                new BuildStage.Shared(buildSlots, imageCopier, new Credentials(cluster.client())),
                ClusterBuilds.of(context))
            .run(release, obs, decision.inputs(), decision.basePatch(), out, now);
    return built.revision();
  }

  /** Names the fields the operator ignored, or clears a condition that named some before. */
  private void unknownFields(PythonRelease release, PythonReleaseStatus before, Outcome out) {
    List<String> fields = ignoredFields.of(release);
    if (!fields.isEmpty()) {
      out.set(
          ConditionTypes.UNKNOWN_FIELDS,
          Cond.isTrue(
              "FieldsIgnored",
              "this operator does not know "
                  + String.join(", ", fields)
                  + " and ignores "
                  + (fields.size() == 1 ? "it" : "them")
                  + " \u2014 upgrade the operator to the CRD's version, or remove "
                  + (fields.size() == 1 ? "the field" : "the fields")));
    } else if (StatusBuilder.find(before, ConditionTypes.UNKNOWN_FIELDS) != null) {
      out.set(ConditionTypes.UNKNOWN_FIELDS, Cond.isFalse("AsExpected", ""));
    }
  }

  private static Integer rollback(int pinned, Outcome out) {
    RevisionStatus r = out.revisions.get(pinned);
    if (r == null || r.getImage() == null || r.getState() == RevisionState.Failed) {
      String retained =
          out.revisions.values().stream()
              .filter(x -> x.getImage() != null && x.getState() != RevisionState.Failed)
              .map(x -> Integer.toString(x.getNumber()))
              .collect(Collectors.joining(", "));
      out.set(
          ConditionTypes.DEGRADED,
          Cond.isTrue(
              "RevisionNotRetained",
              "spec.revision: revision "
                  + pinned
                  + " is not retained"
                  + (r != null && r.getState() == RevisionState.Failed ? " (it failed)" : "")
                  + "; retained: "
                  + (retained.isEmpty() ? "none" : retained)
                  + (out.activeRevision == null
                      ? ""
                      : "; revision " + out.activeRevision + " keeps serving")));
      out.phase = Phase.Failed;
      return null;
    }
    return pinned;
  }

  private static Integer terminal(Outcome out, Terminal t) {
    out.set(t.conditionType(), Cond.isFalse(t.reason(), t.message()));
    out.phase = Phase.Failed;
    return null;
  }

  /** The revision the Service selects, if it is one this release knows. */
  private static Integer active(Observed obs, Outcome out) {
    int selected = ServiceBuilder.selectedRevision(obs.service());
    return selected > 0 && out.revisions.containsKey(selected) ? selected : null;
  }

  private static Observed observe(PythonRelease release, Context<PythonRelease> context) {
    String name = release.getMetadata().getName();
    return new Observed(
        release,
        cached(context, Job.class),
        cached(context, Pod.class),
        cached(context, Deployment.class),
        cached(context, Service.class).stream()
            .filter(s -> name.equals(s.getMetadata().getName()))
            .findFirst()
            .orElse(null),
        cached(context, CronJob.class),
        cached(context, HorizontalPodAutoscaler.class),
        cached(context, PodDisruptionBudget.class));
  }

  /**
   * The release's objects of one type, from JOSDK's primary-to-secondary index (kept by each
   * informer from the release label, {@link #owningRelease}): the cost is the release's own
   * objects, not a scan of every cached object in the cluster. Sorted by name, so that what a stage
   * derives from them does not depend on the cache's order.
   */
  private static <R extends HasMetadata> List<R> cached(
      Context<PythonRelease> context, Class<R> type) {
    return context
        .getSecondaryResourcesAsStream(type)
        .sorted(java.util.Comparator.comparing(r -> r.getMetadata().getName()))
        .toList();
  }

  private static Duration min(Duration a, Duration b) {
    if (a == null) {
      return b;
    }
    return b == null || a.compareTo(b) <= 0 ? a : b;
  }
}
