package dev.pyrelease.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.blob.BlobDescriptor;
import com.google.cloud.tools.jib.image.Image;
import com.google.cloud.tools.jib.image.LayerCountMismatchException;
import com.google.cloud.tools.jib.image.LayerPropertyNotFoundException;
import com.google.cloud.tools.jib.image.json.BadContainerConfigurationFormatException;
import com.google.cloud.tools.jib.image.json.BuildableManifestTemplate;
import com.google.cloud.tools.jib.image.json.ContainerConfigurationTemplate;
import com.google.cloud.tools.jib.image.json.ImageToJsonTranslator;
import com.google.cloud.tools.jib.image.json.JsonToImageTranslator;
import com.google.cloud.tools.jib.image.json.OciManifestTemplate;
import com.google.cloud.tools.jib.image.json.V22ManifestTemplate;
import com.google.cloud.tools.jib.json.JsonTemplateMapper;
import dev.pyrelease.http.Digests;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Pushes a release as one layer on an image that is already in the target repository (its
 * dependency image), with the registry calls that takes and no more: the base's manifest (and its
 * config, once per config digest), a HEAD and an upload for the new layer and for the config, and
 * the manifest PUT per tag, which comes last so that no tag names a half-pushed image.
 *
 * <p>Jib's containerize of the same image took ~170 ms warm on the Django example: its step graph,
 * a new HTTP client per build (a connection per request, and two failed TLS handshakes to learn
 * again that a loopback registry is plain HTTP), a HEAD for each of the base's layers (all in this
 * repository by construction) and a read-back of the pushed manifest. The bytes are still Jib's:
 * the layer tar from Jib's reproducible layer builder, gzip as Jib's cache writes an app layer, the
 * config and manifest from Jib's translator over {@link ImageOnBase#compose}. {@code
 * ImageWriterRegistryTest} checks the digests equal the ones Jib's containerize gives.
 */
final class AppLayerPush {
  private final RegistryHttp http;

  /** Base configs by digest (content-addressed): a watch session fetches its base's once. */
  private final Map<String, ContainerConfigurationTemplate> configs = new ConcurrentHashMap<>();

