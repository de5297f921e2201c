package dev.pyrelease.python;

import java.util.ArrayList;
import java.util.List;

/**
 * The options a requirements file may hold and how pip's optparse reads them: long options with
 * {@code =} or a separate value, unambiguous prefixes of long options, short options with the value
 * attached or separate. Anything else is refused with a problem rather than ignored, so that a line
 * never means less than it says.
 */
final class RequirementOptions {

  /** What an option does, which decides where it may stand. */
  enum Kind {
    /** file-level, with a value (index, find-links, binary choices) */
    GLOBAL,
    /** file-level, without a value */
    GLOBAL_FLAG,
    REQUIREMENT_FILE,
    CONSTRAINT_FILE,
    EDITABLE,
    HASH,
    /** after a requirement, kept verbatim ({@code --config-settings}, {@code --global-option}) */
    PER_REQUIREMENT
  }

  record Spec(String longName, String shortName, Kind kind) {
    boolean takesValue() {
      return kind != Kind.GLOBAL_FLAG;
    }
  }

  /** One option occurrence: its spec, the name and value as written, and the verbatim text. */
  record Option(Spec spec, String written, String value, String verbatim) {}

  /**
   * The options of one line, the words that are not options, and the problems with the options; a
   * line with problems is not read further.
   */
  record Parsed(List<Option> options, List<String> leftovers, List<Problem> problems) {}

  private static final List<Spec> OPTIONS =
      List.of(
          new Spec("--requirement", "-r", Kind.REQUIREMENT_FILE),
          new Spec("--constraint", "-c", Kind.CONSTRAINT_FILE),
          new Spec("--editable", "-e", Kind.EDITABLE),
          new Spec("--index-url", "-i", Kind.GLOBAL),
          new Spec("--extra-index-url", null, Kind.GLOBAL),
          new Spec("--find-links", "-f", Kind.GLOBAL),
          new Spec("--trusted-host", null, Kind.GLOBAL),
          new Spec("--no-binary", null, Kind.GLOBAL),
          new Spec("--only-binary", null, Kind.GLOBAL),
          new Spec("--use-feature", null, Kind.GLOBAL),
          new Spec("--no-index", null, Kind.GLOBAL_FLAG),
          new Spec("--pre", null, Kind.GLOBAL_FLAG),
          new Spec("--prefer-binary", null, Kind.GLOBAL_FLAG),
          new Spec("--require-hashes", null, Kind.GLOBAL_FLAG),
          new Spec("--hash", null, Kind.HASH),
          new Spec("--config-settings", null, Kind.PER_REQUIREMENT),
          new Spec("--global-option", null, Kind.PER_REQUIREMENT));

  private RequirementOptions() {}

  /**
   * Reads the option words of the logical line {@code text} at {@code file:line}; problems are
   * reported at that line.
   */
  static Parsed parse(String file, int line, String text, List<String> words) {
    List<Option> options = new ArrayList<>();
    List<String> leftovers = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    for (int k = 0; k < words.size(); k++) {
      String w = words.get(k);
      if (w.equals("--")) {
        leftovers.addAll(words.subList(k + 1, words.size()));
        break;
      }
      if (!w.startsWith("-") || w.equals("-")) {
        leftovers.add(w);
        continue;
      }
      boolean isLong = w.startsWith("--");
      String name;
      String value = null;
      String sep = " ";
      if (isLong) {
        int eq = w.indexOf('=');
        name = eq < 0 ? w : w.substring(0, eq);
        if (eq >= 0) {
          value = w.substring(eq + 1);
          sep = "=";
        }
      } else {
        name = w.substring(0, 2);
        if (w.length() > 2) {
          value = w.substring(2);
          sep = "";
        }
      }
      Spec spec = isLong ? findLong(name) : findShort(name);
      if (spec == null) {
        problems.add(unknown(file, line, text, name));
        continue;
      }
      if (spec.takesValue()) {
        if (value == null) {
          if (k + 1 < words.size()) {
            value = words.get(++k);
          } else {
            problems.add(
                new Problem(
                    file,
                    line,
                    text,
                    Problem.quote(name) + " needs a value",
                    "write " + name + " " + placeholder(spec) + " on the same line"));
            continue;
          }
        }
      } else if (value != null) {
        problems.add(
            new Problem(
                file,
                line,
                text,
                Problem.quote(w) + ": " + spec.longName() + " takes no value",
                "write just " + spec.longName()));
        continue;
      }
      String verbatim = value == null ? name : name + sep + value;
      options.add(new Option(spec, name, value, verbatim));
    }
    return new Parsed(options, leftovers, problems);
  }

  /** The option named exactly, or the only one {@code name} is a prefix of (as optparse does). */
  static Spec findLong(String name) {
    Spec prefix = null;
    int matches = 0;
    for (Spec o : OPTIONS) {
      if (o.longName().equals(name)) {
        return o;
      }
      if (name.length() > 2 && o.longName().startsWith(name)) {
        prefix = o;
        matches++;
      }
    }
    return matches == 1 ? prefix : null;
  }

  static Spec findShort(String name) {
    for (Spec o : OPTIONS) {
      if (name.equals(o.shortName())) {
        return o;
      }
    }
    return null;
  }

  private static String placeholder(Spec spec) {
    switch (spec.kind()) {
      case REQUIREMENT_FILE:
      case CONSTRAINT_FILE:
        return "<file>";
      case HASH:
        return "sha256:<digest>";
      case EDITABLE:
        return "<path or url>";
      default:
        return spec.longName().endsWith("-url") || spec.longName().equals("--find-links")
            ? "<url>"
            : "<value>";
    }
  }

  private static Problem unknown(String file, int line, String text, String name) {
    String fix =
        name.equals("--no-deps")
            ? "remove it: the build always installs with --no-deps"
            : "remove it; requirements files accept -r, -c, -i/--index-url, --extra-index-url,"
                + " -f/--find-links, --no-index, --pre, --prefer-binary, --only-binary,"
                + " --no-binary, --require-hashes, --trusted-host, --use-feature, and after a"
                + " requirement --hash, --config-settings, --global-option";
    return new Problem(
        file, line, text, Problem.quote(name) + " is not a requirements-file option", fix);
  }
}
