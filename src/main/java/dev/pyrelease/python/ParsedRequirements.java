package dev.pyrelease.python;

import java.util.List;

/**
 * The result of reading a requirements file and its includes. Reading never throws for file
 * content: everything that is wrong is in {@link #problems()}.
 *
 * @param requirements requirement lines in pip's reading order (includes expanded where they occur)
 * @param constraints lines read from {@code -c} constraints files (syntax-checked only)
 * @param problems problems found while reading, in discovery order
 * @param globalOptions file-level options, each as {@code file:line: option} with the option as
 *     written (credentials in URLs are masked); the build uses only the release's own index, so
 *     these are informational, except {@code --require-hashes}
 */
public record ParsedRequirements(
    List<RequirementLine> requirements,
    List<RequirementLine> constraints,
    List<Problem> problems,
    List<String> globalOptions) {

  public ParsedRequirements {
    requirements = List.copyOf(requirements);
    constraints = List.copyOf(constraints);
    problems = List.copyOf(problems);
    globalOptions = List.copyOf(globalOptions);
  }

  /** True when a file asked for {@code --require-hashes}. */
  public boolean requiresHashes() {
    return requireHashesLocation() != null;
  }

  /** {@code file:line} of the first {@code --require-hashes}, or null. */
  public String requireHashesLocation() {
    for (String o : globalOptions) {
      int sep = o.lastIndexOf(": ");
      if (sep > 0 && o.substring(sep + 2).equals("--require-hashes")) {
        return o.substring(0, sep);
      }
    }
    return null;
  }
}
