package dev.pyrelease.index;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A read-only view of a Python package index (PEP 503 simple index or pip find-links). Thread-safe;
 * results are cached for the lifetime of the instance (one run).
 */
public interface PackageIndex extends AutoCloseable {

  /** Opens the standard HTTP/{@code file://} client. */
  static PackageIndex open(IndexLocation location, IndexConfig config) {
    return new HttpPackageIndex(location, config);
  }

  /**
   * All files (wheels and sdists) of a project, in index order.
   *
   * @param normalizedProjectName PEP 503 normalised name (normalised again defensively)
   * @throws IndexException {@code NOT_FOUND} when the index has no such project, {@code
   *     UNREACHABLE} when the index cannot be read
   */
  List<IndexFile> files(String normalizedProjectName);

  /**
   * Files of many projects, fetched concurrently. The map iterates in the order of {@code names}
   * and is keyed by the names as given; a project the index does not have is <b>absent</b> from the
   * map (the caller reports it).
   *
   * @throws IndexException {@code UNREACHABLE} (the first one in {@code names} order) if any page
   *     could not be read
   */
  Map<String, List<IndexFile>> files(List<String> names);

  /**
   * The core metadata ({@code METADATA} / {@code PKG-INFO}) text of a file: the PEP 658 {@code
   * .metadata} file when offered (hash-checked), else read out of the wheel (range requests when
   * the server supports them, else a full, hash-checked download; {@code file://} archives are
   * opened in place), or {@code PKG-INFO} out of an sdist.
   *
   * @throws IndexException {@code UNREACHABLE}, {@code HASH_MISMATCH} or {@code INVALID}
   */
  String metadata(IndexFile file);

  /**
   * Metadata of many files, fetched concurrently; iteration order follows {@code files}.
   *
   * @throws IndexException the first failure in {@code files} order
   */
  Map<IndexFile, String> metadata(Collection<IndexFile> files);

  /** Releases the worker threads. Idempotent. */
  @Override
  void close();
}
