package dev.pyrelease.image;

import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.blob.BlobDescriptor;
import com.google.cloud.tools.jib.image.Image;
import com.google.cloud.tools.jib.image.Layer;
import com.google.cloud.tools.jib.image.json.BuildableManifestTemplate;
import com.google.cloud.tools.jib.image.json.HistoryEntry;
import com.google.cloud.tools.jib.image.json.ImageToJsonTranslator;
import com.google.cloud.tools.jib.json.JsonTemplateMapper;
import dev.pyrelease.http.Digests;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A dependency image moved onto a new base without installing anything (the rebase of a patched
 * base with the same interpreter): the new base's layers, a new {@value LayerPlan#SKELETON} layer
 * (the venv's interpreter copies and scripts, made from the new base's interpreter), and every
 * other layer of the previous dependency image as it is — the same blobs, referenced, not uploaded.
 * Only registry calls: the two images' manifests and configs, the base's blobs mounted into the
 * target repository when it lacks them, the skeleton blob, the config and the manifest PUTs, which
 * come last so that no tag names a half-pushed image.
 *
 * <p>The config is composed as for any of our images ({@link ImageOnBase#compose}), with the
 * previous layers' history entries (their layer names) kept.
 */
final class DependencyRebase {
  private final RegistryHttp http;
  private final AppLayerPush images;

  DependencyRebase(RegistryHttp http, AppLayerPush images) {
    this.http = http;
    this.images = images;
  }

  /**
   * @param previous the previous dependency image, in {@code target}'s repository
   * @param newBase the new base (a registry image, pinned to its digest)
   * @param skeleton the new skeleton layer
   * @param settings the dependency image's settings (labels; PATH from the new base)
   * @param target where it goes, with every tag it gets
   * @param sbom the {@value LayerPlan#SBOM} layer in place of the previous one (its SBOM names the
   *     new base), or null to keep the previous one
   */
  ImageResult push(
      ImageRef previous,
      ImageRef newBase,
      PlannedLayer skeleton,
      PlannedLayer sbom,
      ImageSettings settings,
      ImageTarget.Registry target,
      Consumer<String> progress)
      throws ImageException, IOException {
    long start = System.nanoTime();
    ImageRef repo = target.image();
    Image base = images.baseImage(newBase);
    Image old = images.baseImage(previous);
    List<ImageOnBase.BuiltLayer> kept = keptLayers(old, previous);

    // the new base's blobs in the target repository (a mount on the same registry sends nothing)
    for (Layer l : base.getLayers()) {
      String digest = l.getBlobDescriptor().getDigest().toString();
      if (http.hasBlob(repo, digest)) {
        continue;
      }
      if (newBase.registry().equals(repo.registry())
          && http.mountBlob(repo, digest, newBase.repository())) {
        progress.accept("Mounted the base layer " + digest + " from " + newBase.repository());
        continue;
      }
      progress.accept("Copying the base layer " + digest + " from " + newBase.repositoryName());
      http.pushBlob(
          repo, digest, HttpRequest.BodyPublishers.ofByteArray(http.blob(newBase, digest)));
    }

    List<ImageOnBase.BuiltLayer> layers = new ArrayList<>();
    List<ImageResult.LayerResult> results = new ArrayList<>();
    pushLayer(skeleton, repo, progress, layers, results);
    for (ImageOnBase.BuiltLayer l : kept) {
      if (sbom != null && l.name().equals(LayerPlan.SBOM)) {
        pushLayer(sbom, repo, progress, layers, results);
        continue;
      }
      layers.add(l);
      results.add(
          new ImageResult.LayerResult(
              l.name(), l.blob().getDigest().toString(), l.blob().getSize(), false));
    }

    Image image =
        ImageOnBase.compose(
            base,
            layers,
            ImageOnBase.containerConfiguration(settings),
            ImageOnBase.format(settings));
    ImageToJsonTranslator json = new ImageToJsonTranslator(image);
    byte[] config = JsonTemplateMapper.toByteArray(json.getContainerConfiguration());
    String configDigest = "sha256:" + Digests.sha256(config);
    if (!http.hasBlob(repo, configDigest)) {
      http.pushBlob(repo, configDigest, HttpRequest.BodyPublishers.ofByteArray(config));
    }
    BuildableManifestTemplate manifest;
    try {
      manifest =
          json.getManifestTemplate(
              ImageOnBase.format(settings),
              new BlobDescriptor(config.length, DescriptorDigest.fromDigest(configDigest)));
    } catch (java.security.DigestException e) {
      throw new IllegalStateException(e); // a sha256 we computed
    }
    byte[] manifestBytes = JsonTemplateMapper.toByteArray(manifest);
    String digest = "sha256:" + Digests.sha256(manifestBytes);
    List<String> tags = new ArrayList<>();
    tags.add(repo.tag());
    target.additionalTags().stream().filter(t -> !tags.contains(t)).forEach(tags::add);
    http.putManifestTagged(
        repo, manifest.getManifestMediaType(), manifestBytes, digest, tags, progress);
    return new ImageResult(
        repo.repositoryName() + "@" + digest,
        digest,
        tags,
        results,
        Duration.ofNanos(System.nanoTime() - start));
  }

  /** Builds a layer, uploads it unless the repository has it, and adds it to the lists. */
  private void pushLayer(
      PlannedLayer layer,
      ImageRef repo,
      Consumer<String> progress,
      List<ImageOnBase.BuiltLayer> layers,
      List<ImageResult.LayerResult> results)
      throws ImageException, IOException {
    Path blobFile = Files.createTempFile("pyrelease-" + layer.name() + "-", ".tar.gz");
    try {
      ImageOnBase.BuiltLayer built = AppLayerPush.build(layer, blobFile);
      String digest = built.blob().getDigest().toString();
      boolean sent = false;
      if (!http.hasBlob(repo, digest)) {
        progress.accept(
            "Pushing the "
                + layer.name()
                + " layer "
                + digest
                + " ("
                + built.blob().getSize()
                + " B)");
        http.pushBlob(repo, digest, HttpRequest.BodyPublishers.ofFile(blobFile));
        sent = true;
      }
      layers.add(built);
      results.add(new ImageResult.LayerResult(layer.name(), digest, built.blob().getSize(), sent));
    } finally {
      Files.deleteIfExists(blobFile);
    }
  }

  /** A history entry's comment (Jib's entry has no getter for it; its JSON has). */
  private static String comment(HistoryEntry h) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(JsonTemplateMapper.toUtf8String(h))
          .path("comment")
          .asText("");
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * The previous image's layers above its skeleton, each with its name from its history entry.
   *
   * @throws ImageException when the image has no {@value LayerPlan#SKELETON} layer (not a
   *     dependency image pyrelease pushed)
   */
  static List<ImageOnBase.BuiltLayer> keptLayers(Image old, ImageRef previous)
      throws ImageException {
    List<String> names = new ArrayList<>();
    for (HistoryEntry h : old.getHistory()) {
      // Jib's name is the wrong way round: true means an empty_layer entry
      if (!h.hasCorrespondingLayer()) {
        names.add(comment(h));
      }
    }
    List<? extends Layer> layers = old.getLayers();
    int skeleton = names.lastIndexOf(LayerPlan.SKELETON);
    if (skeleton < 0 || names.size() != layers.size()) {
      throw new ImageException(
          previous + " has no " + LayerPlan.SKELETON + " layer: not a dependency image to rebase",
          previous.registry(),
          null);
    }
    List<ImageOnBase.BuiltLayer> out = new ArrayList<>();
    for (int i = skeleton + 1; i < layers.size(); i++) {
      Layer l = layers.get(i);
      out.add(new ImageOnBase.BuiltLayer(names.get(i), l.getBlobDescriptor(), l.getDiffId()));
    }
    return out;
  }
}
