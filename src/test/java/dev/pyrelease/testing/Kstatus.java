package dev.pyrelease.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * kstatus' generic rules for a custom resource (sigs.k8s.io/cli-utils pkg/kstatus/status,
 * checkGenericProperties and GenericStatus), which Flux's {@code wait: true} and health checks use:
 * deletionTimestamp → Terminating; status.observedGeneration present and ≠ metadata.generation →
 * InProgress; then the first condition, in status order, that is Reconciling True → InProgress or
 * Stalled True → Failed; otherwise Current.
 */
public final class Kstatus {
  public enum Status {
    InProgress,
    Failed,
    Current,
    Terminating
  }

  public record Result(Status status, String reason, String message) {}

  private Kstatus() {}

  public static Result of(Object resource) {
    JsonNode u = resource instanceof JsonNode j ? j : new ObjectMapper().valueToTree(resource);
    if (!u.at("/metadata/deletionTimestamp").asText("").isEmpty()) {
      return new Result(Status.Terminating, null, "Resource scheduled for deletion");
    }
    JsonNode generation = u.at("/metadata/generation");
    JsonNode observed = u.at("/status/observedGeneration");
    if (generation.isIntegralNumber()
        && observed.isIntegralNumber()
        && observed.asLong() != generation.asLong()) {
      return new Result(
          Status.InProgress,
          "LatestGenerationNotObserved",
          u.path("kind").asText()
              + " generation is "
              + generation.asLong()
              + ", but latest observed generation is "
              + observed.asLong());
    }
    for (JsonNode c : u.at("/status/conditions")) {
      String type = c.path("type").asText();
      boolean isTrue = "True".equals(c.path("status").asText());
      if (type.equals("Reconciling") && isTrue) {
        return new Result(Status.InProgress, c.path("reason").asText(), c.path("message").asText());
      }
      if (type.equals("Stalled") && isTrue) {
        return new Result(Status.Failed, c.path("reason").asText(), c.path("message").asText());
      }
    }
    return new Result(Status.Current, null, "Resource is current");
  }
}
