package dev.pyrelease.validate;

import dev.pyrelease.api.v1alpha1.PythonRelease;
import java.util.Map;

/**
 * A PythonRelease read from a file, with the line of every field path (e.g. {@code spec.index}) so
 * that later checks can point at the line to fix.
 */
public record Manifest(String file, PythonRelease release, Map<String, Integer> lines) {
  public Manifest {
    lines = Map.copyOf(lines);
  }

  /** The line of a field path, or of its nearest parent that has one; 0 when unknown. */
  public int lineOf(String path) {
    String p = path;
    while (!p.isEmpty()) {
      Integer line = lines.get(p);
      if (line != null) {
        return line;
      }
      int dot = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      p = dot < 0 ? "" : p.substring(0, dot);
    }
    return 0;
  }
}
