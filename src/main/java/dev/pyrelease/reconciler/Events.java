package dev.pyrelease.reconciler;

import dev.pyrelease.api.v1alpha1.PythonRelease;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events on a release (core/v1, visible in {@code kubectl describe}). Emitted only on
 * transitions, never in steady state. A failed event write is logged, never fails a reconcile.
 */
public final class Events {
  private static final Logger log = LoggerFactory.getLogger(Events.class);
  private static final int MAX_MESSAGE = 1024;

  public static final String BUILD_STARTED = "BuildStarted";
  public static final String BUILD_SUCCEEDED = "BuildSucceeded";
  public static final String BUILD_FAILED = "BuildFailed";
  public static final String REVISION_REUSED = "RevisionReused";
  public static final String TRAFFIC_SWITCHED = "TrafficSwitched";
  public static final String ROLLBACK = "Rollback";
  public static final String HOOK_FAILED = "HookFailed";
  public static final String PROGRESS_DEADLINE = "ProgressDeadlineExceeded";
  public static final String DRIFT_REPAIRED = "DriftRepaired";

  private final KubernetesClient client;
  private final Clock clock;

  public Events(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void normal(PythonRelease r, String reason, String message) {
    emit(r, "Normal", reason, message);
  }

  public void warning(PythonRelease r, String reason, String message) {
    emit(r, "Warning", reason, message);
  }

  private void emit(PythonRelease r, String type, String reason, String message) {
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    String text = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message;
    log.info(
        "{} {} {}/{}: {}",
        type,
        reason,
        r.getMetadata().getNamespace(),
        r.getMetadata().getName(),
        text);
    try {
      client
          .v1()
          .events()
          .inNamespace(r.getMetadata().getNamespace())
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(
                      r.getMetadata().getName()
                          + "."
                          + UUID.randomUUID().toString().replace("-", "").substring(0, 16))
                  .withNamespace(r.getMetadata().getNamespace())
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withApiVersion(r.getApiVersion())
                  .withKind(r.getKind())
                  .withName(r.getMetadata().getName())
                  .withNamespace(r.getMetadata().getNamespace())
                  .withUid(r.getMetadata().getUid())
                  .endInvolvedObject()
                  .withType(type)
                  .withReason(reason)
                  .withMessage(text)
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .withNewSource("pyrelease-operator", null)
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      log.warn(
          "could not record event {} on {}: {}", reason, r.getMetadata().getName(), e.getMessage());
    }
  }
}