  /** Threads for the calls made in parallel (daemons: a stop does not wait for them). */
  private final ExecutorService calls =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "pyrelease-push");
            t.setDaemon(true);
            return t;
          });

  AppLayerPush(RegistryHttp http) {
    this.http = http;
  }

  /**
   * @param base an image in {@code target}'s repository
   * @param layer the layer to add (none when empty: the result is the base with {@code s})
   * @param progress what is pushed, for the log
   * @param superseded asked once every blob is in the registry, just before the tags are written:
   *     true means the inputs changed meanwhile, and nothing is tagged
   * @throws SupersededException when {@code superseded} said so
   */
  ImageResult push(
      ImageRef base,
      PlannedLayer layer,
      ImageSettings s,
      ImageTarget.Registry target,
      Consumer<String> progress,
      BooleanSupplier superseded)
      throws ImageException, IOException {
    long start = System.nanoTime();
    ImageRef repo = target.image();
    // the base's manifest is fetched while the layer is built, and the layer uploaded while the
    // config is made and uploaded: the registry's ~5 ms per call is most of an app-only push
    CompletableFuture<Image> baseImage = async(() -> baseImage(base));

    List<ImageOnBase.BuiltLayer> built = new ArrayList<>();
    List<ImageResult.LayerResult> results = new ArrayList<>();
    CompletableFuture<Boolean> layerSent = CompletableFuture.completedFuture(false);
    Path blobFile = null;
    try {
      if (!layer.isEmpty()) {
        blobFile = Files.createTempFile("pyrelease-layer-", ".tar.gz");
        ImageOnBase.BuiltLayer l = build(layer, blobFile);
        built.add(l);
        String digest = l.blob().getDigest().toString();
        Path file = blobFile;
        layerSent =
            async(
                () -> {
                  if (http.hasBlob(repo, digest)) {
                    progress.accept("The registry has the " + layer.name() + " layer " + digest);
                    return false;
                  }
                  progress.accept(
                      "Pushing the "
                          + layer.name()
                          + " layer "
                          + digest
                          + " ("
                          + l.blob().getSize()
                          + " B)");
                  http.pushBlob(repo, digest, HttpRequest.BodyPublishers.ofFile(file));
                  return true;
                });
      }
      Image image =
          ImageOnBase.compose(
              join(baseImage), built, ImageOnBase.containerConfiguration(s), ImageOnBase.format(s));
      ImageToJsonTranslator json = new ImageToJsonTranslator(image);
      byte[] config = JsonTemplateMapper.toByteArray(json.getContainerConfiguration());
      String configDigest = "sha256:" + Digests.sha256(config);
      if (!http.hasBlob(repo, configDigest)) {
        http.pushBlob(repo, configDigest, HttpRequest.BodyPublishers.ofByteArray(config));
      }
      boolean sent = join(layerSent);
      for (ImageOnBase.BuiltLayer l : built) {
        results.add(
            new ImageResult.LayerResult(
                l.name(), l.blob().getDigest().toString(), l.blob().getSize(), sent));
      }
      BuildableManifestTemplate manifest =
          json.getManifestTemplate(
              ImageOnBase.format(s),
              new BlobDescriptor(config.length, DescriptorDigest.fromDigest(configDigest)));
      byte[] manifestBytes = JsonTemplateMapper.toByteArray(manifest);
      String digest = "sha256:" + Digests.sha256(manifestBytes);
      List<String> tags = tags(target);
      if (superseded.getAsBoolean()) {
        throw new SupersededException(repo.repositoryName() + "@" + digest);
      }
      http.putManifestTagged(
          repo, manifest.getManifestMediaType(), manifestBytes, digest, tags, progress);
      return new ImageResult(
          repo.repositoryName() + "@" + digest,
          digest,
          tags,
          results,
          Duration.ofNanos(System.nanoTime() - start));
    } catch (DigestException e) {
      throw new IllegalStateException(e); // a sha256 we computed
    } finally {
      if (blobFile != null) {
        layerSent.handle((sent, failed) -> sent).join(); // the upload reads the file
        Files.deleteIfExists(blobFile);
      }
    }
  }

  /** A registry call that may fail: what {@link #async} runs. */
  private interface Call<T> {
    T call() throws ImageException, IOException;
  }

  private <T> CompletableFuture<T> async(Call<T> call) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return call.call();
          } catch (ImageException | IOException e) {
            throw new CompletionException(e);
          }
        },
        calls);
  }

  /** The future's value, or the ImageException or IOException it failed with. */
  private static <T> T join(CompletableFuture<T> f) throws ImageException, IOException {
    try {
      return f.join();
    } catch (CompletionException | java.util.concurrent.CancellationException e) {
      Throwable t = e.getCause() != null ? e.getCause() : e;
      if (t instanceof ImageException i) {
        throw i;
      }
      if (t instanceof IOException io) {
        throw io;
      }
      if (t instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(t);
    }
  }

  /** The base as Jib's image model: its manifest (linux/amd64 of an index) and config. */
  Image baseImage(ImageRef base) throws ImageException, IOException {
    RegistryHttp.Manifest m = http.imageManifest(base);
    JsonNode node = RegistryHttp.json(m, base);
    boolean oci =
        m.mediaType().equals(OciManifestTemplate.MANIFEST_MEDIA_TYPE)
            || OciManifestTemplate.MANIFEST_MEDIA_TYPE.equals(node.path("mediaType").asText());
    BuildableManifestTemplate manifest =
        oci
            ? JsonTemplateMapper.readJson(m.body(), OciManifestTemplate.class)
            : JsonTemplateMapper.readJson(m.body(), V22ManifestTemplate.class);
    if (manifest.getContainerConfiguration() == null) {
      throw new ImageException("unsupported manifest for " + base, base.registry(), null);
    }
    String configDigest = manifest.getContainerConfiguration().getDigest().toString();
    ContainerConfigurationTemplate config = configs.get(configDigest);
    if (config == null) {
      config =
          JsonTemplateMapper.readJson(
              http.blob(base, configDigest), ContainerConfigurationTemplate.class);
      configs.put(configDigest, config);
    }
    try {
      return JsonToImageTranslator.toImage(manifest, config);
    } catch (LayerCountMismatchException
        | LayerPropertyNotFoundException
        | BadContainerConfigurationFormatException e) {
      throw new ImageException(
          "unusable image config of " + base + ": " + e.getMessage(), base.registry(), e);
    }
  }

  /** The layer's blob, gzipped into {@code file} as Jib's cache writes an app layer. */
  static ImageOnBase.BuiltLayer build(PlannedLayer layer, Path file) throws IOException {
    return ImageOnBase.build(layer, new BufferedOutputStream(Files.newOutputStream(file)));
  }

  private static List<String> tags(ImageTarget.Registry target) {
    List<String> tags = new ArrayList<>();
    tags.add(target.image().tag() != null ? target.image().tag() : "latest");
    for (String t : target.additionalTags()) {
      if (!tags.contains(t)) {
        tags.add(t);
      }
    }
    tags.sort(null);
    return tags;
  }
}
