package dev.pyrelease.source.jgit;

import dev.pyrelease.python.FileTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * A commit's tree as a {@link FileTree}, read from the git cache without a checkout: links are
 * followed as the file system would ({@link TreePaths}), confined to the tree. Each call opens its
 * own reader, so the tree can be shared by reconcile threads.
 */
final class CommitFileTree implements FileTree {
  private final Repository repo;
  private final RevTree tree;
  private final long maxFileBytes;

  CommitFileTree(Repository repo, RevTree tree, long maxFileBytes) {
    this.repo = repo;
    this.tree = tree;
    this.maxFileBytes = maxFileBytes;
  }

  @Override
  public Entry resolve(String path) {
    List<String> components = path.isEmpty() ? List.of() : List.of(path.split("/"));
    try (ObjectReader reader = repo.newObjectReader()) {
      TreePaths.Resolution r = TreePaths.resolve(lookup(reader, tree), components);
      return switch (r.outcome()) {
        case FOUND ->
            switch (r.entry().type()) {
              case FILE, EXECUTABLE -> new Entry(Kind.FILE, r.path() + "\0" + r.entry().objectId());
              case DIRECTORY, SUBMODULE -> new Entry(Kind.DIRECTORY, r.path());
              case LINK -> throw new IllegalStateException("unresolved link at " + path);
            };
        case ESCAPES -> Entry.OUTSIDE;
        case MISSING, NOT_A_DIRECTORY, TOO_MANY_LINKS -> Entry.MISSING;
      };
    }
  }

  @Override
  public long size(Entry file) throws IOException {
    try (ObjectReader reader = repo.newObjectReader()) {
      return reader.getObjectSize(blob(file), Constants.OBJ_BLOB);
    }
  }

  @Override
  public byte[] read(Entry file) throws IOException {
    try (ObjectReader reader = repo.newObjectReader()) {
      return reader.open(blob(file), Constants.OBJ_BLOB).getCachedBytes((int) maxFileBytes);
    }
  }

  private static ObjectId blob(Entry file) {
    String real = file.realPath();
    return ObjectId.fromString(real.substring(real.indexOf('\0') + 1));
  }

  /** A lookup by {@link TreeWalk#forPath} (single paths; no walk of the whole tree). */
  static TreePaths.Lookup lookup(ObjectReader reader, RevTree tree) {
    return path -> {
      try (TreeWalk tw = TreeWalk.forPath(reader, path, tree)) {
        return tw == null ? null : entry(reader, tw.getFileMode(0), tw.getObjectId(0));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  static TreePaths.Entry entry(ObjectReader reader, FileMode mode, ObjectId id) throws IOException {
    if (FileMode.TREE.equals(mode)) {
      return new TreePaths.Entry(TreePaths.Type.DIRECTORY, id.name(), null);
    }
    if (FileMode.EXECUTABLE_FILE.equals(mode)) {
      return new TreePaths.Entry(TreePaths.Type.EXECUTABLE, id.name(), null);
    }
    if (FileMode.SYMLINK.equals(mode)) {
      byte[] target = reader.open(id, Constants.OBJ_BLOB).getCachedBytes(4096);
      return new TreePaths.Entry(
          TreePaths.Type.LINK, id.name(), new String(target, StandardCharsets.UTF_8));
    }
    if (FileMode.GITLINK.equals(mode)) {
      return new TreePaths.Entry(TreePaths.Type.SUBMODULE, id.name(), null);
    }
    return new TreePaths.Entry(TreePaths.Type.FILE, id.name(), null);
  }
}
