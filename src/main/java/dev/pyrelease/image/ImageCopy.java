package dev.pyrelease.image;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies an image into another repository of the same registry without moving a layer: every blob
 * is mounted from the source repository, then the manifest is put under the same digest (and a tag,
 * when given). What "promote the staging image to production" is, when both are on one registry.
 * The credentials are the target's: a copy is refused where they cannot read the source.
 */
public final class ImageCopy {
  private final RegistryHttp registry;

  public ImageCopy(RegistryHttp registry) {
    this.registry = registry;
  }

  /**
   * @param source the image, named by digest ({@code registry/repo@sha256:…})
   * @param target the repository to copy into (its tag, if any, is put too)
   * @return the copy, {@code registry/target@sha256:…} (the source's digest)
   * @throws ImageException another registry (that would move every layer), a blob the registry
   *     would not mount, or any registry error
   */
  public ImageRef copy(ImageRef source, ImageRef target) throws ImageException {
    if (source.digest() == null) {
      throw new ImageException(
          "the image to copy must be named by digest: " + source, source.registry(), null);
    }
    if (!source.registry().equals(target.registry())) {
      throw new ImageException(
          "cannot copy "
              + source
              + " to "
              + target.repositoryName()
              + " without moving every layer: they are on different registries",
          target.registry(),
          null);
    }
    RegistryHttp.Manifest m = registry.manifest(source);
    JsonNode json = RegistryHttp.json(m, source);
    ImageRef into = new ImageRef(target.registry(), target.repository(), null, null);
    if (json.has("manifests")) {
      // an index: each image it lists first, then the index
      for (JsonNode child : json.path("manifests")) {
        copy(source.withDigest(child.path("digest").asText()), into);
      }
    } else {
      for (String blob : blobs(json)) {
        if (!registry.mountBlob(into, blob, source.repository()) && !registry.hasBlob(into, blob)) {
          throw new ImageException(
              "registry "
                  + target.registry()
                  + " would not mount blob "
                  + blob
                  + " of "
                  + source.repositoryName()
                  + " into "
                  + target.repositoryName()
                  + " (the target's credentials may not read the source repository)",
              target.registry(),
              null);
        }
      }
    }
    String put = registry.putManifest(into.withDigest(source.digest()), m.mediaType(), m.body());
    if (!source.digest().equals(put)) {
      throw new ImageException(
          "registry " + target.registry() + " stored the copy of " + source + " as " + put,
          target.registry(),
          null);
    }
    if (target.tag() != null) {
      registry.putManifest(into.withTag(target.tag()), m.mediaType(), m.body());
    }
    return into.withDigest(source.digest());
  }

  private static List<String> blobs(JsonNode manifest) {
    List<String> out = new ArrayList<>();
    String config = manifest.path("config").path("digest").asText("");
    if (!config.isEmpty()) {
      out.add(config);
    }
    for (JsonNode l : manifest.path("layers")) {
      out.add(l.path("digest").asText());
    }
    return out;
  }
}
