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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The file side of reading requirements: the top file and the {@code -r}/{@code -c} files it
 * includes, found through the {@link FileTree} and confined to it, loaded as UTF-8, each read once,
 * with include cycles and depth refused. Each logical line goes to the {@link LineReader}.
 */
final class RequirementsReader {
  private final FileTree tree;
  private final ReadResults results = new ReadResults();
  private final LineReader lines = new LineReader(results, this::include);

  /** The chain of files being read, innermost first: an include of one of them is a cycle. */
  private final Deque<RequirementsSource> stack = new ArrayDeque<>();

  /** Files read so far, by {@link #doneKey}: a file included twice is read once. */
  private final Set<String> done = new HashSet<>();

  /**
   * @param tree the tree files are read from; null when there is none (inline requirements)
   */
  RequirementsReader(FileTree tree) {
    this.tree = tree;
  }

  ParsedRequirements result() {
    return results.parsed();
  }

  void readTop(String relativePath) {
    String given = relativePath == null ? "" : relativePath;
    String shown = given.replace('\\', '/');
    if (given.isBlank()) {
      results.problem(
          "<requirements>",
          0,
          "",
          "no requirements file named",
          "set spec.requirements.file to a path relative to the app directory");
      return;
    }
    if (RequirementPaths.isUrl(given)) {
      results.problem(
          shown,
          0,
          given,
          Problem.quote(given) + " is a URL",
          "commit the requirements file to the repository and name it by relative path");
      return;
    }
    if (RequirementPaths.isAbsolute(given)) {
      results.problem(
          shown,
          0,
          given,
          Problem.quote(given) + " is an absolute path",
          "name the file relative to the app directory (spec.source.path)");
      return;
    }
    String display = RequirementPaths.normalize(given.replace('\\', '/'));
    if (display == null) {
      results.problem(
          shown,
          0,
          given,
          Problem.quote(given) + " points outside the source tree",
          "name a file inside the app directory (spec.source.path), without leading ..");
      return;
    }
    if (display.isEmpty()) {
      results.problem(
          shown,
          0,
          given,
          Problem.quote(given) + " names the app directory itself",
          "set spec.requirements.file to the requirements file, e.g. requirements/prod.txt");
      return;
    }
    if (tree == null || tree.resolve("").kind() != FileTree.Kind.DIRECTORY) {
      results.problem(
          display,
          0,
          "",
          "file not found",
          "the source directory could not be read; check spec.source.path");
      return;
    }
    FileTree.Entry real = tree.resolve(display);
    if (real.kind() == FileTree.Kind.MISSING) {
      results.problem(
          display,
          0,
          "",
          "file not found",
          "check spec.requirements.file: it is relative to the app directory (spec.source.path)"
              + " at the resolved commit");
      return;
    }
    if (real.kind() == FileTree.Kind.OUTSIDE) {
      results.problem(
          display,
          0,
          "",
          "the file is a symlink that points outside the source tree",
          "commit the file itself instead of a link to it");
      return;
    }
    if (real.kind() == FileTree.Kind.DIRECTORY) {
      results.problem(
          display,
          0,
          "",
          "the path is a directory, not a file",
          "set spec.requirements.file to the requirements file, e.g. requirements/prod.txt");
      return;
    }
    String content = load(new RequirementsSource(display, real, false), display, 0, "");
    if (content != null) {
      parse(new RequirementsSource(display, real, false), content);
    }
  }

  /**
   * Loads a file as UTF-8. Problems with the file as a whole are reported at {@code (file, line,
   * text)} — the including line, or line 0 of the top file; invalid UTF-8 at its own line.
   */
  private String load(RequirementsSource src, String file, int line, String text) {
    byte[] bytes;
    try {
      long size = tree.size(src.real());
      if (size > RequirementsFile.MAX_FILE_BYTES) {
        results.problem(
            file,
            line,
            text,
            (text.isEmpty() ? "" : Problem.quote(text) + ": ")
                + src.display()
                + " is larger than "
                + (RequirementsFile.MAX_FILE_BYTES >> 20)
                + " MiB",
            "requirements files are small text files; check that the right file is named");
        return null;
      }
      bytes = tree.read(src.real());
    } catch (NoSuchFileException e) {
      results.problem(file, line, text, "file not found", "commit the file or fix the path");
      return null;
    } catch (IOException | RuntimeException e) {
      results.problem(
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
      results.problem(
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

  void parse(RequirementsSource src, String content) {
    stack.push(src);
    done.add(doneKey(src));
    try {
      for (RequirementsLexer.LogicalLine ll : RequirementsLexer.lex(content)) {
        try {
          lines.read(src, ll.line(), ll.text());
        } catch (RuntimeException | StackOverflowError e) {
          // a defect in a parser must not turn a bad line into a crash of the operator
          results.problem(
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

  private void include(RequirementsSource src, int line, String text, Option o) {
    String file = src.display();
    String flag = o.spec().kind() == RequirementOptions.Kind.REQUIREMENT_FILE ? "-r" : "-c";
    String shown = Problem.quote(o.verbatim());
    String target = o.value();
    if (src.real() == null) {
      results.problem(
          file,
          line,
          text,
          shown + " cannot be resolved in inline requirements",
          "use spec.requirements.file to include other files, or list the lines inline");
      return;
    }
    if (target.isBlank()) {
      results.problem(file, line, text, shown + " names no file", "write " + flag + " <file>");
      return;
    }
    if (RequirementPaths.isUrl(target)) {
      results.problem(
          file,
          line,
          text,
          shown + " is a URL",
          "builds are hermetic: commit the file to the repository and include it by relative"
              + " path");
      return;
    }
    if (RequirementPaths.isAbsolute(target)) {
      results.problem(
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
      results.problem(
          file,
          line,
          text,
          shown + " points outside the source tree",
          "include only files inside the source tree, by a path relative to " + file);
      return;
    }
    FileTree.Entry real = tree.resolve(display);
    if (real.kind() == FileTree.Kind.MISSING) {
      results.problem(
          file,
          line,
          text,
          shown + " names a file that does not exist (" + display + ")",
          "fix the path (it is relative to " + file + ") or commit the file");
      return;
    }
    if (real.kind() == FileTree.Kind.OUTSIDE) {
      results.problem(
          file,
          line,
          text,
          shown + " is a symlink that points outside the source tree",
          "commit the file itself instead of a link to it");
      return;
    }
    if (real.kind() == FileTree.Kind.DIRECTORY) {
      results.problem(
          file,
          line,
          text,
          shown + " names a directory (" + display + ")",
          "name the requirements file itself");
      return;
    }
    RequirementsSource child =
        new RequirementsSource(display, real, src.constraint() || flag.equals("-c"));
    for (RequirementsSource open : stack) {
      if (real.equals(open.real())) {
        List<String> chain = new ArrayList<>();
        stack.descendingIterator().forEachRemaining(s -> chain.add(s.display()));
        chain.add(display);
        results.problem(
            file,
            line,
            text,
            shown + " makes an include cycle (" + String.join(" -> ", chain) + ")",
            "remove one of the -r/-c lines so that no file includes itself");
        return;
      }
    }
    if (stack.size() >= RequirementsFile.MAX_INCLUDE_DEPTH) {
      results.problem(
          file,
          line,
          text,
          shown + " nests includes deeper than " + RequirementsFile.MAX_INCLUDE_DEPTH + " files",
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

  private static String doneKey(RequirementsSource s) {
    return (s.constraint() ? "c:" : "r:") + (s.real() == null ? s.display() : s.real().realPath());
  }
}
