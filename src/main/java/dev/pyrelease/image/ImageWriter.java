package dev.pyrelease.image;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Writes images, and answers the registry questions a build asks on the way: the facade over {@link
 * JibWriter} (Jib's containerize: base image + layers + {@link ImageSettings} → a registry push or
 * a tar file), {@link AppLayerPush} (the direct push of an app layer) and {@link ImageInspector}
 * (registry reads). "What to build" (base, layers, settings) is kept apart from "where it goes"
 * ({@link ImageTarget}) and "how registries are reached" ({@link RegistryOptions}).
 *
 * <p>Also the dependency image: the base plus the venv layers, pushed once per dependency key as
 * {@code <repository>:deps-<key>} ({@link #writeDependencyImage}); {@link #exists} tells whether it
 * is there; {@link #writeOnDependencyImage} builds the release from it with only the app layer on
 * top, so that an app-only change uploads one small layer. That push is made directly ({@link
 * AppLayerPush}: the same bytes as Jib's, a handful of registry calls), not through Jib's
 * containerize, whose fixed cost was most of an app-only rebuild.
 *
 * <p>Reproducible: creation time at the epoch, file times Jib's fixed default (epoch + 1 s),
 * entries sorted, permissions from the files.
 *
 * <p>Jib's progress (log levels LIFECYCLE, PROGRESS, INFO, WARN, ERROR) goes to the {@code
 * progress} consumer given; failures are thrown as {@link ImageException}s with one-line messages.
 * Instances hold no build state between calls (only what their registry clients learnt, and
 * dependency-image configs and SBOMs by digest or key) and may be shared.
 */
public final class ImageWriter {

  /** Prefix of a dependency image's tag. */
  public static final String DEPENDENCY_TAG_PREFIX = "deps-";

  private final Consumer<String> progress;
  private final ImageInspector inspector;
  private final JibWriter jib;
  private final AppLayerPush appLayerPush;
  private final DependencyRebase rebase;
  private final RegistryHttp registry;

  /**
   * @param options credentials, insecure access, cache
   * @param progress receives Jib's progress lines (the CLI prints them on stderr)
   */
  public ImageWriter(RegistryOptions options, Consumer<String> progress) {
    this(
        options,
        progress,
        new RegistryHttp(
            options.credentials(),
            options.allowInsecureRegistries(),
            options.credentialsOverHttp()));
  }

  /**
   * @param registry this writer's own registry calls (existence checks, app-layer pushes); shared
   *     with the base digest resolver of a build, so that both use its connections and what it
   *     learnt (plain HTTP, tokens)
   */
  public ImageWriter(RegistryOptions options, Consumer<String> progress, RegistryHttp registry) {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(registry, "registry");
    this.progress = progress == null ? s -> {} : progress;
    this.inspector = new ImageInspector(registry, options.cacheDir());
    this.jib = new JibWriter(options, this.progress, registry, inspector);
    this.appLayerPush = new AppLayerPush(registry);
    this.rebase = new DependencyRebase(registry, appLayerPush);
    this.registry = registry;
  }

  /** The tag of the dependency image for a dependency key: {@code deps-<key>}. */
  public static String dependencyTag(String dependencyKey) {
    if (dependencyKey == null || !dependencyKey.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,122}")) {
      throw new IllegalArgumentException("not usable in a tag: " + dependencyKey);
    }
    return DEPENDENCY_TAG_PREFIX + dependencyKey;
  }

  /** The dependency image of a key in a release's repository: {@code repository:deps-<key>}. */
  public static ImageRef dependencyImage(ImageRef repository, String dependencyKey) {
    return repository.withTag(dependencyTag(dependencyKey));
  }

  /**
   * Builds an image and pushes it or writes it to a tar file.
   *
   * @param base the base image
   * @param layers the layers on top of it, in order (empty layers are left out)
   * @param settings the container configuration
   * @param target where it goes
   * @return the digest and the layer table
   * @throws ImageException on registry and I/O failures, with a one-line message
   */
  public ImageResult write(
      BaseImage base, List<PlannedLayer> layers, ImageSettings settings, ImageTarget target)
      throws ImageException, InterruptedException {
    return jib.write(base, layers, settings, target, false);
  }

  /**
   * Pushes the dependency image: {@code base} plus the venv layers, as {@code
   * <repository>:deps-<key>}.
   */
  public ImageResult writeDependencyImage(
      BaseImage base,
      LayerPlan venvLayers,
      ImageSettings settings,
      ImageRef repository,
      String dependencyKey)
      throws ImageException, InterruptedException {
    ImageRef tagged = dependencyImage(repository, dependencyKey);
    ImageSettings s =
        settings.labels().containsKey(ImageSettings.LABEL_DEPENDENCY_KEY)
            ? settings
            : settings.toBuilder().dependencyKey(dependencyKey).build();
    return write(base, venvLayers.layers(), s, ImageTarget.registry(tagged));
  }

  /**
   * {@link #writeDependencyImage(BaseImage, LayerPlan, ImageSettings, ImageRef, String)}, also
   * tagged {@code additionalTags} (the rebase lineage's tag).
   */
  public ImageResult writeDependencyImage(
      BaseImage base,
      LayerPlan venvLayers,
      ImageSettings settings,
      ImageRef repository,
      String dependencyKey,
      List<String> additionalTags)
      throws ImageException, InterruptedException {
    ImageRef tagged = dependencyImage(repository, dependencyKey);
    ImageSettings s =
        settings.labels().containsKey(ImageSettings.LABEL_DEPENDENCY_KEY)
            ? settings
            : settings.toBuilder().dependencyKey(dependencyKey).build();
    return write(
        base,
        venvLayers.layers(),
        s,
        ImageTarget.registry(tagged, additionalTags.toArray(String[]::new)));
  }

  /**
   * The dependency image of {@code dependencyKey} made from {@code previous} (a dependency image of
   * the same pins on another base) without installing anything: {@code newBase}'s layers, the new
   * {@code skeleton}, and every layer of {@code previous} above its skeleton as it is (same blobs,
   * not uploaded again), except the {@value LayerPlan#SBOM} layer when {@code sbom} is given (the
   * SBOM naming the new base). See {@link DependencyRebase}.
   */
  public ImageResult rebaseDependencyImage(
      ImageRef previous,
      ImageRef newBase,
      PlannedLayer skeleton,
      PlannedLayer sbom,
      ImageSettings settings,
      ImageRef repository,
      String dependencyKey,
      List<String> additionalTags)
      throws ImageException {
    ImageSettings s = settings.toBuilder().dependencyKey(dependencyKey).build();
    if (s.basePath() == null) {
      s = s.withBasePath(inspector.basePathOf(BaseImage.registry(newBase)));
    }
    try {
      return rebase.push(
          previous,
          newBase,
          skeleton,
          sbom,
          s,
          (ImageTarget.Registry)
              ImageTarget.registry(
                  dependencyImage(repository, dependencyKey),
                  additionalTags.toArray(String[]::new)),
          progress);
    } catch (IOException e) {
      throw new ImageException("cannot rebase " + previous + ": " + e.getMessage(), null, e);
    }
  }

  /**
   * A file of an image's {@value LayerPlan#SBOM} layer, by name.
   *
   * @see ImageInspector#venvRecordFile
   */
  public Optional<byte[]> venvRecordFile(ImageRef image, String fileName) throws ImageException {
    return inspector.venvRecordFile(image, fileName);
  }

  /**
   * An image's labels.
   *
   * @see ImageInspector#labelsOf
   */
  public java.util.Map<String, String> labelsOf(ImageRef image) throws ImageException {
    return inspector.labelsOf(image);
  }

  /**
   * Builds a release image on a dependency image: only {@code appLayer} is added (the venv, its
   * environment and labels come from the dependency image).
   *
   * @param dependencyImage e.g. {@link #dependencyImage(ImageRef, String)}
   */
  public ImageResult writeOnDependencyImage(
      ImageRef dependencyImage, PlannedLayer appLayer, ImageSettings settings, ImageTarget target)
      throws ImageException, InterruptedException {
    return writeOnDependencyImage(dependencyImage, appLayer, settings, target, () -> false);
  }

  /**
   * {@link #writeOnDependencyImage(ImageRef, PlannedLayer, ImageSettings, ImageTarget)}, asking
   * {@code superseded} before the image is tagged: a {@code build --watch} whose source changed
   * during the build tags nothing (its build-key tag would name files it did not read) and builds
   * again. Asked when every blob is pushed; through Jib (a tar, or another repository), before Jib
   * starts.
   *
   * @throws SupersededException when {@code superseded} answered true
   */
  public ImageResult writeOnDependencyImage(
      ImageRef dependencyImage,
      PlannedLayer appLayer,
      ImageSettings settings,
      ImageTarget target,
      BooleanSupplier superseded)
      throws ImageException, InterruptedException {
    if (target instanceof ImageTarget.Registry r
        && r.image().registry().equals(dependencyImage.registry())
        && r.image().repository().equals(dependencyImage.repository())) {
      try {
        return appLayerPush.push(dependencyImage, appLayer, settings, r, progress, superseded);
      } catch (IOException e) {
        throw new ImageException("cannot build the app layer: " + e.getMessage(), null, e);
      }
    }
    if (superseded.getAsBoolean()) {
      throw new SupersededException(target.toString());
    }
    return writeOnDependencyImageWithJib(dependencyImage, appLayer, settings, target);
  }

  /**
   * {@link #writeOnDependencyImage} through Jib's containerize: for a tar, or a dependency image in
   * another repository; and the reference the direct push is tested against.
   */
  ImageResult writeOnDependencyImageWithJib(
      ImageRef dependencyImage, PlannedLayer appLayer, ImageSettings settings, ImageTarget target)
      throws ImageException, InterruptedException {
    return jib.write(
        BaseImage.registry(dependencyImage), List.of(appLayer), settings, target, true);
  }

  /**
   * Whether an image (tag or digest) exists.
   *
   * @see ImageInspector#exists
   */
  public boolean exists(ImageRef image) throws ImageException {
    return inspector.exists(image);
  }

  /**
   * The manifest digest of an image, or empty when it does not exist.
   *
   * @see ImageInspector#digestOf
   */
  public Optional<String> digestOf(ImageRef image) throws ImageException {
    return inspector.digestOf(image);
  }

  /**
   * The SBOM in an image pyrelease pushed.
   *
   * @see ImageInspector#sbomOf
   */
  public Optional<Sbom> sbomOf(ImageRef image) throws ImageException {
    return inspector.sbomOf(image);
  }

  /**
   * The bytes of the SBOM file in an image pyrelease pushed.
   *
   * @see ImageInspector#sbomFileOf
   */
  public Optional<byte[]> sbomFileOf(ImageRef image) throws ImageException {
    return inspector.sbomFileOf(image);
  }

  /**
   * Pushes an image's SBOM beside it as an OCI artifact tagged {@code sha256-<hex>.sbom} ({@link
   * SbomArtifact}).
   *
   * @param image the image by digest
   * @return the artifact, {@code repository:sha256-<hex>.sbom@sha256:...}
   */
  public ImageRef pushSbom(ImageRef image, byte[] sbom) throws ImageException {
    return SbomArtifact.push(registry, image, sbom);
  }

  /**
   * The sha256 of a regular file of an image's filesystem.
   *
   * @see ImageInspector#fileSha256
   */
  public Optional<String> fileSha256(BaseImage image, String path) throws ImageException {
    return inspector.fileSha256(image, path);
  }

  /**
   * The PATH in a base image's config.
   *
   * @see ImageInspector#basePathOf
   */
  public String basePathOf(BaseImage base) throws ImageException {
    return inspector.basePathOf(base);
  }
}
