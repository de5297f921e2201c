package dev.pyrelease.python;

import dev.pyrelease.python.RequirementOptions.Option;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads pip requirements files: comments, {@code \} continuations, per-requirement options ({@code
 * --hash}, {@code --config-settings}, {@code --global-option}), file-level options, and {@code
 * -r}/{@code -c} includes confined to the source tree.
 *
 * <p>Reading never throws for any file content or file system state: everything that is wrong
 * becomes a {@link Problem} in the result. Whether the requirements are acceptable for a release
 * (pins, hashes, duplicates) is decided by {@link PinPolicy}.
 */
public final class RequirementsFile {

  /** Largest file read; requirements files are small, this only protects the operator. */
  static final long MAX_FILE_BYTES = 16L * 1024 * 1024;

  /** Deepest {@code -r}/{@code -c} nesting followed. */
  static final int MAX_INCLUDE_DEPTH = 32;

  private static final Pattern ENV_VAR = Pattern.compile("\\$\\{[^}\\s]*\\}");

  private RequirementsFile() {}

  /**
   * Reads {@code relativePath} (relative to {@code sourceRoot}) and everything it includes. Problem
   * locations are relative to {@code sourceRoot}, with {@code /} separators.
   */
  public static ParsedRequirements read(Path sourceRoot, String relativePath) {
    return read(sourceRoot == null ? null : FileTree.directory(sourceRoot), relativePath);
  }

  /**
   * Reads {@code relativePath} (relative to the tree's root) and everything it includes, from a
   * checkout or a commit alike. Problem locations are relative to the root, with {@code /}.
   */
  public static ParsedRequirements read(FileTree tree, String relativePath) {
    Reader reader = new Reader(tree);
    reader.readTop(relativePath);
    return reader.result();
  }

  /**
   * Parses requirements given as text (e.g. {@code spec.requirements.inline}); problems are
   * reported against {@code displayName}. Includes ({@code -r}, {@code -c}) cannot be resolved here
   * and are reported as problems.
   */
  public static ParsedRequirements parseInline(String text, String displayName) {
    Reader reader = new Reader(null);
    String name = displayName == null || displayName.isBlank() ? "<inline>" : displayName;
    reader.parse(new Source(name, null, false), text == null ? "" : text);
    return reader.result();
  }

  /** A file being read: its display name, its entry (null inline), and whether it is -c. */
  private record Source(String display, FileTree.Entry real, boolean constraint) {}

  /** The reading state: results so far and the chain of files being read. */
  private static final class Reader {
    private final FileTree tree;
    private final List<RequirementLine> requirements = new ArrayList<>();
    private final List<RequirementLine> constraints = new ArrayList<>();
    private final List<Problem> problems = new ArrayList<>();
    private final List<String> globalOptions = new ArrayList<>();
    private final Deque<Source> stack = new ArrayDeque<>();
    private final Set<String> done = new HashSet<>();

    Reader(FileTree tree) {
      this.tree = tree;
    }

    ParsedRequirements result() {
      return new ParsedRequirements(requirements, constraints, problems, globalOptions);
    }

    private void problem(String file, int line, String text, String what, String fix) {
      problems.add(new Problem(file, line, text, what, fix));
    }

    // ---------------------------------------------------------------- files

    void readTop(String relativePath) {
      String given = relativePath == null ? "" : relativePath;
      String shown = given.replace('\\', '/');
      if (given.isBlank()) {
        problem(
            "<requirements>",
            0,
            "",
            "no requirements file named",
            "set spec.requirements.file to a path relative to the app directory");
        return;
      }
      if (RequirementPaths.isUrl(given)) {
        problem(
            shown,
            0,
            given,
            Problem.quote(given) + " is a URL",
            "commit the requirements file to the repository and name it by relative path");
        return;
      }
      if (RequirementPaths.isAbsolute(given)) {
        problem(
            shown,
            0,
            given,
            Problem.quote(given) + " is an absolute path",
            "name the file relative to the app directory (spec.source.path)");
        return;
      }
      String display = RequirementPaths.normalize(given.replace('\\', '/'));
      if (display == null) {
        problem(
            shown,
            0,
            given,
            Problem.quote(given) + " points outside the source tree",
            "name a file inside the app directory (spec.source.path), without leading ..");
        return;
      }
      if (display.isEmpty()) {
        problem(
            shown,
            0,
            given,
            Problem.quote(given) + " names the app directory itself",
            "set spec.requirements.file to the requirements file, e.g. requirements/prod.txt");
        return;
      }
      if (tree == null || tree.resolve("").kind() != FileTree.Kind.DIRECTORY) {
        problem(
            display,
            0,
            "",
            "file not found",
            "the source directory could not be read; check spec.source.path");
        return;
      }
      FileTree.Entry real = tree.resolve(display);
      if (real.kind() == FileTree.Kind.MISSING) {
        problem(
            display,
            0,
            "",
            "file not found",
            "check spec.requirements.file: it is relative to the app directory (spec.source.path)"
                + " at the resolved commit");
        return;
      }
      if (real.kind() == FileTree.Kind.OUTSIDE) {
        problem(
            display,
            0,
            "",
            "the file is a symlink that points outside the source tree",
            "commit the file itself instead of a link to it");
        return;
      }
      if (real.kind() == FileTree.Kind.DIRECTORY) {
        problem(
            display,
            0,
            "",
            "the path is a directory, not a file",
            "set spec.requirements.file to the requirements file, e.g. requirements/prod.txt");
        return;
      }
      String content = load(new Source(display, real, false), display, 0, "");
      if (content != null) {
        parse(new Source(display, real, false), content);
      }
    }

