package dev.pyrelease.release;

import dev.pyrelease.api.v1alpha1.IndexSpec;
import dev.pyrelease.index.IndexLocation;

/** Where a release's packages come from: {@code spec.index}, read in this one place. */
public final class IndexLocations {
  private IndexLocations() {}

  /** {@code index.url} (a PEP 503 simple index), else {@code index.findLinks}. */
  public static IndexLocation of(IndexSpec index) {
    return index.getUrl() != null
        ? IndexLocation.simple(index.getUrl())
        : IndexLocation.findLinks(index.getFindLinks());
  }

  /**
   * The CLI's {@code --index-url}, when given, instead of the spec's (a developer's mirror of the
   * same index).
   */
  public static IndexLocation of(IndexSpec index, String indexUrlOverride) {
    return indexUrlOverride != null ? IndexLocation.simple(indexUrlOverride) : of(index);
  }
}
