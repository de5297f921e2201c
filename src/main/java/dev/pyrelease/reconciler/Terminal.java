package dev.pyrelease.reconciler;

import dev.pyrelease.python.Problem;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A terminal error: the spec (or what it names) is wrong, retrying will not help. It becomes a
 * condition and a Warning event, nothing is created, and it is re-evaluated when the spec changes.
 */
record Terminal(String conditionType, String reason, String message) {
  private static final int MAX_PROBLEMS = 10;

  /** One line per problem, {@code file:line: 'text' what — fix}; the first ten. */
  static String describe(List<Problem> problems) {
    String head =
        problems.stream().limit(MAX_PROBLEMS).map(Terminal::line).collect(Collectors.joining("\n"));
    return problems.size() > MAX_PROBLEMS
        ? head + "\n(" + (problems.size() - MAX_PROBLEMS) + " more)"
        : head;
  }

  private static String line(Problem p) {
    String quoted = p.text().isEmpty() || p.what().contains(p.text()) ? "" : " '" + p.text() + "'";
    // line 0: the release itself (no manifest line to point at), not a line of a file
    return (p.line() > 0 ? p.location() : p.file())
        + ":"
        + quoted
        + " "
        + p.what()
        + " \u2014 "
        + p.fix();
  }
}
