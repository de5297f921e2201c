package dev.pyrelease.release;

import dev.pyrelease.api.v1alpha1.PythonReleaseSpec;
import dev.pyrelease.python.FileTree;
import dev.pyrelease.python.ParsedRequirements;
import dev.pyrelease.python.Problem;
import dev.pyrelease.python.ProjectDependencies;
import dev.pyrelease.python.PythonSyntaxException;
import dev.pyrelease.python.RequirementsFile;
import dev.pyrelease.source.GitCredentials;
import dev.pyrelease.source.GitResolver;
import dev.pyrelease.source.SourceException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A release's requirements, read one way for everyone: the inline lines, or {@code
 * requirements.file} (relative to {@code source.path}) and its {@code -r}/{@code -c} includes,
 * parsed by {@link RequirementsFile} from a checkout on disk or straight from the commit in git.
 * The operator, {@code pyrelease check} and {@code pyrelease build} all come here.
 */
public final class ReleaseRequirements {
  public static final String INLINE = "spec.requirements.inline";

  private ReleaseRequirements() {}

  /**
   * @param checkout the repository root (only read for {@code requirements.file}); includes may not
   *     leave it
   */
  public static ParsedRequirements read(PythonReleaseSpec spec, Path checkout) {
    return read(spec, checkout == null ? null : FileTree.directory(checkout));
  }

  /** The requirements as the tree (the repository at one commit) holds them. */
  public static ParsedRequirements read(PythonReleaseSpec spec, FileTree repository) {
    if (spec.getRequirements().getInline() != null) {
      return RequirementsFile.parseInline(spec.getRequirements().getInline(), INLINE);
    }
    return RequirementsFile.read(repository, file(spec));
  }

  /**
   * The requirements at {@code commit} of the release's repository, read from git without a
   * checkout (inline requirements need no git at all).
   *
   * @throws SourceException when the commit cannot be fetched (transient for the operator)
   */
  public static ParsedRequirements atCommit(
      PythonReleaseSpec spec, String commit, GitResolver git, GitCredentials credentials) {
    if (spec.getRequirements().getInline() != null) {
      return read(spec, (FileTree) null);
    }
    return read(spec, git.tree(spec.getSource().getGit().getUrl(), commit, credentials));
  }

  /** {@code requirements.file} from the repository root: {@code source.path} joined, normalised. */
  public static String file(PythonReleaseSpec spec) {
    String appDir = spec.getSource().getPath() == null ? "." : spec.getSource().getPath();
    return Path.of(appDir)
        .resolve(spec.getRequirements().getFile())
        .normalize()
        .toString()
        .replace('\\', '/');
  }

  /**
   * A package app's own declared dependencies, read from its {@code pyproject.toml} in {@code
   * repository} (the app directory {@code source.path}); null when the app is not a package (no
   * pyproject.toml with a [project] table, no setup.py).
   */
  public static ProjectDependencies appDependencies(PythonReleaseSpec spec, FileTree repository) {
    if (repository == null) {
      return null;
    }
    String appDir = spec.getSource() == null ? null : spec.getSource().getPath();
    String dir =
        Path.of(appDir == null || appDir.isBlank() ? "." : appDir)
            .normalize()
            .toString()
            .replace('\\', '/');
    String prefix = dir.isEmpty() || dir.equals(".") ? "" : dir + "/";
    FileTree.Entry pyproject = repository.resolve(prefix + "pyproject.toml");
    boolean setupPy = repository.resolve(prefix + "setup.py").kind() == FileTree.Kind.FILE;
    if (pyproject.kind() != FileTree.Kind.FILE) {
      return setupPy
          ? ProjectDependencies.unknown("a setup.py app declares its dependencies in code")
          : null;
    }
    String text;
    try {
      text = new String(repository.read(pyproject), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return ProjectDependencies.unknown(prefix + "pyproject.toml could not be read: " + e);
    }
    if (!text.contains("[project]")) {
      return ProjectDependencies.unknown(
          prefix
              + "pyproject.toml has no [project] table (e.g. only a tool's own table), so its"
              + " dependencies are not read");
    }
    try {
      return ProjectDependencies.parse(text);
    } catch (PythonSyntaxException e) {
      return ProjectDependencies.unknown(e.getMessage());
    }
  }

  /**
   * The problems with those about {@code requirements.file} as a whole (not found, a directory, a
   * link out of the repository: line 0 of that file) moved to where the manifest names it.
   *
   * @param manifest the manifest file, or how the operator names the release
   * @param line the line of {@code spec.requirements.file} in it (0 when there is none)
   */
  public static List<Problem> atSpecField(
      List<Problem> problems, PythonReleaseSpec spec, String manifest, int line) {
    if (spec.getRequirements() == null || spec.getRequirements().getFile() == null) {
      return problems;
    }
    String file = file(spec);
    String given = spec.getRequirements().getFile();
    List<Problem> out = new ArrayList<>(problems.size());
    for (Problem p : problems) {
      if (p.line() == 0 && (p.file().equals(file) || p.file().equals(given))) {
        out.add(
            new Problem(
                manifest,
                line,
                "",
                "spec.requirements.file '"
                    + given
                    + "'"
                    + (file.equals(given) ? "" : " (" + file + " from the repository root)")
                    + ": "
                    + p.what(),
                p.fix()));
      } else {
        out.add(p);
      }
    }
    return out;
  }
}
