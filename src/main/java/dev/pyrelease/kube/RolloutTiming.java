package dev.pyrelease.kube;

import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.config.RolloutDefaults;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Standby and progress-deadline arithmetic from the annotations on a Deployment. Pure. */
public final class RolloutTiming {
  private RolloutTiming() {}

  public static Duration standby(PythonRelease r, RolloutDefaults config) {
    var ro = r.getSpec().getRollout();
    Integer s = ro == null ? null : ro.getStandbySeconds();
    return Duration.ofSeconds(s == null ? config.standbySeconds() : s);
  }

  public static Duration progressDeadline(PythonRelease r, RolloutDefaults config) {
    var ro = r.getSpec().getRollout();
    Integer s = ro == null ? null : ro.getProgressDeadlineSeconds();
    return Duration.ofSeconds(s == null ? config.progressDeadlineSeconds() : s);
  }

  /** The instant in an annotation, or null when absent or unreadable. */
  public static Instant instant(HasMetadata o, String key) {
    String v = Labels.annotation(o, key);
    if (v == null) {
      return null;
    }
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Time left until {@code since + length}; zero or negative when it has passed. */
  public static Duration remaining(Instant since, Duration length, Instant now) {
    return Duration.between(now, since.plus(length));
  }
}
