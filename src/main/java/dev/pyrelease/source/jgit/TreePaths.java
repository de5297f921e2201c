package dev.pyrelease.source.jgit;

import dev.pyrelease.source.SourceException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Paths inside a commit's tree: validation of caller-given paths, and resolution that follows
 * symlinks the way the file system would, confined to the tree. {@code ..} in a link target is
 * physical (the parent of where the link's directory really is), so a chain of links cannot climb
 * out of the tree unnoticed.
 */
final class TreePaths {
  /** Most links followed while resolving one path (Linux allows 40). */
  static final int MAX_LINKS = 40;

  private TreePaths() {}

  /** What a tree holds at a path. */
  enum Type {
    FILE,
    EXECUTABLE,
    LINK,
    DIRECTORY,
    SUBMODULE
  }

  /** One entry; {@code linkTarget} is set for links. */
  record Entry(Type type, String objectId, String linkTarget) {}

  private static final Entry ROOT = new Entry(Type.DIRECTORY, null, null);

  /** Looks up one path (components joined by {@code /}) without following links. */
  interface Lookup {
    /** The entry at {@code path}, or null; {@code ""} is the root directory. */
    Entry get(String path);
  }

  /** How a resolution ended. */
  enum Outcome {
    FOUND,
    MISSING,
    ESCAPES,
    TOO_MANY_LINKS,
    NOT_A_DIRECTORY
  }

  /** The result: the entry (FOUND), the physical path reached, and the path that failed. */
  record Resolution(Outcome outcome, Entry entry, String path) {}

  /**
   * The components of a caller-given relative path ({@code requirements/prod.txt}); {@code ""} and
   * {@code .} give no components (the root).
   *
   * @throws SourceException INVALID for absolute paths, {@code ..}, NUL
   */
  static List<String> components(String path) {
    if (path == null) {
      throw new SourceException(SourceException.Kind.INVALID, "no path given");
    }
    if (path.startsWith("/") || path.matches("(?s)[A-Za-z]:[\\\\/].*") || path.startsWith("\\")) {
      throw new SourceException(
          SourceException.Kind.INVALID,
          "path '" + path + "' is absolute; give a path relative to the repository root");
    }
    if (path.indexOf('\0') >= 0) {
      throw new SourceException(SourceException.Kind.INVALID, "path contains a NUL character");
    }
    List<String> out = new ArrayList<>();
    for (String c : path.split("/")) {
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        throw new SourceException(
            SourceException.Kind.INVALID,
            "path '" + path + "' contains '..'; give a path inside the repository");
      }
      out.add(c);
    }
    return out;
  }

  /**
   * Resolves {@code components} from the root, following links (also a link as the last component).
   */
  static Resolution resolve(Lookup lookup, List<String> components) {
    Deque<String> todo = new ArrayDeque<>(components);
    List<String> at = new ArrayList<>();
    int links = 0;
    Entry last = ROOT;
    while (!todo.isEmpty()) {
      String name = todo.pollFirst();
      if (name.isEmpty() || name.equals(".")) {
        continue;
      }
      if (name.equals("..")) {
        if (at.isEmpty()) {
          return new Resolution(Outcome.ESCAPES, null, "..");
        }
        at.remove(at.size() - 1);
        last = ROOT; // a parent is a directory
        continue;
      }
      String path = at.isEmpty() ? name : String.join("/", at) + "/" + name;
      Entry e = lookup.get(path);
      if (e == null) {
        return new Resolution(Outcome.MISSING, null, path);
      }
      switch (e.type()) {
        case LINK -> {
          if (++links > MAX_LINKS) {
            return new Resolution(Outcome.TOO_MANY_LINKS, null, path);
          }
          String target = e.linkTarget();
          if (target.startsWith("/") || target.isEmpty()) {
            return new Resolution(Outcome.ESCAPES, e, path);
          }
          String[] parts = target.split("/");
          for (int i = parts.length - 1; i >= 0; i--) {
            todo.addFirst(parts[i]);
          }
        }
        case DIRECTORY -> {
          at.add(name);
          last = e;
        }
        case FILE, EXECUTABLE, SUBMODULE -> {
          if (!todo.isEmpty()) {
            return new Resolution(Outcome.NOT_A_DIRECTORY, e, path);
          }
          at.add(name);
          last = e;
        }
      }
    }
    return new Resolution(Outcome.FOUND, last, String.join("/", at));
  }
}
