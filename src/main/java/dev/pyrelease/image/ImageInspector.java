package dev.pyrelease.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;

/**
 * Reads images without writing any: whether a tag exists, a base's PATH and layers, the SBOM of a
 * dependency image, a file of a base's filesystem, the layers of a pushed manifest. Every registry
 * call goes through one {@link RegistryHttp}, shared with the writer and the base digest resolver
 * of a build, so that all of them use its connections and what it learnt (plain HTTP, tokens).
 * Instances keep only content-addressed answers and may be shared.
 */
public final class ImageInspector {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegistryHttp registry;

  private final ImageFiles files;

  /**
   * SBOMs read from dependency images, by image reference: a {@code deps-<key>} tag names the same
   * content whenever it exists (the key covers every input), so a watch session reads each once.
   */
  private final Map<String, Optional<byte[]>> sboms = new ConcurrentHashMap<>();

  /**
   * @param cacheDir where answers about base files are kept across runs ({@code image-files/} under
   *     it), or null for memory only
   */
  public ImageInspector(RegistryHttp registry, Path cacheDir) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.files =
        new ImageFiles(registry, cacheDir == null ? null : cacheDir.resolve("image-files"));
  }

  /**
   * Whether an image (tag or digest) exists: a manifest HEAD with the same credentials and
   * insecure-access settings as pushes.
   *
   * @throws ImageException when the registry is unreachable or refuses access
   */
  public boolean exists(ImageRef image) throws ImageException {
    return registry.manifestDigest(image).isPresent();
  }

  /** The manifest digest of an image (tag or digest), or empty when it does not exist. */
  public Optional<String> digestOf(ImageRef image) throws ImageException {
    return registry.manifestDigest(image);
  }

  /**
   * The {@value Sbom#FILE_NAME} inside an image pyrelease pushed: its {@value LayerPlan#SBOM} layer
   * (found by the config's history comment) is fetched and read, a few KiB. A build that reuses a
   * dependency image reports the wheel hashes from it, as the build that made the image did. Empty
   * when the image has no such layer.
   *
   * @throws ImageException when the registry is unreachable or refuses access, or the image is
   *     missing
   */
  public Optional<Sbom> sbomOf(ImageRef image) throws ImageException {
    Optional<byte[]> file = sbomFileOf(image);
    if (file.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Sbom.parse(file.get()));
    } catch (IOException e) {
      throw new ImageException(
          "cannot read the SBOM of " + image + ": " + e.getMessage(), image.registry(), e);
    }
  }

  /**
   * The bytes of the {@value Sbom#FILE_NAME} in an image pyrelease pushed ({@link #sbomOf}), empty
   * when it has none (an image pushed before the SBOM was CycloneDX has none).
   */
  public Optional<byte[]> sbomFileOf(ImageRef image) throws ImageException {
    Optional<byte[]> known = sboms.get(image.toString());
    if (known != null) {
      return known;
    }
    JsonNode manifest = RegistryHttp.json(registry.imageManifest(image), image);
    String config = configDigest(manifest, image);
    Optional<byte[]> sbom;
    try {
      String digest = sbomLayer(manifest, JSON.readTree(registry.blob(image, config)));
      sbom = digest == null ? Optional.empty() : sbomIn(registry.blob(image, digest));
    } catch (IOException e) {
      throw new ImageException(
          "cannot read the " + LayerPlan.SBOM + " layer of " + image + ": " + e.getMessage(),
          image.registry(),
          e);
    }
    sboms.put(image.toString(), sbom);
    return sbom;
  }

  /**
   * A file of the {@value LayerPlan#SBOM} layer of an image pyrelease pushed (its SBOM and rebase
   * record), by name; empty when the image has no such layer or file. The layer is a few KiB.
   *
   * @throws ImageException when the registry is unreachable or refuses access, or the image is
   *     missing
   */
  public Optional<byte[]> venvRecordFile(ImageRef image, String fileName) throws ImageException {
    JsonNode manifest = RegistryHttp.json(registry.imageManifest(image), image);
    String config = configDigest(manifest, image);
    try {
      String digest = sbomLayer(manifest, JSON.readTree(registry.blob(image, config)));
      if (digest == null) {
        return Optional.empty();
      }
      Map<String, byte[]> files =
          TarLayers.jsonFiles(
              new GZIPInputStream(new ByteArrayInputStream(registry.blob(image, digest))));
      return files.entrySet().stream()
          .filter(e -> e.getKey().endsWith("/" + fileName))
          .map(Map.Entry::getValue)
          .findFirst();
    } catch (IOException e) {
      throw new ImageException(
          "cannot read the " + LayerPlan.SBOM + " layer of " + image + ": " + e.getMessage(),
          image.registry(),
          e);
    }
  }

  /** The labels in an image's config (empty when it has none). */
  public Map<String, String> labelsOf(ImageRef image) throws ImageException {
    JsonNode manifest = RegistryHttp.json(registry.imageManifest(image), image);
    String config = configDigest(manifest, image);
    try {
      Map<String, String> out = new java.util.TreeMap<>();
      JSON.readTree(registry.blob(image, config))
          .path("config")
          .path("Labels")
          .fields()
          .forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
      return out;
    } catch (IOException e) {
      throw new ImageException(
          "cannot read the config of " + image + ": " + e.getMessage(), image.registry(), e);
    }
  }

  /**
   * The digest of the layer whose history entry has the comment {@value LayerPlan#SBOM} (empty
   * layers have history entries but no layer), or null.
   */
  private static String sbomLayer(JsonNode manifest, JsonNode config) {
    int layer = 0;
    String digest = null;
    for (JsonNode h : config.path("history")) {
      if (h.path("empty_layer").asBoolean(false)) {
        continue;
      }
      if (LayerPlan.SBOM.equals(h.path("comment").asText())) {
        digest = manifest.path("layers").path(layer).path("digest").asText(null);
      }
      layer++;
    }
    return digest;
  }

  /** The SBOM file of a gzipped layer blob, if it has one. */
  private static Optional<byte[]> sbomIn(byte[] blob) throws IOException {
    Map<String, byte[]> files =
        TarLayers.jsonFiles(new GZIPInputStream(new ByteArrayInputStream(blob)));
    byte[] json =
        files.entrySet().stream()
            .filter(e -> e.getKey().endsWith("/" + Sbom.FILE_NAME))
            .map(Map.Entry::getValue)
            .findFirst()
            .orElse(null);
    return Optional.ofNullable(json);
  }

  /**
   * The sha256 of the regular file at an absolute path of an image's filesystem (its layers read
   * bottom-up, whiteouts applied); empty when it has no regular file there.
   *
   * @throws ImageException when the image cannot be read
   */
  public Optional<String> fileSha256(BaseImage image, String path) throws ImageException {
    return files.sha256(image, path);
  }

  /**
   * The PATH in a base image's config ({@link ImageSettings#DEFAULT_BASE_PATH} when it sets none).
   * For a registry image this is a manifest and a config fetch, and doubles as an early check that
   * the base exists and is readable.
   *
   * @throws ImageException when the base is missing or its registry unreachable or refusing
   */
  public String basePathOf(BaseImage base) throws ImageException {
    if (base instanceof BaseImage.Registry r) {
      return baseManifest(r).path();
    }
    BaseImage.Tar t = (BaseImage.Tar) base;
    if (!Files.isRegularFile(t.file())) {
      throw new BaseImageNotFoundException(t.toString(), null, null);
    }
    try {
      return pathOf(TarLayers.configEnv(t.file()));
    } catch (IOException e) {
      throw Failures.map(e, base, null);
    }
  }

  /** A registry base's layer digests and the PATH of its config. */
  record BaseManifest(List<String> layers, String path) {}

  /** The layer digests and PATH of a registry base: its manifest and its config. */
  BaseManifest baseManifest(BaseImage.Registry base) throws ImageException {
    ImageRef ref = base.ref();
    JsonNode manifest = RegistryHttp.json(registry.imageManifest(ref), ref);
    String config = configDigest(manifest, ref);
    List<String> layers = new ArrayList<>();
    manifest.path("layers").forEach(l -> layers.add(l.path("digest").asText()));
    List<String> env = new ArrayList<>();
    try {
      JSON.readTree(registry.blob(ref, config))
          .path("config")
          .path("Env")
          .forEach(n -> env.add(n.asText()));
    } catch (IOException e) {
      throw new ImageException("the config of " + ref + " is not JSON", ref.registry(), e);
    }
    return new BaseManifest(layers, pathOf(env));
  }

  /** The layer blobs of the manifest {@code image} names (by digest: what a push just wrote). */
  List<LayerBlob> layers(ImageRef image) throws ImageException {
    List<LayerBlob> out = new ArrayList<>();
    for (JsonNode l : RegistryHttp.json(registry.manifest(image), image).path("layers")) {
      out.add(new LayerBlob(l.path("digest").asText(), l.path("size").asLong()));
    }
    return out;
  }

  private static String configDigest(JsonNode manifest, ImageRef ref) throws ImageException {
    String config = manifest.path("config").path("digest").asText(null);
    if (config == null) {
      throw new ImageException("unsupported manifest for " + ref, ref.registry(), null);
    }
    return config;
  }

  /** The last PATH of a config's Env, or {@link ImageSettings#DEFAULT_BASE_PATH}. */
  private static String pathOf(List<String> env) {
    return env.stream()
        .filter(v -> v.startsWith("PATH="))
        .map(v -> v.substring(5))
        .reduce((a, b) -> b)
        .orElse(ImageSettings.DEFAULT_BASE_PATH);
  }
}