    /**
     * Loads a file as UTF-8. Problems with the file as a whole are reported at {@code (file, line,
     * text)} — the including line, or line 0 of the top file; invalid UTF-8 at its own line.
     */
    private String load(Source src, String file, int line, String text) {
      byte[] bytes;
      try {
        long size = tree.size(src.real());
        if (size > MAX_FILE_BYTES) {
          problem(
              file,
              line,
              text,
              (text.isEmpty() ? "" : Problem.quote(text) + ": ")
                  + src.display()
                  + " is larger than "
                  + (MAX_FILE_BYTES >> 20)
                  + " MiB",
              "requirements files are small text files; check that the right file is named");
          return null;
        }
        bytes = tree.read(src.real());
      } catch (NoSuchFileException e) {
        problem(file, line, text, "file not found", "commit the file or fix the path");
        return null;
      } catch (IOException | RuntimeException e) {
        problem(
            file,
            line,
            text,
            (text.isEmpty() ? "" : Problem.quote(text) + ": ")
                + "the file could not be read ("
                + e.getClass().getSimpleName()
                + ")",
            "check that it is a readable regular file");
        return null;
      }
      CharsetDecoder decoder =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT);
      ByteBuffer in = ByteBuffer.wrap(bytes);
      CharBuffer out = CharBuffer.allocate(bytes.length + 1);
      CoderResult r = decoder.decode(in, out, true);
      if (!r.isError()) {
        r = decoder.flush(out);
      }
      if (r.isError()) {
        int pos = in.position();
        problem(
            src.display(),
            lineOfByte(bytes, pos),
            "",
            String.format(
                Locale.ROOT, "the file is not valid UTF-8 (byte 0x%02x)", bytes[pos] & 0xff),
            "save the file as UTF-8");
        return null;
      }
      out.flip();
      return out.toString();
    }

    private static int lineOfByte(byte[] bytes, int pos) {
      int line = 1;
      for (int i = 0; i < pos && i < bytes.length; i++) {
        if (bytes[i] == '\n'
            || (bytes[i] == '\r' && (i + 1 >= bytes.length || bytes[i + 1] != '\n'))) {
          line++;
        }
      }
      return line;
    }

    // ---------------------------------------------------------------- lines

    void parse(Source src, String content) {
      stack.push(src);
      done.add(doneKey(src));
      try {
        for (RequirementsLexer.LogicalLine ll : RequirementsLexer.lex(content)) {
          try {
            line(src, ll.line(), ll.text());
          } catch (RuntimeException | StackOverflowError e) {
            // a defect in a parser must not turn a bad line into a crash of the operator
            problem(
                src.display(),
                ll.line(),
                ll.text(),
                Problem.quote(ll.text()) + " could not be read (" + e + ")",
                "rewrite the line as name==version; this is also a bug worth reporting");
          }
        }
      } finally {
        stack.pop();
      }
    }

