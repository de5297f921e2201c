package dev.pyrelease.kube;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Where a live object no longer has what the operator set: every value of the desired object must
 * be in the live one (the API server may add defaults; it may not change or drop what we set). A
 * hand-changed image, command, env or selector shows here, where the spec-hash annotation, which a
 * hand edit leaves alone, cannot see it. Pure.
 */
public final class Drift {
  /** The least time between two repairs of one object. */
  public static final java.time.Duration REPAIR_INTERVAL = java.time.Duration.ofMinutes(1);

  private Drift() {}

  /** Whether the object was repaired less than {@link #REPAIR_INTERVAL} ago. */
  public static boolean repairedRecently(
      io.fabric8.kubernetes.api.model.HasMetadata o, java.time.Instant now) {
    java.time.Instant at = RolloutTiming.instant(o, Labels.DRIFT_REPAIRED);
    return at != null && at.plus(REPAIR_INTERVAL).isAfter(now);
  }

  /** The repair's event: "put back a, b, c and 2 more on Deployment shop-r1 (…)". */
  public static String repaired(io.fabric8.kubernetes.api.model.HasMetadata o, List<String> paths) {
    int shown = Math.min(3, paths.size());
    String s = String.join(", ", paths.subList(0, shown));
    return "put back "
        + (paths.size() > shown ? s + " and " + (paths.size() - shown) + " more" : s)
        + " on "
        + o.getKind()
        + " "
        + o.getMetadata().getName()
        + " (changed outside pyrelease)";
  }

  /** The paths (e.g. {@code template.spec.containers[0].image}) where live differs from desired. */
  public static List<String> of(Object desired, Object live) {
    List<String> out = new ArrayList<>();
    JsonNode want = Serialization.jsonMapper().valueToTree(desired);
    JsonNode have = Serialization.jsonMapper().valueToTree(live);
    compare(want, have, "", out);
    return out;
  }

  private static void compare(JsonNode want, JsonNode have, String path, List<String> out) {
    if (absent(want)) {
      return; // nothing set: whatever the server defaulted is fine
    }
    if (have == null || have.isNull() || have.isMissingNode()) {
      out.add(path.isEmpty() ? "." : path);
      return;
    }
    if (want.isObject()) {
      if (!have.isObject()) {
        out.add(path);
        return;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = want.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        compare(e.getValue(), have.get(e.getKey()), join(path, e.getKey()), out);
      }
      return;
    }
    if (want.isArray()) {
      if (!have.isArray() || have.size() != want.size()) {
        out.add(path);
        return;
      }
      for (int i = 0; i < want.size(); i++) {
        compare(want.get(i), have.get(i), path + "[" + i + "]", out);
      }
      return;
    }
    if (!sameScalar(want, have, path)) {
      out.add(path);
    }
  }

  /** Null, an empty string, an empty list or object: the server may drop these. */
  private static boolean absent(JsonNode n) {
    return n == null
        || n.isNull()
        || n.isMissingNode()
        || (n.isTextual() && n.asText().isEmpty())
        || (n.isContainerNode() && n.isEmpty());
  }

  private static boolean sameScalar(JsonNode want, JsonNode have, String path) {
    if (want.asText().equals(have.asText())) {
      return true;
    }
    // the server writes quantities its own way (1000m → 1, 0.5 → 500m)
    if (path.contains("resources.") || path.contains("Quantity")) {
      try {
        return new Quantity(want.asText())
                .getNumericalAmount()
                .compareTo(new Quantity(have.asText()).getNumericalAmount())
            == 0;
      } catch (RuntimeException e) {
        return false;
      }
    }
    return false;
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }
}
