package dev.pyrelease.validate;

import dev.pyrelease.api.v1alpha1.BuildSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules of {@code spec.build.commands} the schema does not express: every command names a
 * program ({@code []} and {@code [""]} run nothing: the build would fail on them with less to go
 * on) and has no null argument. {@link SpecValidator} reports what this finds, at the command's
 * line.
 */
public final class BuildCommandRules {
  private BuildCommandRules() {}

  /** One broken rule: the field path, what is wrong with it, how to fix it. */
  public record Violation(String path, String what, String fix) {}

  public static List<Violation> check(BuildSpec build) {
    List<Violation> out = new ArrayList<>();
    if (build == null || build.getCommands() == null) {
      return out;
    }
    List<List<String>> commands = build.getCommands();
    for (int i = 0; i < commands.size(); i++) {
      String path = "spec.build.commands[" + i + "]";
      List<String> argv = commands.get(i);
      if (argv == null || argv.isEmpty()) {
        out.add(
            new Violation(
                path,
                "is an empty command",
                "give the program and its arguments, e.g. [python, manage.py, collectstatic,"
                    + " --noinput], or remove the entry"));
        continue;
      }
      if (argv.get(0) == null || argv.get(0).isBlank()) {
        out.add(
            new Violation(
                path + "[0]",
                "names no program",
                "start the command with the program to run, e.g. python"));
      }
      for (int j = 1; j < argv.size(); j++) {
        if (argv.get(j) == null) {
          out.add(
              new Violation(
                  path + "[" + j + "]",
                  "is null",
                  "quote the argument (an empty one is \"\"), or remove it"));
        }
      }
    }
    return out;
  }
}
