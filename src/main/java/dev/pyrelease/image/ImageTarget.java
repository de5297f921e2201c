package dev.pyrelease.image;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** Where a built image goes: a registry repository, or a tar file. */
public sealed interface ImageTarget {

  /**
   * Push to a registry.
   *
   * @param image the repository, optionally with a tag (pushed as that tag)
   * @param additionalTags more tags to push the same image as
   */
  record Registry(ImageRef image, List<String> additionalTags) implements ImageTarget {
    public Registry {
      Objects.requireNonNull(image, "image");
      if (image.digest() != null) {
        throw new IllegalArgumentException("cannot push to a digest: " + image);
      }
      additionalTags = List.copyOf(additionalTags);
    }

    @Override
    public String toString() {
      return image.toString();
    }
  }

  /**
   * Write an archive.
   *
   * @param file the tar file to write
   * @param name the image name recorded in the archive (what {@code podman load} tags)
   * @param format {@link TarFormat#DOCKER} ({@code docker load}) or {@link TarFormat#OCI}
   */
  record Tar(Path file, ImageRef name, TarFormat format) implements ImageTarget {
    public Tar {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(format, "format");
    }

    @Override
    public String toString() {
      return format.name().toLowerCase(java.util.Locale.ROOT) + "-archive:" + file;
    }
  }

  /** The kinds of archive. */
  enum TarFormat {
    /** docker-save layout, Docker v2.2 manifest and config. */
    DOCKER,
    /** OCI image layout in a tar, OCI manifest and config. */
    OCI
  }

  /** Push to {@code image} (and its tag, if any) plus {@code additionalTags}. */
  static ImageTarget registry(ImageRef image, String... additionalTags) {
    return new Registry(image, List.of(additionalTags));
  }

  /** Write a docker-load archive naming the image {@code name}. */
  static ImageTarget tar(Path file, ImageRef name) {
    return new Tar(file, name, TarFormat.DOCKER);
  }
}
