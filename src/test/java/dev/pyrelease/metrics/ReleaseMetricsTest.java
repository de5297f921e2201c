package dev.pyrelease.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ReleaseMetricsTest {
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
  final ReleaseMetrics m =
      new ReleaseMetrics(
          registry,
          new Clock() {
            @Override
            public ZoneOffset getZone() {
              return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
              return this;
            }

            @Override
            public Instant instant() {
              return now.get();
            }
          });

  @Test
  void aJobResultIsCountedOnceEvenWhenTheReconcileIsRetried() {
    var layers = new ReleaseMetrics.Layers(2, 1, 300);
    m.buildSucceeded("web", "shop", "uid-1", Duration.ofSeconds(40), layers);
    m.buildSucceeded("web", "shop", "uid-1", Duration.ofSeconds(41), layers);
    m.buildFailed("web", "shop", "uid-2", Duration.ofSeconds(5), "venv");
    m.buildFailed("web", "shop", "uid-2", Duration.ofSeconds(5), "venv");
    assertThat(count("pyrelease.builds.succeeded")).isEqualTo(1);
    assertThat(count("pyrelease.layers.uploaded")).isEqualTo(2);
    assertThat(count("pyrelease.layers.reused")).isEqualTo(1);
    assertThat(count("pyrelease.layers.uploaded.bytes")).isEqualTo(300);
    assertThat(registry.get("pyrelease.builds.failed").tag("step", "venv").counter().count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("pyrelease.build.duration")
                .tag("outcome", "succeeded")
                .timer()
                .totalTime(java.util.concurrent.TimeUnit.SECONDS))
        .isEqualTo(40);
  }

  @Test
  void switchIsTimedFromTheFirstReconcileOfTheGenerationOncePerGeneration() {
    m.generationObserved("web", "shop", 3);
    now.set(now.get().plusSeconds(90));
    m.generationObserved("web", "shop", 3); // later reconciles of the same generation
    now.set(now.get().plusSeconds(30));
    m.switched("web", "shop", false);
    m.switched("web", "shop", false);
    var rollout = registry.get("pyrelease.rollout.switch").tag("type", "rollout").timer();
    assertThat(rollout.count()).isEqualTo(1);
    assertThat(rollout.totalTime(java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(120);

    m.generationObserved("web", "shop", 4);
    m.switched("web", "shop", true);
    assertThat(registry.get("pyrelease.rollout.switch").tag("type", "rollback").timer().count())
        .isEqualTo(1);
  }

  @Test
  void forgetDropsTheReleasesSeriesOnly() {
    m.buildStarted("web", "shop");
    m.reconcileError("web", "shop", new IllegalStateException());
    m.reconcileError("web", "blog", new IllegalStateException());
    m.forget("web", "shop");
    assertThat(registry.find("pyrelease.reconcile.errors").tag("release", "shop").counter())
        .isNull();
    assertThat(registry.get("pyrelease.reconcile.errors").tag("release", "blog").counter().count())
        .isEqualTo(1);
    // the namespace's series are not the release's
    assertThat(registry.get("pyrelease.builds.started").counter().count()).isEqualTo(1);
  }

  /** A fleet adds no series per healthy release: only namespaces and failures count. */
  @Test
  void healthyReleasesAddNoSeries() {
    for (int i = 0; i < 100; i++) {
      String r = "app" + i;
      m.buildStarted("web", r);
      m.buildSucceeded(
          "web", r, "uid-" + i, Duration.ofSeconds(30), new ReleaseMetrics.Layers(1, 2, 3));
      m.generationObserved("web", r, 1);
      m.switched("web", r, false);
    }
    long one = registry.getMeters().size();
    for (int i = 100; i < 200; i++) {
      String r = "app" + i;
      m.buildStarted("web", r);
      m.buildSucceeded(
          "web", r, "uid-" + i, Duration.ofSeconds(30), new ReleaseMetrics.Layers(1, 2, 3));
      m.generationObserved("web", r, 1);
      m.switched("web", r, false);
    }
    assertThat(registry.getMeters()).hasSize((int) one);
  }

  @Test
  void prometheusNamesAreTheDocumentedOnes() {
    try (OperatorMetrics om = new OperatorMetrics()) {
      var r = om.releases();
      r.buildStarted("web", "shop");
      r.buildSucceeded(
          "web", "shop", "u", Duration.ofSeconds(1), new ReleaseMetrics.Layers(1, 1, 1));
      r.buildFailed("web", "shop", "v", Duration.ofSeconds(1), null);
      r.generationObserved("web", "shop", 1);
      r.switched("web", "shop", false);
      r.reconcileError("web", "shop", new RuntimeException());
      assertThat(om.scrape())
          .contains(
              "pyrelease_builds_started_total{namespace=\"web\"} 1",
              "pyrelease_builds_succeeded_total{namespace=\"web\"} 1",
              "pyrelease_builds_failed_total{namespace=\"web\",release=\"shop\",step=\"unknown\"} 1",
              "pyrelease_build_duration_seconds_count{namespace=\"web\",outcome=\"succeeded\"} 1",
              "pyrelease_layers_uploaded_total{",
              "pyrelease_layers_reused_total{",
              "pyrelease_layers_uploaded_bytes_total{",
              "pyrelease_rollout_switch_seconds_bucket{",
              "pyrelease_reconcile_errors_total{exception=\"RuntimeException\",namespace=\"web\",release=\"shop\"} 1",
              "jvm_memory_used_bytes");
    }
  }

  private double count(String name) {
    return registry.get(name).counter().count();
  }
}
