package dev.pyrelease.image;

import java.time.Duration;
import java.util.List;

/**
 * What a push (or tar write) produced.
 *
 * @param image the image by digest: {@code registry/repository@sha256:...} (for a tar, the name
 *     recorded in it {@code @digest})
 * @param digest the manifest digest, {@code sha256:...}
 * @param tags the tags pushed (or recorded in the tar)
 * @param layers our layers (not the base image's), in image order
 * @param elapsed wall time of the build and push
 */
public record ImageResult(
    String image, String digest, List<String> tags, List<LayerResult> layers, Duration elapsed) {

  public ImageResult {
    tags = List.copyOf(tags);
    layers = List.copyOf(layers);
  }

  /**
   * One of our layers.
   *
   * @param name the planned layer's name
   * @param digest the compressed blob's digest
   * @param sizeBytes the compressed blob's size
   * @param uploaded true when its bytes were sent (pushed, or written into a tar); false when the
   *     registry already had the blob
   */
  public record LayerResult(String name, String digest, long sizeBytes, boolean uploaded) {}

  /** The layers whose bytes were sent. */
  public List<LayerResult> uploadedLayers() {
    return layers.stream().filter(LayerResult::uploaded).toList();
  }

  /** Bytes sent for our layers. */
  public long uploadedBytes() {
    return layers.stream().filter(LayerResult::uploaded).mapToLong(LayerResult::sizeBytes).sum();
  }
}
