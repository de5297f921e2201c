package dev.pyrelease.metrics;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;

/**
 * The operator's metrics, one registry per operator (no global registry): JOSDK's reconcile metrics
 * ({@code operator_sdk_*}, aggregated per controller, not per resource — a histogram per release
 * would be too many series), our own {@link ReleaseMetrics} ({@code pyrelease_*}) and the JVM's,
 * rendered by {@link #scrape()} in the Prometheus text format for {@code /metrics}.
 */
public final class OperatorMetrics implements AutoCloseable {
  /** The Prometheus text exposition format {@link #scrape()} writes. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ReleaseMetrics releases = new ReleaseMetrics(registry);
  private final Metrics josdk;
  private final JvmGcMetrics gc = new JvmGcMetrics();

  public OperatorMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    gc.bindTo(registry);
    this.josdk =
        new ForgetOnDelete(MicrometerMetrics.withoutPerResourceMetrics(registry), releases);
  }

  /** For {@code ConfigurationServiceOverrider.withMetrics}. */
  public Metrics josdk() {
    return josdk;
  }

  public ReleaseMetrics releases() {
    return releases;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Everything, in the Prometheus text format ({@link #CONTENT_TYPE}). */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }

  /**
   * JOSDK's metrics, and when JOSDK is done with a deleted release, our series for it are dropped
   * too (the reconciler has no cleanup of its own: owned objects go with the release).
   */
  private record ForgetOnDelete(Metrics delegate, ReleaseMetrics releases) implements Metrics {
    @Override
    public void controllerRegistered(Controller<? extends HasMetadata> controller) {
      delegate.controllerRegistered(controller);
    }

    @Override
    public void receivedEvent(Event event, Map<String, Object> metadata) {
      delegate.receivedEvent(event, metadata);
    }

    @Override
    public void reconcileCustomResource(
        HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
      delegate.reconcileCustomResource(resource, retryInfo, metadata);
    }

    @Override
    public void failedReconciliation(
        HasMetadata resource, Exception exception, Map<String, Object> metadata) {
      delegate.failedReconciliation(resource, exception, metadata);
    }

    @Override
    public void reconciliationExecutionStarted(HasMetadata resource, Map<String, Object> metadata) {
      delegate.reconciliationExecutionStarted(resource, metadata);
    }

    @Override
    public void reconciliationExecutionFinished(
        HasMetadata resource, Map<String, Object> metadata) {
      delegate.reconciliationExecutionFinished(resource, metadata);
    }

    @Override
    public void cleanupDoneFor(ResourceID id, Map<String, Object> metadata) {
      delegate.cleanupDoneFor(id, metadata);
      id.getNamespace().ifPresent(ns -> releases.forget(ns, id.getName()));
    }

    @Override
    public void finishedReconciliation(HasMetadata resource, Map<String, Object> metadata) {
      delegate.finishedReconciliation(resource, metadata);
    }

    @Override
    public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
      return delegate.timeControllerExecution(execution);
    }

    @Override
    public <T extends Map<?, ?>> T monitorSizeOf(T map, String name) {
      return delegate.monitorSizeOf(map, name);
    }
  }
}