    private void line(Source src, int line, String text) {
      String file = src.display();
      Matcher env = ENV_VAR.matcher(text);
      if (env.find()) {
        problem(
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
        problem(
            file,
            line,
            text,
            Problem.quote(parts[1]) + " has a quotation mark that is not closed",
            "close the quote or remove it");
        return;
      }
      RequirementOptions.Parsed parsed = RequirementOptions.parse(file, line, text, words);
      if (!parsed.problems().isEmpty()) {
        problems.addAll(parsed.problems());
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

    private void leftovers(String file, int line, String text, List<String> leftovers) {
      if (!leftovers.isEmpty()) {
        problem(
            file,
            line,
            text,
            Problem.quote(String.join(" ", leftovers)) + " after the options is not understood",
            "put the requirement first and only options after it, one requirement per line");
      }
    }

    private void optionLine(
        Source src, int line, String text, List<Option> options, List<String> leftovers) {
      String file = src.display();
      for (Option o : options) {
        switch (o.spec().kind()) {
          case GLOBAL, GLOBAL_FLAG ->
              globalOptions.add(file + ":" + line + ": " + mask(o.verbatim()));
          case REQUIREMENT_FILE, CONSTRAINT_FILE -> include(src, line, text, o);
          case EDITABLE -> editable(file, line, text, o);
          case HASH, PER_REQUIREMENT ->
              problem(
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

    private void requirementLine(
        Source src,
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
              problem(
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
        problems.add(direct);
        return;
      }
      Requirement requirement;
      try {
        requirement = Requirement.parse(args);
      } catch (PythonSyntaxException e) {
        problem(
            file,
            line,
            text,
            Problem.quote(args) + " is not a valid requirement: " + reason(args, e),
            "write name==version, optionally with [extras] and a ; marker, e.g. django==5.2.17");
        return;
      }
      RequirementLine rl = new RequirementLine(file, line, text, requirement, hashes, perLine);
      (src.constraint() ? constraints : requirements).add(rl);
    }

    /** The parser's message without its own "invalid requirement 'text': " prefix. */
    private static String reason(String args, PythonSyntaxException e) {
      String message = String.valueOf(e.getMessage());
      String prefix = "invalid requirement " + PythonSyntaxException.quote(args) + ": ";
      return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    private void editable(String file, int line, String text, Option o) {
      String target = o.value();
      boolean remote = DirectReferences.isRemote(target);
      String fix =
          remote
              ? "publish the package to the index and pin it by version, e.g. "
                  + DirectReferences.suggestion(target)
              : "the app itself is built from spec.source; list only its dependencies here,"
                  + " pinned with ==";
      problem(
          file,
          line,
          text,
          Problem.quote(o.verbatim()) + " is an editable install, not a pinned release",
          fix);
    }

    // ---------------------------------------------------------------- includes

    private void include(Source src, int line, String text, Option o) {
      String file = src.display();
      String flag = o.spec().kind() == RequirementOptions.Kind.REQUIREMENT_FILE ? "-r" : "-c";
      String shown = Problem.quote(o.verbatim());
      String target = o.value();
      if (src.real() == null) {
        problem(
            file,
            line,
            text,
            shown + " cannot be resolved in inline requirements",
            "use spec.requirements.file to include other files, or list the lines inline");
        return;
      }
      if (target.isBlank()) {
        problem(file, line, text, shown + " names no file", "write " + flag + " <file>");
        return;
      }
      if (RequirementPaths.isUrl(target)) {
        problem(
            file,
            line,
            text,
            shown + " is a URL",
            "builds are hermetic: commit the file to the repository and include it by relative"
                + " path");
        return;
      }
      if (RequirementPaths.isAbsolute(target)) {
        problem(
            file,
            line,
            text,
            shown + " is an absolute path",
            "include files inside the source tree by a path relative to " + file);
        return;
      }
      int slash = file.lastIndexOf('/');
      String dir = slash < 0 ? "" : file.substring(0, slash + 1);
      String display = RequirementPaths.normalize(dir + target);
      if (display == null) {
        problem(
            file,
            line,
            text,
            shown + " points outside the source tree",
            "include only files inside the source tree, by a path relative to " + file);
        return;
      }
      FileTree.Entry real = tree.resolve(display);
      if (real.kind() == FileTree.Kind.MISSING) {
        problem(
            file,
            line,
            text,
            shown + " names a file that does not exist (" + display + ")",
            "fix the path (it is relative to " + file + ") or commit the file");
        return;
      }
      if (real.kind() == FileTree.Kind.OUTSIDE) {
        problem(
            file,
            line,
            text,
            shown + " is a symlink that points outside the source tree",
            "commit the file itself instead of a link to it");
        return;
      }
      if (real.kind() == FileTree.Kind.DIRECTORY) {
        problem(
            file,
            line,
            text,
            shown + " names a directory (" + display + ")",
            "name the requirements file itself");
        return;
      }
      Source child = new Source(display, real, src.constraint() || flag.equals("-c"));
      for (Source open : stack) {
        if (real.equals(open.real())) {
          List<String> chain = new ArrayList<>();
          stack.descendingIterator().forEachRemaining(s -> chain.add(s.display()));
          chain.add(display);
          problem(
              file,
              line,
              text,
              shown + " makes an include cycle (" + String.join(" -> ", chain) + ")",
              "remove one of the -r/-c lines so that no file includes itself");
          return;
        }
      }
      if (stack.size() >= MAX_INCLUDE_DEPTH) {
        problem(
            file,
            line,
            text,
            shown + " nests includes deeper than " + MAX_INCLUDE_DEPTH + " files",
            "flatten the includes");
        return;
      }
      if (done.contains(doneKey(child))) {
        return; // already read (e.g. both dev.txt and test.txt include base.txt): read once
      }
      String content = load(child, file, line, text);
      if (content != null) {
        parse(child, content);
      }
    }

    private static String doneKey(Source s) {
      return (s.constraint() ? "c:" : "r:")
          + (s.real() == null ? s.display() : s.real().realPath());
    }

    private static String mask(String option) {
      return Problem.redact(option);
    }
  }
}
