package dev.pyrelease.reconciler;

import dev.pyrelease.api.v1alpha1.PythonReleaseSpec;
import dev.pyrelease.python.ParsedRequirements;
import dev.pyrelease.python.Problem;
import dev.pyrelease.python.RequirementsFile;
import dev.pyrelease.source.GitResolver;
import dev.pyrelease.source.GitResolver.Credentials;
import dev.pyrelease.source.GitResolver.GitException;
import dev.pyrelease.source.GitResolver.MissingFileException;
import dev.pyrelease.validate.ReleaseRequirements;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a release's requirements at the resolved commit, before any Job exists: the inline lines,
 * or the file and its {@code -r}/{@code -c} includes fetched one by one through {@link GitResolver}
 * into a scratch directory, then parsed by the same {@link RequirementsFile} reader the CLI uses
 * (which confines includes to the tree and reports what is missing with {@code file:line}).
 */
final class RequirementsAtCommit {
  private static final Pattern INCLUDE =
      Pattern.compile(
          "^\\s*(?:-r|-c|--requirement|--constraint)(?:\\s*=\\s*|\\s+|(?<=^\\s*-[rc]))(\\S+)");
  private static final int MAX_FILES = 64;

  private final GitResolver git;

  RequirementsAtCommit(GitResolver git) {
    this.git = git;
  }

  /**
   * @throws GitException transient git errors only; a missing top file is a problem
   */
  ParsedRequirements read(PythonReleaseSpec spec, String commit, Credentials credentials)
      throws GitException {
    if (spec.getRequirements().getInline() != null) {
      return ReleaseRequirements.read(spec, null);
    }
    String appDir = spec.getSource().getPath() == null ? "." : spec.getSource().getPath();
    String top =
        Path.of(appDir)
            .resolve(spec.getRequirements().getFile())
            .normalize()
            .toString()
            .replace('\\', '/');
    Path dir = null;
    try {
      dir = Files.createTempDirectory("pyrelease-req");
      Deque<String> queue = new ArrayDeque<>(List.of(top));
      Set<String> seen = new HashSet<>();
      while (!queue.isEmpty() && seen.size() < MAX_FILES) {
        String path = queue.removeFirst();
        if (!seen.add(path)) {
          continue;
        }
        String text;
        try {
          text = git.readFile(spec.getSource().getGit().getUrl(), commit, path, credentials);
        } catch (MissingFileException e) {
          if (path.equals(top)) {
            return missingTop(top, commit);
          }
          continue; // the reader reports the missing include at the line that names it
        }
        Path target = dir.resolve(path).normalize();
        Files.createDirectories(target.getParent());
        Files.writeString(target, text, StandardCharsets.UTF_8);
        for (String include : includes(text)) {
          String resolved = resolve(path, include);
          if (resolved != null) {
            queue.addLast(resolved);
          }
        }
      }
      return RequirementsFile.read(dir, top);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteQuietly(dir);
    }
  }

  private static ParsedRequirements missingTop(String top, String commit) {
    Problem p =
        new Problem(
            "spec.requirements.file",
            0,
            top,
            "'" + top + "' does not exist at commit " + commit,
            "commit the file, or fix spec.requirements.file / spec.source.path");
    return new ParsedRequirements(List.of(), List.of(), List.of(p), List.of());
  }

  static List<String> includes(String text) {
    return text.lines().map(INCLUDE::matcher).filter(Matcher::find).map(m -> m.group(1)).toList();
  }

  /** The include's path from the repository root, or null when it leaves the tree or is a URL. */
  static String resolve(String from, String include) {
    if (include.contains("://") || include.startsWith("/")) {
      return null;
    }
    Path parent = Path.of(from).getParent();
    Path p = (parent == null ? Path.of(include) : parent.resolve(include)).normalize();
    String s = p.toString().replace('\\', '/');
    return s.startsWith("..") ? null : s;
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // a scratch file left in /tmp is harmless
                }
              });
    } catch (IOException e) {
      // same
    }
  }
}
