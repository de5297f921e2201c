package dev.pyrelease.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pyrelease.http.Digests;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SBOM pushed beside an image as an OCI artifact: an OCI image manifest with {@code
 * artifactType} {@value Sbom#MEDIA_TYPE}, the empty config, the SBOM as its one layer and the image
 * as its {@code subject}, tagged {@code sha256-<image digest hex>.sbom} in the image's repository.
 *
 * <p>The tag is what registries without the OCI 1.1 referrers API (distribution 2.x, the one the
 * tests run) can answer, and it is the name cosign gives an image's SBOM; a registry with the
 * referrers API lists it as a referrer of the image through {@code subject} as well.
 */
final class SbomArtifact {
  static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
  static final String EMPTY_TYPE = "application/vnd.oci.empty.v1+json";
  static final byte[] EMPTY = "{}".getBytes(StandardCharsets.UTF_8);

  private static final ObjectMapper JSON = new ObjectMapper();

  private SbomArtifact() {}

  /** The tag of an image's SBOM: {@code sha256-<hex>.sbom}. */
  static String tagFor(String imageDigest) {
    if (imageDigest == null || !imageDigest.matches("sha256:[0-9a-f]{64}")) {
      throw new IllegalArgumentException("not a sha256 digest: " + imageDigest);
    }
    return imageDigest.replace(':', '-') + ".sbom";
  }

  /**
   * Pushes {@code sbom} as the artifact of {@code image} (a digest reference in its repository).
   *
   * @return {@code repository:sha256-<hex>.sbom@sha256:<artifact digest>}
   */
  static ImageRef push(RegistryHttp http, ImageRef image, byte[] sbom) throws ImageException {
    RegistryHttp.Manifest subject = http.manifest(image);
    String sbomDigest = "sha256:" + Digests.sha256(sbom);
    String emptyDigest = "sha256:" + Digests.sha256(EMPTY);
    if (!http.hasBlob(image, emptyDigest)) {
      http.pushBlob(image, emptyDigest, HttpRequest.BodyPublishers.ofByteArray(EMPTY));
    }
    if (!http.hasBlob(image, sbomDigest)) {
      http.pushBlob(image, sbomDigest, HttpRequest.BodyPublishers.ofByteArray(sbom));
    }
    byte[] manifest =
        manifest(
            descriptor(EMPTY_TYPE, emptyDigest, EMPTY.length, null),
            descriptor(
                Sbom.MEDIA_TYPE,
                sbomDigest,
                sbom.length,
                Map.of("org.opencontainers.image.title", Sbom.FILE_NAME)),
            descriptor(subject.mediaType(), subject.digest(), subject.body().length, null));
    ImageRef tagged = image.withTag(tagFor(image.digest()));
    String digest = http.putManifest(tagged, MANIFEST_TYPE, manifest);
    return new ImageRef(tagged.registry(), tagged.repository(), tagged.tag(), digest);
  }

  static byte[] manifest(
      Map<String, Object> config, Map<String, Object> layer, Map<String, Object> subject) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schemaVersion", 2);
    m.put("mediaType", MANIFEST_TYPE);
    m.put("artifactType", Sbom.MEDIA_TYPE);
    m.put("config", config);
    m.put("layers", List.of(layer));
    m.put("subject", subject);
    try {
      return JSON.writeValueAsBytes(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Object> descriptor(
      String mediaType, String digest, long size, Map<String, String> annotations) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("mediaType", mediaType);
    d.put("digest", digest);
    d.put("size", size);
    if (annotations != null) {
      d.put("annotations", annotations);
    }
    return d;
  }
}
