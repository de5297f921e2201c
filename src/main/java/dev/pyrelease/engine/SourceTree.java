package dev.pyrelease.engine;

import dev.pyrelease.http.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A local source directory (a checkout given with {@code --source}): its content hash, which stands
 * in for the resolved commit in the build key, and a copy of it into the workspace. Version control
 * and cache directories are left out of both, as the venv step leaves them out of the app, and so
 * is what the source's {@code .dockerignore} excludes ({@link IgnoreFile}). Links to files of the
 * source are followed (an image cannot hold links); a dangling link, or one out of the source, is
 * an error.
 */
public final class SourceTree {
  /** Directory names that are never part of the source. */
  public static final Set<String> IGNORED_DIRS =
      Set.of(".git", ".hg", ".svn", "__pycache__", ".venv", ".tox", ".mypy_cache", ".pytest_cache");

  private SourceTree() {}

  /** The files of {@code root}, relative with {@code /} separators, sorted. */
  public static List<String> files(Path root) {
    List<String> out = new ArrayList<>();
    IgnoreFile ignore = IgnoreFile.read(root);
    try (Stream<Path> walk = Files.walk(root, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
      Path realRoot = root.toRealPath();
      walk.filter(p -> !p.equals(root))
          .filter(p -> !ignored(root.relativize(p)))
          .filter(p -> !ignore.excludes(root.relativize(p).toString().replace('\\', '/')))
          .forEach(
              p -> {
                if (Files.isSymbolicLink(p)) {
                  checkLink(root, realRoot, p);
                }
                if (Files.isRegularFile(p)) {
                  out.add(root.relativize(p).toString().replace('\\', '/'));
                }
              });
    } catch (IOException e) {
      throw BuildException.input("source: cannot read " + root + ": " + e.getMessage());
    } catch (UncheckedIOException e) {
      throw BuildException.input("source: cannot read " + root + ": " + e.getCause().getMessage());
    }
    out.sort(null);
    return out;
  }

  /**
   * A link is followed only to a file or directory of the source: the image gets the file a link
   * names, and a link out of the checkout would put a file of the building machine into it (in the
   * build Job, the git credentials mounted beside the checkout).
   */
  private static void checkLink(Path root, Path realRoot, Path link) {
    String rel = root.relativize(link).toString();
    String target;
    try {
      target = Files.readSymbolicLink(link).toString();
    } catch (IOException e) {
      target = "?";
    }
    if (!Files.exists(link)) {
      throw BuildException.input(
          "source: "
              + rel
              + " is a link to "
              + target
              + ", which does not exist: remove the link, or point it at a file of the source");
    }
    Path real;
    try {
      real = link.toRealPath();
    } catch (IOException e) {
      throw BuildException.input("source: cannot follow the link " + rel + ": " + e.getMessage());
    }
    if (!real.startsWith(realRoot)) {
      throw BuildException.input(
          "source: "
              + rel
              + " is a link to "
              + target
              + ", outside the source: an image gets the file a link names, so only links to"
              + " files of the source are followed; put the file itself in the source instead");
    }
  }

  /**
   * {@code tree:sha256:<hex>} over every file's path, executable bit and content, in path order.
   */
  public static String hash(Path root) {
    MessageDigest tree = Digests.newSha256();
    for (String rel : files(root)) {
      Path p = root.resolve(rel);
      String line =
          (Files.isExecutable(p) ? "x " : "f ") + sha256(p) + " " + rel.length() + ":" + rel;
      tree.update((line + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return "tree:sha256:" + Digests.hex(tree.digest());
  }

  /** Copies the source's files into {@code target} (emptied first), keeping executable bits. */
  public static int copy(Path root, Path target) {
    Workspace.deleteTree(target);
    List<String> files = files(root);
    try {
      Files.createDirectories(target);
      for (String rel : files) {
        Path from = root.resolve(rel);
        Path to = target.resolve(rel);
        Files.createDirectories(to.getParent());
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        to.toFile().setExecutable(Files.isExecutable(from), false);
      }
    } catch (IOException e) {
      throw BuildException.environment("source: cannot copy into " + target + ": " + e);
    }
    return files.size();
  }

  /**
   * Whether the build leaves {@code relative} (to the source root) out, whatever the ignore file.
   */
  public static boolean ignored(Path relative) {
    for (Path part : relative) {
      String name = part.toString();
      if (IGNORED_DIRS.contains(name) || name.endsWith(".pyc") || name.endsWith(".egg-info")) {
        return true;
      }
    }
    return false;
  }

  static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return Digests.sha256(in);
    } catch (IOException e) {
      throw BuildException.input("source: cannot read " + file + ": " + e.getMessage());
    }
  }
}
