package dev.pyrelease.source.jgit;

import dev.pyrelease.source.GitUrls;
import dev.pyrelease.source.SourceException;
import dev.pyrelease.source.jgit.CommitCache.CommitTree;
import dev.pyrelease.source.jgit.JGitResolver.Checkout;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * A commit's files written into a directory: regular files 644, executables 755, directories 755.
 * <b>Links are kept as links</b> when they resolve inside the tree (or dangle inside it); a link
 * that points outside the tree (absolute, or climbing out with {@code ..}, also through other
 * links) fails the checkout, since following it would read the building machine's files (in the
 * build Job, the git credentials mounted beside the checkout). Submodules become empty directories
 * (as in {@code git clone} without {@code --recurse-submodules}). No {@code .git}.
 */
final class TreeCheckout {
  private TreeCheckout() {}

  /**
   * Writes the files below {@code subdir} ({@code ""}: all) of the commit into {@code target}, at
   * their repository paths ({@code target/<subdir>/…}); {@code target} is emptied first.
   */
  static Checkout write(CommitTree ct, String url, String subdir, Path target) {
    List<String> sub = TreePaths.components(subdir == null ? "" : subdir);
    try (ObjectReader reader = ct.repo().newObjectReader()) {
      Map<String, TreePaths.Entry> index = index(reader, ct.tree());
      TreePaths.Lookup lookup = index::get;
      TreePaths.Resolution r = TreePaths.resolve(lookup, sub);
      String subPath = String.join("/", sub);
      if (r.outcome() != TreePaths.Outcome.FOUND || r.entry().type() != TreePaths.Type.DIRECTORY) {
        refuseLinkOut(r, subPath, ct.commit(), url);
        throw new SourceException(
            SourceException.Kind.PATH_NOT_FOUND,
            "no directory '" + subPath + "'" + where(ct.commit(), url));
      }
      String root = r.path();
      String prefix = root.isEmpty() ? "" : root + "/";
      clear(target);
      Files.createDirectories(target);
      int files = 0;
      List<String[]> links = new ArrayList<>();
      List<String> submodules = new ArrayList<>();
      for (var en : index.entrySet()) {
        String p = en.getKey();
        if (!p.startsWith(prefix) || p.isEmpty()) {
          continue;
        }
        TreePaths.Entry e = en.getValue();
        checkName(p);
        Path out = target.resolve(p);
        switch (e.type()) {
          case DIRECTORY -> mkdirs(out);
          case FILE, EXECUTABLE -> {
            mkdirs(out.getParent());
            writeBlob(reader, e, out);
            files++;
          }
          case SUBMODULE -> {
            mkdirs(out);
            submodules.add(p);
          }
          case LINK -> {
            refuseLinkOut(TreePaths.resolve(lookup, List.of(p.split("/"))), p, ct.commit(), url);
            links.add(new String[] {p, e.linkTarget()});
          }
        }
      }
      // links last, so that no file is ever written through one
      for (String[] l : links) {
        Path out = target.resolve(l[0]);
        mkdirs(out.getParent());
        Files.createSymbolicLink(out, FileSystems.getDefault().getPath(l[1]));
      }
      Path rootDir = root.isEmpty() ? target : target.resolve(root);
      if (!sub.isEmpty() && !subPath.equals(root)) {
        // subdir reached through a link: write the link chain too so the caller's path works
        writeLinkChain(lookup, sub, target);
      }
      return new Checkout(rootDir, files, links.size(), List.copyOf(submodules));
    } catch (IOException e) {
      throw new SourceException(
          SourceException.Kind.IO,
          "cannot write commit " + ct.commit() + " into " + target + ": " + e.getMessage(),
          e);
    }
  }

  /** INVALID when {@code path} resolved out of the tree or through a link loop. */
  private static void refuseLinkOut(
      TreePaths.Resolution r, String path, String commit, String url) {
    switch (r.outcome()) {
      case ESCAPES ->
          throw new SourceException(
              SourceException.Kind.INVALID,
              "'"
                  + path
                  + "' is a symlink that points outside the repository"
                  + where(commit, url));
      case TOO_MANY_LINKS ->
          throw new SourceException(
              SourceException.Kind.INVALID,
              "'" + path + "' goes through too many symlinks (a loop?)" + where(commit, url));
      default -> {}
    }
  }

  private static String where(String commit, String url) {
    return " at commit " + commit.substring(0, 12) + " of " + GitUrls.mask(url);
  }

  private static void writeLinkChain(TreePaths.Lookup lookup, List<String> sub, Path target)
      throws IOException {
    List<String> at = new ArrayList<>();
    for (String c : sub) {
      at.add(c);
      String p = String.join("/", at);
      TreePaths.Entry e = lookup.get(p);
      if (e == null) {
        return;
      }
      if (e.type() == TreePaths.Type.LINK) {
        Path out = target.resolve(p);
        if (!Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
          mkdirs(out.getParent());
          Files.createSymbolicLink(out, FileSystems.getDefault().getPath(e.linkTarget()));
        }
        return; // the rest is below the link's target, already written
      }
    }
  }

  /** Every entry of the tree (directories included), by path, in tree order. */
  private static Map<String, TreePaths.Entry> index(ObjectReader reader, RevTree tree)
      throws IOException {
    Map<String, TreePaths.Entry> out = new LinkedHashMap<>();
    try (TreeWalk tw = new TreeWalk(reader)) {
      tw.addTree(tree);
      tw.setRecursive(false);
      while (tw.next()) {
        out.put(
            tw.getPathString(), CommitFileTree.entry(reader, tw.getFileMode(0), tw.getObjectId(0)));
        if (tw.isSubtree()) {
          tw.enterSubtree();
        }
      }
    }
    return out;
  }

  /** A tree entry git itself would not check out ({@code .git}, {@code ..}) is refused. */
  private static void checkName(String path) {
    for (String c : path.split("/")) {
      if (c.isEmpty()
          || c.equals(".")
          || c.equals("..")
          || c.equalsIgnoreCase(".git")
          || c.indexOf('\\') >= 0 && c.contains("..")) {
        throw new SourceException(
            SourceException.Kind.INVALID, "refusing unsafe path '" + path + "' in the git tree");
      }
    }
  }

  private static void writeBlob(ObjectReader reader, TreePaths.Entry e, Path out)
      throws IOException {
    try (OutputStream os =
        Files.newOutputStream(
            out,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS)) {
      reader.open(ObjectId.fromString(e.objectId()), Constants.OBJ_BLOB).copyTo(os);
    }
    setMode(out, e.type() == TreePaths.Type.EXECUTABLE ? "rwxr-xr-x" : "rw-r--r--");
  }

  private static void mkdirs(Path dir) throws IOException {
    if (dir != null && !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(dir);
      setMode(dir, "rwxr-xr-x");
    }
  }

  private static void setMode(Path p, String mode) throws IOException {
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    }
  }

  /** Empties {@code dir} (not following links); a missing directory is fine. */
  private static void clear(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(dir + " is not a directory");
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      List<Path> all = walk.filter(p -> !p.equals(dir)).sorted(Comparator.reverseOrder()).toList();
      for (Path p : all) {
        Files.delete(p);
      }
    }
  }
}
