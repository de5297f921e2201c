package dev.pyrelease.reconciler;

import dev.pyrelease.api.v1alpha1.PythonRelease;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events on a release (core/v1, visible in {@code kubectl describe}). Emitted only on
 * transitions, never in steady state. A failed event write is logged, never fails a reconcile.
 *
 * <p>Deduplicated as Kubernetes' own event recorder does: the same type, reason and message on the
 * same release within {@link #REPEAT_WINDOW} adds to the first Event's {@code count} and {@code
 * lastTimestamp} (one merge patch) instead of making a new object; {@code kubectl describe} shows
 * "(x3 over 5m)". What was sent is remembered for the last {@link #REMEMBERED} events.
 */
public final class Events {
  private static final Logger log = LoggerFactory.getLogger(Events.class);
  private static final int MAX_MESSAGE = 1024;

  public static final String BUILD_STARTED = "BuildStarted";
  public static final String BUILD_SUCCEEDED = "BuildSucceeded";
  public static final String BUILD_FAILED = "BuildFailed";
  public static final String REVISION_REUSED = "RevisionReused";
  public static final String BUILD_REUSED = "BuildReused";
  public static final String BUILD_NOT_REUSED = "BuildNotReused";
  public static final String TRAFFIC_SWITCHED = "TrafficSwitched";
  public static final String ROLLBACK = "Rollback";
  public static final String HOOK_FAILED = "HookFailed";
  public static final String PROGRESS_DEADLINE = "ProgressDeadlineExceeded";
  public static final String DRIFT_REPAIRED = "DriftRepaired";

  static final Duration REPEAT_WINDOW = Duration.ofMinutes(10);
  static final int REMEMBERED = 10_000;

  private final KubernetesClient client;
  private final Clock clock;

  /** An Event made: its name, how often it was said, when first. */
  private record Sent(Event event, Instant first) {}

  private final Map<String, Sent> sent =
      Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Sent> e) {
              return size() > REMEMBERED;
            }
          });

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
    String key =
        r.getMetadata().getNamespace()
            + "/"
            + r.getMetadata().getUid()
            + "/"
            + type
            + "/"
            + reason
            + "/"
            + text;
    Instant at = clock.instant();
    try {
      Sent before = sent.get(key);
      if (before != null && at.isBefore(before.first().plus(REPEAT_WINDOW))) {
        Event again =
            new EventBuilder(before.event())
                .withCount(before.event().getCount() + 1)
                .withLastTimestamp(now)
                .build();
        again.getMetadata().setResourceVersion(null);
        try {
          // a merge patch of what we made, with the count and time: one request, no read
          client
              .v1()
              .events()
              .inNamespace(r.getMetadata().getNamespace())
              .resource(again)
              .patch(PatchContext.of(PatchType.JSON_MERGE));
          sent.put(key, new Sent(again, before.first()));
          return;
        } catch (KubernetesClientException e) {
          if (e.getCode() != 404) {
            throw e;
          }
          // the Event expired or was deleted: make a new one
        }
      }
      String name =
          r.getMetadata().getName()
              + "."
              + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
      Event event =
          new EventBuilder()
              .withNewMetadata()
              .withName(name)
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
              .build();
      client.v1().events().inNamespace(r.getMetadata().getNamespace()).resource(event).create();
      sent.put(key, new Sent(event, at));
    } catch (KubernetesClientException e) {
      log.warn(
          "could not record event {} on {}: {}", reason, r.getMetadata().getName(), e.getMessage());
    }
  }
}
