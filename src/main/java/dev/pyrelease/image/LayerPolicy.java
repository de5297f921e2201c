package dev.pyrelease.image;

/**
 * How distributions are spread over layers: a distribution whose installed size is at least {@code
 * largeBytes} gets a layer of its own; the others share {@code buckets} layers, assigned by a
 * stable hash of the normalised name.
 *
 * @param largeBytes the size from which a distribution gets its own layer (default 1 MiB)
 * @param buckets how many shared layers the small distributions are spread over (default 4)
 */
public record LayerPolicy(long largeBytes, int buckets) {

  /** 1 MiB, 4 buckets. */
  public static final LayerPolicy DEFAULT = new LayerPolicy(1024 * 1024, 4);

  public LayerPolicy {
    if (largeBytes < 0) {
      throw new IllegalArgumentException("largeBytes must be >= 0: " + largeBytes);
    }
    if (buckets < 1) {
      throw new IllegalArgumentException("buckets must be >= 1: " + buckets);
    }
  }
}
