package dev.pyrelease.cli;

import dev.pyrelease.cli.options.OutputOptions;
import dev.pyrelease.python.Problem;
import dev.pyrelease.validate.ReleaseValidation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A release's validation (the same as {@code check}'s, without the index) as {@code build} and the
 * source step report it: every problem, or the checkout that is missing.
 */
final class ValidationReport {
  private ValidationReport() {}

  /**
   * @param source the checkout the release was validated with, or null
   * @param oneLine the JSON document on one line ({@code --watch}), flushed
   * @return null when the release can be built, else the exit code (what is wrong printed)
   */
  static Integer report(
      String command,
      ReleaseValidation v,
      Path source,
      OutputOptions.Format output,
      boolean oneLine,
      PrintWriter out,
      PrintWriter err) {
    if (!v.problems().isEmpty()) {
      List<Problem> problems = v.problems();
      problems.forEach(err::println);
      err.println(
          "pyrelease " + command + ": " + problems.size() + " problem(s) found; nothing was built");
      if (output == OutputOptions.Format.json) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("error", Map.of("kind", "input", "message", problems.size() + " problem(s) found"));
        doc.put("problems", problems.stream().map(Problem::toString).toList());
        out.println(BuildSupport.json(doc, oneLine));
        out.flush();
      }
      return Exit.INPUT;
    }
    if (v.needsSource()) {
      var spec = v.manifest().release().getSpec();
      err.println(
          "pyrelease "
              + command
              + ": spec.requirements.file is '"
              + spec.getRequirements().getFile()
              + "': give --source DIR, a checkout of "
              + spec.getSource().getGit().getUrl());
      return Exit.USAGE;
    }
    if (source == null) {
      err.println(
          "pyrelease " + command + ": give --source DIR, a checkout of the release's repository");
      return Exit.USAGE;
    }
    return null;
  }
}
