package dev.pyrelease.image;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import java.util.Objects;

/**
 * A registry image reference: {@code registry/repository[:tag][@sha256:digest]}.
 *
 * @param registry host[:port], e.g. {@code 127.0.0.1:5000}
 * @param repository e.g. {@code web/shop}
 * @param tag a tag, or {@code null}
 * @param digest {@code sha256:...}, or {@code null}
 */
public record ImageRef(String registry, String repository, String tag, String digest) {

  public ImageRef {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(repository, "repository");
  }

  /**
   * Parses a reference. A name without a registry part means Docker Hub, as everywhere.
   *
   * @throws IllegalArgumentException when it is not a valid reference
   */
  public static ImageRef parse(String reference) {
    try {
      ImageReference r = ImageReference.parse(reference);
      return new ImageRef(
          r.getRegistry(), r.getRepository(), r.getTag().orElse(null), r.getDigest().orElse(null));
    } catch (InvalidImageReferenceException e) {
      throw new IllegalArgumentException("not an image reference: " + reference, e);
    }
  }

  /** The repository alone, {@code registry/repository}. */
  public String repositoryName() {
    return registry + "/" + repository;
  }

  /** This repository with that tag (and no digest). */
  public ImageRef withTag(String newTag) {
    return new ImageRef(registry, repository, newTag, null);
  }

  /** This repository with that digest (and no tag). */
  public ImageRef withDigest(String newDigest) {
    return new ImageRef(registry, repository, null, newDigest);
  }

  /** The tag or digest a registry is asked for ({@code latest} when neither is set). */
  public String qualifier() {
    return digest != null ? digest : tag != null ? tag : "latest";
  }

  ImageReference toJib() {
    return ImageReference.of(registry, repository, tag, digest);
  }

  @Override
  public String toString() {
    return repositoryName() + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
  }
}
