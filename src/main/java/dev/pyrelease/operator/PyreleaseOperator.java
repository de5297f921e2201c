package dev.pyrelease.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.config.OperatorConfig;
import dev.pyrelease.metrics.OperatorMetrics;
import dev.pyrelease.reconciler.Backoff;
import dev.pyrelease.reconciler.BaseTags;
import dev.pyrelease.reconciler.BuildSlots;
import dev.pyrelease.reconciler.IgnoredFields;
import dev.pyrelease.reconciler.ImageCopier;
import dev.pyrelease.reconciler.PythonReleaseReconciler;
import dev.pyrelease.reconciler.SourceCache;
import dev.pyrelease.reconciler.Urgency;
import dev.pyrelease.release.BaseDigests;
import dev.pyrelease.release.VenvScript;
import dev.pyrelease.source.GitResolver;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.Cloner;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.time.Clock;
import java.time.Duration;

/**
 * Wires the JOSDK operator: one controller for PythonRelease, built from a client, the
 * configuration, a git resolver and a clock — the same wiring in production and in tests.
 *
 * <p>Server-side apply is off, for the primary's status and for secondaries alike. The operator
 * writes status with an optimistic-locked update (resourceVersion) and secondaries with plain
 * create/update/delete, so there is one write path and it is the one the tests exercise: fabric8's
 * mock API server has no SSA, so with SSA on in production the tests would cover a different path
 * than the one that runs. Nothing here needs SSA's field ownership: the operator is the only writer
 * of the objects it owns, and of the release it writes only status.
 */
public final class PyreleaseOperator implements AutoCloseable {
  private final Operator operator;
  private final OperatorMetrics metrics;
  private final KubernetesClient tolerant;
  private final BaseTags baseTags;
  private final BuildSlots buildSlots;

  /** With metrics of its own (see {@link #metrics()}). */
  public PyreleaseOperator(
      KubernetesClient client,
      OperatorConfig config,
      GitResolver git,
      BaseDigests baseDigests,
      Clock clock) {
    this(client, config, git, baseDigests, clock, new OperatorMetrics());
  }

  public PyreleaseOperator(
      KubernetesClient client,
      OperatorConfig config,
      GitResolver git,
      BaseDigests baseDigests,
      Clock clock,
      OperatorMetrics metrics) {
    this(
        client,
        config,
        git,
        baseDigests,
        new RegistryImageCopier(config.insecureRegistries()),
        clock,
        metrics);
  }

  /**
   * @param imageCopier how a build of another repository is copied into a release's (the registry's
   *     blob mount; tests on the mock API server pass a fake)
   */
  public PyreleaseOperator(
      KubernetesClient client,
      OperatorConfig config,
      GitResolver git,
      BaseDigests baseDigests,
      ImageCopier imageCopier,
      Clock clock,
      OperatorMetrics metrics) {
    this.metrics = metrics;
    IgnoredFields ignored = new IgnoredFields();
    // the same API server and credentials, read with a model that skips (and remembers) fields it
    // does not know instead of failing the informer, which would stop every release
    this.tolerant = tolerantOf(client, ignored);
    // one registry request per base tag and interval, for every release that builds on it
    this.baseTags = new BaseTags(baseDigests, clock, config.scheduling().baseImageRecheck());
    // the cluster-wide build limit: builds of spec changes before rebuilds on a moved base
    this.buildSlots = new BuildSlots(config.scheduling().maxConcurrentBuilds(), clock);
    PythonReleaseReconciler reconciler =
        new PythonReleaseReconciler(
            config,
            git,
            baseTags,
            buildSlots,
            imageCopier,
            VenvScript.fromJar().builderVersion(),
            tolerant,
            clock,
            metrics.releases(),
            ignored);
    Urgency.KnownCommits knownCommits = reconciler.knownCommits();
    this.operator =
        new Operator(
            o -> {
              if (config.leaderElection().enabled()) {
                // one replica reconciles; another waits as a hot standby
                o.withLeaderElectionConfiguration(
                    new LeaderElectionConfiguration(
                        config.leaderElection().leaseName(),
                        config.leaderElection().leaseNamespace(),
                        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                        config.leaderElection().identity(),
                        null,
                        config.leaderElection().exitOnLeaseLoss()));
              }
              var json = tolerant.getKubernetesSerialization();
              o.withResourceCloner(
                      new Cloner() {
                        @Override
                        public <R extends HasMetadata> R clone(R object) {
                          return ignored.carryOver(object, json.clone(object));
                        }
                      })
                  .withKubernetesClient(tolerant)
                  .withMetrics(metrics.josdk())
                  .withUseSSAToPatchPrimaryResource(false)
                  .withSSABasedCreateUpdateMatchForDependentResources(false)
                  .withCloseClientOnStop(false)
                  .withConcurrentReconciliationThreads(config.reconcileThreads())
                  // rollbacks and pins ahead of builds and fleet-wide changes (issue 18)
                  .withExecutorService(
                      new UrgentFirstExecutor(
                          config.reconcileThreads(),
                          r -> r instanceof PythonRelease p && Urgency.urgent(p, knownCommits)))
                  .withReconciliationTerminationTimeout(Duration.ofSeconds(5));
            });
    // transient errors (git, a 409 on a stale cache) are retried quickly at first, then backing
    // off to a minute, without giving up
    Backoff backoff = Backoff.DEFAULT;
    GenericRetry retry =
        new GenericRetry()
            .setInitialInterval(backoff.initial().toMillis())
            .setIntervalMultiplier(backoff.multiplier())
            .setMaxInterval(backoff.max().toMillis())
            .setMaxAttempts(Integer.MAX_VALUE);
    operator.register(
        reconciler,
        c -> {
          c.withRetry(retry);
          // JOSDK's generation-aware filter, plus the refresh annotation (SourceCache)
          c.withGenerationAware(false);
          c.withOnUpdateFilter(SourceCache::worthReconciling);
          if (!config.namespaces().isEmpty()) {
            c.settingNamespaces(config.namespaces());
          }
        });
  }

  private static KubernetesClient tolerantOf(KubernetesClient client, IgnoredFields ignored) {
    ObjectMapper mapper = new ObjectMapper();
    mapper.addHandler(ignored);
    return new KubernetesClientBuilder()
        .withConfig(client.getConfiguration())
        .withKubernetesSerialization(new KubernetesSerialization(mapper, true))
        .build();
  }

  /** Started, and every informer connected and synced: ready to reconcile. */
  public boolean ready() {
    var info = operator.getRuntimeInfo();
    return info.isStarted() && info.allEventSourcesAreHealthy();
  }

  /** JOSDK's, ours and the JVM's meters; {@code /metrics} serves {@link OperatorMetrics#scrape}. */
  public OperatorMetrics metrics() {
    return metrics;
  }

  /** The base image tags in use and the registry requests made for them. */
  public BaseTags baseTags() {
    return baseTags;
  }

  public PyreleaseOperator start() {
    operator.start();
    baseTags.start();
    buildSlots.start();
    return this;
  }

  @Override
  public void close() {
    baseTags.close();
    buildSlots.close();
    operator.stop();
    tolerant.close();
  }
}
