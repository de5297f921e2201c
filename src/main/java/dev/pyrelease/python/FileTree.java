package dev.pyrelease.python;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The read-only tree the requirements reader reads from: a checkout on disk ({@link
 * #directory(Path)}) or a commit in git (the source package's implementation). One reader over both
 * is what makes {@code pyrelease check} and the operator agree on every requirements tree: includes
 * are found by parsing, never by a second scanner, and links are confined to the tree.
 */
public interface FileTree {

  /** What a path names once links are followed. */
  enum Kind {
    FILE,
    DIRECTORY,
    /** nothing there (also a dangling link, a link loop, a file used as a directory) */
    MISSING,
    /** a link leads out of the tree */
    OUTSIDE
  }

  /**
   * @param realPath the physical path reached (links followed): the identity of a file, so that two
   *     names for one file are read once and an include cycle through a link is seen
   */
  record Entry(Kind kind, String realPath) {
    public static final Entry MISSING = new Entry(Kind.MISSING, null);
    public static final Entry OUTSIDE = new Entry(Kind.OUTSIDE, null);
  }

  /**
   * @param path relative to the root, {@code /}-separated, lexically normalised ({@code ""} is the
   *     root); never climbs above the root
   */
  Entry resolve(String path);

  /** The size in bytes of a {@link Kind#FILE} entry. */
  long size(Entry file) throws IOException;

  /** The bytes of a {@link Kind#FILE} entry. */
  byte[] read(Entry file) throws IOException;

  /** A directory on disk, links followed as the file system follows them. */
  static FileTree directory(Path root) {
    return new DirectoryTree(root);
  }
}
