package dev.pyrelease.image;

import java.util.List;
import java.util.Objects;

/**
 * A layer to build: a name (e.g. {@code venv-skeleton}, {@code dist-django}, {@code deps-bucket-2},
 * {@code app}) and its files, sorted by target path. Parent directories are implied (Jib adds them
 * with mode 755).
 *
 * @param name the layer's name (reported back in {@link ImageResult})
 * @param files the layer's files, sorted by {@link LayerFile#target()}
 */
public record PlannedLayer(String name, List<LayerFile> files) {
  public PlannedLayer {
    Objects.requireNonNull(name, "name");
    files = List.copyOf(files);
  }

  /** Whether the layer has no files. */
  public boolean isEmpty() {
    return files.isEmpty();
  }
}
