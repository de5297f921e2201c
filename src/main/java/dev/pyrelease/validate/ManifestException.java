package dev.pyrelease.validate;

import dev.pyrelease.python.Problem;
import java.util.List;

/** A manifest that cannot be used as a PythonRelease: every problem found, with its line. */
public final class ManifestException extends Exception {
  private final List<Problem> problems;

  public ManifestException(List<Problem> problems) {
    super(problems.isEmpty() ? "invalid manifest" : problems.get(0).toString());
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }
}
