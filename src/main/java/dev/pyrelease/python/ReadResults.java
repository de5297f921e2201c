package dev.pyrelease.python;

import java.util.ArrayList;
import java.util.List;

/**
 * What reading requirements collects, in discovery order: both the file side and the line side add
 * to it, so that problems keep the order in which pip would meet them.
 */
final class ReadResults {
  private final List<RequirementLine> requirements = new ArrayList<>();
  private final List<RequirementLine> constraints = new ArrayList<>();
  private final List<Problem> problems = new ArrayList<>();
  private final List<String> globalOptions = new ArrayList<>();

  void problem(String file, int line, String text, String what, String fix) {
    problems.add(new Problem(file, line, text, what, fix));
  }

  void add(Problem problem) {
    problems.add(problem);
  }

  void addAll(List<Problem> more) {
    problems.addAll(more);
  }

  /** A requirement line, or a constraint when it was read from a {@code -c} file. */
  void requirement(RequirementLine line, boolean constraint) {
    (constraint ? constraints : requirements).add(line);
  }

  /** A file-level option as {@code file:line: option}, credentials already masked. */
  void globalOption(String option) {
    globalOptions.add(option);
  }

  ParsedRequirements parsed() {
    return new ParsedRequirements(requirements, constraints, problems, globalOptions);
  }
}
