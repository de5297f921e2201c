package dev.pyrelease.python;

import dev.pyrelease.python.RequirementOptions.Option;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one logical line of a requirements file (continuations joined, comment stripped): refuses
 * environment variables, reads the options, and then either follows the options of an option line
 * or checks the requirement and the options after it. Files are the {@link RequirementsReader}'s
 * business; an include is handed back to it where it occurs, so that the order of what is read
 * stays pip's.
 */
final class LineReader {

  /** Follows an {@code -r} or {@code -c} option of a line of {@code from}. */
  interface Includes {
    void include(RequirementsSource from, int line, String text, Option option);
  }

  private static final Pattern ENV_VAR = Pattern.compile("\\$\\{[^}\\s]*\\}");

  private final ReadResults results;
  private final Includes includes;

  LineReader(ReadResults results, Includes includes) {
    this.results = results;
    this.includes = includes;
  }

  /** Reads the logical line {@code text} of {@code src}, which starts at physical {@code line}. */
  void read(RequirementsSource src, int line, String text) {
    String file = src.display();
    Matcher env = ENV_VAR.matcher(text);
    if (env.find()) {
      results.problem(
          file,
          line,
          text,
          Problem.quote(env.group()) + " is an environment variable reference",
          "builds are hermetic and never expand variables: write the value itself (index"
              + " credentials belong in spec.index.secretRef)");
      return;
    }
    String[] parts = RequirementsLexer.splitArgsAndOptions(text);
    String args = parts[0];
    List<String> words;
    try {
      words = RequirementsLexer.shellSplit(parts[1]);
    } catch (IllegalArgumentException e) {
      results.problem(
          file,
          line,
          text,
          Problem.quote(parts[1]) + " has a quotation mark that is not closed",
          "close the quote or remove it");
      return;
    }
    RequirementOptions.Parsed parsed = RequirementOptions.parse(file, line, text, words);
    if (!parsed.problems().isEmpty()) {
      results.addAll(parsed.problems());
      return;
    }
    List<Option> options = parsed.options();
    List<String> leftovers = parsed.leftovers();
    if (args.isEmpty()) {
      optionLine(src, line, text, options, leftovers);
    } else {
      requirementLine(src, line, text, args, options, leftovers);
    }
  }

  /** Words among the options that are none: pip would take them as a second requirement. */
  private void leftovers(String file, int line, String text, List<String> leftovers) {
    if (!leftovers.isEmpty()) {
      results.problem(
          file,
          line,
          text,
          Problem.quote(String.join(" ", leftovers)) + " after the options is not understood",
          "put the requirement first and only options after it, one requirement per line");
    }
  }

  /** A line of options only: file-level options, includes, editables, in the order written. */
  private void optionLine(
      RequirementsSource src, int line, String text, List<Option> options, List<String> leftovers) {
    String file = src.display();
    for (Option o : options) {
      switch (o.spec().kind()) {
        case GLOBAL, GLOBAL_FLAG ->
            results.globalOption(file + ":" + line + ": " + Problem.redact(o.verbatim()));
        case REQUIREMENT_FILE, CONSTRAINT_FILE -> includes.include(src, line, text, o);
        case EDITABLE -> editable(file, line, text, o);
        case HASH, PER_REQUIREMENT ->
            results.problem(
                file,
                line,
                text,
                Problem.quote(o.verbatim()) + " is not attached to a requirement",
                "put it on the requirement's line, joined with a trailing \\ (a comment line"
                    + " ends a continuation)");
      }
    }
    leftovers(file, line, text, leftovers);
  }

  /** A requirement and the per-requirement options after it ({@code --hash}, ...). */
  private void requirementLine(
      RequirementsSource src,
      int line,
      String text,
      String args,
      List<Option> options,
      List<String> leftovers) {
    String file = src.display();
    List<String> hashes = new ArrayList<>();
    List<String> perLine = new ArrayList<>();
    for (Option o : options) {
      switch (o.spec().kind()) {
        case HASH -> hashes.add(o.value());
        case PER_REQUIREMENT -> perLine.add(o.verbatim());
        default ->
            results.problem(
                file,
                line,
                text,
                Problem.quote(o.verbatim()) + " cannot follow a requirement",
                "put " + o.written() + " on a line of its own");
      }
    }
    leftovers(file, line, text, leftovers);
    Problem direct = DirectReferences.problem(file, line, text, args);
    if (direct != null) {
      results.add(direct);
      return;
    }
    Requirement requirement;
    try {
      requirement = Requirement.parse(args);
    } catch (PythonSyntaxException e) {
      results.problem(
          file,
          line,
          text,
          Problem.quote(args) + " is not a valid requirement: " + reason(args, e),
          "write name==version, optionally with [extras] and a ; marker, e.g. django==5.2.17");
      return;
    }
    RequirementLine rl = new RequirementLine(file, line, text, requirement, hashes, perLine);
    results.requirement(rl, src.constraint());
  }

  /** The parser's message without its own "invalid requirement 'text': " prefix. */
  private static String reason(String args, PythonSyntaxException e) {
    String message = String.valueOf(e.getMessage());
    String prefix = "invalid requirement " + PythonSyntaxException.quote(args) + ": ";
    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }

  /** An editable install is never a pinned release: it is the app itself or a checkout. */
  private void editable(String file, int line, String text, Option o) {
    String target = o.value();
    boolean remote = DirectReferences.isRemote(target);
    String fix =
        remote
            ? "publish the package to the index and pin it by version, e.g. "
                + DirectReferences.suggestion(target)
            : "the app itself is built from spec.source; list only its dependencies here,"
                + " pinned with ==";
    results.problem(
        file,
        line,
        text,
        Problem.quote(o.verbatim()) + " is an editable install, not a pinned release",
        fix);
  }
}
