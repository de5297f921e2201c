package dev.pyrelease.python;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Real METADATA files copied from wheels on the local index, see resources/.../metadata. */
final class Fixtures {
  private Fixtures() {}

  static String metadataText(String nameAndVersion) {
    String path = "metadata/" + nameAndVersion + ".METADATA";
    try (InputStream in = Fixtures.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static CoreMetadata metadata(String nameAndVersion) {
    return CoreMetadata.parse(metadataText(nameAndVersion));
  }

  /** METADATA keyed by normalised name for the given "name-version" fixtures. */
  static Map<String, CoreMetadata> index(String... namesAndVersions) {
    Map<String, CoreMetadata> index = new LinkedHashMap<>();
    for (String nv : namesAndVersions) {
      CoreMetadata md = metadata(nv);
      index.put(md.normalizedName(), md);
    }
    return index;
  }
}
