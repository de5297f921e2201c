package dev.pyrelease.image;

import java.nio.file.Path;
import java.util.Objects;

/** Where the base image comes from: a registry, or a {@code docker save} archive. */
public sealed interface BaseImage {

  /** A base image in a registry (credentials and insecure access per {@link RegistryOptions}). */
  record Registry(ImageRef ref) implements BaseImage {
    public Registry {
      Objects.requireNonNull(ref, "ref");
    }

    @Override
    public String toString() {
      return ref.toString();
    }
  }

  /** A base image in a docker-save tar archive (as written by {@code docker save}/skopeo). */
  record Tar(Path file) implements BaseImage {
    public Tar {
      Objects.requireNonNull(file, "file");
    }

    @Override
    public String toString() {
      return "tar:" + file;
    }
  }

  /** A registry base image. */
  static BaseImage registry(ImageRef ref) {
    return new Registry(ref);
  }

  /** A registry base image from a reference string. */
  static BaseImage registry(String reference) {
    return new Registry(ImageRef.parse(reference));
  }

  /** A base image in a docker-save archive. */
  static BaseImage tar(Path file) {
    return new Tar(file);
  }
}
