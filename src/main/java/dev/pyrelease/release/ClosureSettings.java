package dev.pyrelease.release;

import dev.pyrelease.api.v1alpha1.ClosureIgnore;
import dev.pyrelease.api.v1alpha1.PythonReleaseSpec;
import dev.pyrelease.api.v1alpha1.RequirementsSpec;
import dev.pyrelease.python.PackageName;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a release wants its closure checked, read once from the spec for {@code check}, the build and
 * the build Job: on or off ({@code requirements.closureCheck}), and the distributions it may go
 * without ({@code requirements.closure.ignore}, reasons by normalised name).
 */
public record ClosureSettings(boolean enabled, Map<String, String> ignore) {
  public ClosureSettings {
    ignore = ignore == null ? Map.of() : Map.copyOf(ignore);
  }

  public static ClosureSettings of(PythonReleaseSpec spec) {
    RequirementsSpec r = spec.getRequirements();
    if (r == null) {
      return new ClosureSettings(true, Map.of());
    }
    Map<String, String> ignore = new TreeMap<>();
    if (r.getClosure() != null && r.getClosure().getIgnore() != null) {
      for (ClosureIgnore i : r.getClosure().getIgnore()) {
        if (i != null && i.getName() != null) {
          ignore.putIfAbsent(
              PackageName.normalize(i.getName()), i.getReason() == null ? "" : i.getReason());
        }
      }
    }
    return new ClosureSettings(!Boolean.FALSE.equals(r.getClosureCheck()), ignore);
  }
}
