package dev.pyrelease.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operator's own meters. Their cardinality is bounded by namespaces, not releases (issue 18): a
 * fleet of 500 releases had ~24 series each. Only failures carry the {@code release} label — a user
 * needs to know which release fails, and a healthy release has none of those series. Everything
 * else about one release is on its status. Passed in by hand; {@link #forget} drops a deleted
 * release's series.
 *
 * <ul>
 *   <li>{@code pyrelease_builds_started_total{namespace}} — build Jobs created
 *   <li>{@code pyrelease_builds_succeeded_total{namespace}}, {@code
 *       pyrelease_builds_failed_total{namespace,release,step}} — build Jobs whose result was read,
 *       once per Job
 *   <li>{@code pyrelease_build_duration_seconds{namespace,outcome}} — Job start to result
 *   <li>{@code pyrelease_layers_uploaded_total}, {@code pyrelease_layers_reused_total}, {@code
 *       pyrelease_layers_uploaded_bytes_total} (by {@code namespace}) — from the assemble step's
 *       result
 *   <li>{@code pyrelease_rollout_switch_seconds{namespace,type}} — from the reconcile that first
 *       saw the spec's generation to the Service pointing at the new revision ({@code type} rollout
 *       or rollback)
 *   <li>{@code pyrelease_reconcile_errors_total{namespace,release,exception}} — reconciles that
 *       threw (JOSDK retries)
 * </ul>
 */
public final class ReleaseMetrics {
  private static final Duration[] BUILD_BUCKETS = {
    Duration.ofSeconds(10),
    Duration.ofSeconds(30),
    Duration.ofMinutes(1),
    Duration.ofMinutes(2),
    Duration.ofMinutes(5),
    Duration.ofMinutes(10),
    Duration.ofMinutes(30)
  };
  private static final Duration[] SWITCH_BUCKETS = {
    Duration.ofMillis(100),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofSeconds(5),
    Duration.ofSeconds(30),
    Duration.ofMinutes(2),
    Duration.ofMinutes(10)
  };
  private static final int MAX_REMEMBERED_JOBS = 10_000;

  private final MeterRegistry registry;
  private final Clock clock;
  private final Map<String, Seen> generations = new ConcurrentHashMap<>();
  private final Set<String> recordedJobs =
      Collections.synchronizedSet(
          Collections.newSetFromMap(
              new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                  return size() > MAX_REMEMBERED_JOBS;
                }
              }));

  private record Seen(long generation, Instant at, boolean switched) {}

  public ReleaseMetrics(MeterRegistry registry) {
    this(registry, Clock.systemUTC());
  }

  /**
   * @param clock times {@code pyrelease_rollout_switch_seconds}
   */
  public ReleaseMetrics(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
  }

  public void buildStarted(String namespace, String release) {
    counter("pyrelease.builds.started", "Build Jobs created", namespace).increment();
  }

  /**
   * A build Job's result was read. Counted once per Job (a retried reconcile reads it again).
   *
   * @param layers the layer counts from the assemble result, or null when it carried none
   */
  public void buildSucceeded(
      String namespace, String release, String jobUid, Duration took, Layers layers) {
    if (!recordedJobs.add(jobUid)) {
      return;
    }
    counter("pyrelease.builds.succeeded", "Build Jobs that produced an image", namespace)
        .increment();
    buildTimer(namespace, "succeeded").record(took);
    if (layers != null) {
      counter(
              "pyrelease.layers.uploaded",
              "Image layers pushed by builds (not already in the registry)",
              namespace)
          .increment(layers.uploaded());
      counter(
              "pyrelease.layers.reused",
              "Image layers builds found already in the registry",
              namespace)
          .increment(layers.reused());
      Counter.builder("pyrelease.layers.uploaded.bytes")
          .description("Bytes of image layers pushed by builds")
          .tags("namespace", namespace)
          .register(registry)
          .increment(layers.uploadedBytes());
    }
  }

  /** A build Job failed; {@code step} is the container that failed (or {@code unknown}). */
  public void buildFailed(
      String namespace, String release, String jobUid, Duration took, String step) {
    if (!recordedJobs.add(jobUid)) {
      return;
    }
    Counter.builder("pyrelease.builds.failed")
        .description("Build Jobs that failed, by the step that failed")
        .tags(tags(namespace, release).and("step", step == null ? "unknown" : step))
        .register(registry)
        .increment();
    buildTimer(namespace, "failed").record(took);
  }

  /**
   * Called at the start of every reconcile: remembers when this generation of the spec was first
   * seen, the start of {@code pyrelease_rollout_switch_seconds}.
   */
  public void generationObserved(String namespace, String release, long generation) {
    Instant now = clock.instant();
    generations.compute(
        key(namespace, release),
        (k, seen) ->
            seen != null && seen.generation() == generation
                ? seen
                : new Seen(generation, now, false));
  }

  /** The Service now points at a new revision: records the time since the generation was seen. */
  public void switched(String namespace, String release, boolean rollback) {
    Instant now = clock.instant();
    Seen seen = generations.get(key(namespace, release));
    if (seen == null || seen.switched()) {
      return; // one switch per generation (a repeated switch is a retry, not a new rollout)
    }
    generations.put(key(namespace, release), new Seen(seen.generation(), seen.at(), true));
    Duration took = Duration.between(seen.at(), now);
    Timer.builder("pyrelease.rollout.switch")
        .description(
            "From the reconcile that first saw a spec generation to the Service switched to the"
                + " revision it asks for")
        .tags("namespace", namespace, "type", rollback ? "rollback" : "rollout")
        .serviceLevelObjectives(SWITCH_BUCKETS)
        .register(registry)
        .record(took.isNegative() ? Duration.ZERO : took);
  }

  public void reconcileError(String namespace, String release, Throwable error) {
    Counter.builder("pyrelease.reconcile.errors")
        .description("Reconciles that ended with an exception (JOSDK retries them)")
        .tags(tags(namespace, release).and("exception", error.getClass().getSimpleName()))
        .register(registry)
        .increment();
  }

  /** The release is gone: drop its series and what is remembered about it. */
  public void forget(String namespace, String release) {
    generations.remove(key(namespace, release));
    for (Meter m : registry.getMeters()) {
      Meter.Id id = m.getId();
      if (id.getName().startsWith("pyrelease.")
          && namespace.equals(id.getTag("namespace"))
          && release.equals(id.getTag("release"))) {
        registry.remove(m);
      }
    }
  }

  private Counter counter(String name, String description, String namespace) {
    return Counter.builder(name)
        .description(description)
        .tags("namespace", namespace)
        .register(registry);
  }

  private Timer buildTimer(String namespace, String outcome) {
    return Timer.builder("pyrelease.build.duration")
        .description("Build Job start to its result")
        .tags("namespace", namespace, "outcome", outcome)
        .serviceLevelObjectives(BUILD_BUCKETS)
        .register(registry);
  }

  private static Tags tags(String namespace, String release) {
    return Tags.of("namespace", namespace, "release", release);
  }

  private static String key(String namespace, String release) {
    return namespace + "/" + release;
  }

  /** What the assemble step reported about its layers. */
  public record Layers(int uploaded, int reused, long uploadedBytes) {}
}
