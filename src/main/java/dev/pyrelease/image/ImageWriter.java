package dev.pyrelease.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.configuration.ContainerConfiguration;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Containerizes planned layers with Jib: base image + layers + {@link ImageSettings} → a registry
 * push or a tar file. "What to build" (base, layers, settings) is kept apart from "where it goes"
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
 * entries sorted, permissions from the files. Which of our layers were uploaded and which the
 * registry already had is read from Jib's "Skipping push; BLOB already exists" events; digests and
 * sizes from the pushed manifest (or the written tar).
 *
 * <p>Jib's progress (log levels LIFECYCLE, PROGRESS, INFO, WARN, ERROR) goes to the {@code
 * progress} consumer given; failures are thrown as {@link ImageException}s with one-line messages.
 * Instances hold no build state between calls (only what their registry clients learnt, and
 * dependency-image configs by digest) and may be shared.
 */
public final class ImageWriter {

  /** Prefix of a dependency image's tag. */
  public static final String DEPENDENCY_TAG_PREFIX = "deps-";

  private static final Pattern SKIPPED_BLOB =
      Pattern.compile(
          "Skipping push; BLOB already exists on target registry\\s*:\\s*(?:digest:\\s*)?"
              + "(sha256:[0-9a-f]{64})");

  private final RegistryOptions options;
  private final Consumer<String> progress;

  /**
   * This writer's own registry calls (existence, base manifest and config, mounts, the pushed
   * manifest, app-layer pushes); Jib's containerize uses its own client.
   */
  private final RegistryHttp registry;

  private final AppLayerPush appLayerPush;

  private final ImageFiles files;

  /**
   * SBOMs read from dependency images, by image reference: a {@code deps-<key>} tag names the same
   * content whenever it exists (the key covers every input), so a watch session reads each once.
   */
  private final Map<String, Optional<Sbom>> sboms = new ConcurrentHashMap<>();

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
            Boolean.getBoolean("sendCredentialsOverHttp")));
  }

  /**
   * @param registry this writer's own registry calls (existence checks, app-layer pushes); shared
   *     with the base digest resolver of a build, so that both use its connections and what it
   *     learnt (plain HTTP, tokens)
   */
  public ImageWriter(RegistryOptions options, Consumer<String> progress, RegistryHttp registry) {
    this.options = Objects.requireNonNull(options, "options");
    this.progress = progress == null ? s -> {} : progress;
    this.registry = Objects.requireNonNull(registry, "registry");
    this.appLayerPush = new AppLayerPush(registry);
    this.files =
        new ImageFiles(
            registry,
            options.cacheDir() == null ? null : options.cacheDir().resolve("image-files"));
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
    return write(base, layers, settings, target, false);
  }

  /**
   * @param onDependencyImage the base is a dependency image: its config already has the venv's PATH
   *     (set from its own base when it was pushed), which the image inherits as it is, so the
   *     base's config is not fetched to work it out again
   */
  private ImageResult write(
      BaseImage base,
      List<PlannedLayer> layers,
      ImageSettings settings,
      ImageTarget target,
      boolean onDependencyImage)
      throws ImageException, InterruptedException {
    long start = System.nanoTime();
    if (base instanceof BaseImage.Tar t && !Files.isRegularFile(t.file())) {
      throw new BaseImageNotFoundException(t.toString(), null, null);
    }
    if (base instanceof BaseImage.Registry r
        && target instanceof ImageTarget.Registry t
        && r.ref().registry().equals(t.image().registry())
        && !r.ref().repository().equals(t.image().repository())) {
      BaseManifest m = baseManifest(r);
      if (settings.basePath() == null) {
        settings = settings.withBasePath(m.path());
      }
      mountLayers(m.layers(), r.ref(), t.image());
    } else if (settings.basePath() == null && !onDependencyImage) {
      settings = settings.withBasePath(basePathOf(base));
    }
    List<PlannedLayer> ours = layers.stream().filter(l -> !l.isEmpty()).toList();
    Set<String> skipped = ConcurrentHashMap.newKeySet();
    JibContainerBuilder builder = builderFor(base, ours, settings, target);
    Containerizer containerizer = containerizerFor(target, skipped);
    JibContainer container;
    try {
      container = builder.containerize(containerizer);
    } catch (ExecutionException | RegistryException | IOException e) {
      throw Failures.map(e, base, target);
    } catch (CacheDirectoryCreationException e) {
      throw new ImageException(
          "cannot create the layer cache directory: " + e.getMessage(), null, e);
    }
    String digest = container.getDigest().toString();
    List<ImageResult.LayerResult> results;
    List<String> tags = new ArrayList<>(container.getTags());
    String image;
    if (target instanceof ImageTarget.Registry r) {
      image = r.image().repositoryName() + "@" + digest;
      List<LayerBlob> descriptors = pushedLayers(r.image(), digest);
      results = match(ours, descriptors, d -> !skipped.contains(d.digest()));
    } else {
      ImageTarget.Tar t = (ImageTarget.Tar) target;
      image = t.name().repositoryName() + "@" + digest;
      List<LayerBlob> descriptors;
      try {
        descriptors = TarLayers.read(t.file());
      } catch (IOException e) {
        throw new ImageException("cannot read back " + t.file() + ": " + e.getMessage(), null, e);
      }
      results = match(ours, descriptors, d -> true);
    }
    tags.sort(null);
    return new ImageResult(
        image, digest, tags, results, Duration.ofNanos(System.nanoTime() - start));
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
    return write(BaseImage.registry(dependencyImage), List.of(appLayer), settings, target, true);
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
    Optional<Sbom> known = sboms.get(image.toString());
    if (known != null) {
      return known;
    }
    RegistryHttp.Manifest m = registry.imageManifest(image);
    JsonNode manifest = RegistryHttp.json(m, image);
    String config = manifest.path("config").path("digest").asText(null);
    if (config == null) {
      throw new ImageException("unsupported manifest for " + image, image.registry(), null);
    }
    Optional<Sbom> sbom;
    try {
      int layer = 0;
      String digest = null;
      for (JsonNode h : JSON.readTree(registry.blob(image, config)).path("history")) {
        if (h.path("empty_layer").asBoolean(false)) {
          continue;
        }
        if (LayerPlan.SBOM.equals(h.path("comment").asText())) {
          digest = manifest.path("layers").path(layer).path("digest").asText(null);
        }
        layer++;
      }
      if (digest == null) {
        sbom = Optional.empty();
      } else {
        byte[] blob = registry.blob(image, digest);
        Map<String, byte[]> files =
            TarLayers.jsonFiles(new GZIPInputStream(new ByteArrayInputStream(blob)));
        byte[] json =
            files.entrySet().stream()
                .filter(e -> e.getKey().endsWith("/" + Sbom.FILE_NAME))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(null);
        sbom = json == null ? Optional.empty() : Optional.of(Sbom.parse(json));
      }
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
  private record BaseManifest(List<String> layers, String path) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private BaseManifest baseManifest(BaseImage.Registry base) throws ImageException {
    ImageRef ref = base.ref();
    RegistryHttp.Manifest m = registry.imageManifest(ref);
    JsonNode manifest = RegistryHttp.json(m, ref);
    String config = manifest.path("config").path("digest").asText(null);
    if (config == null) {
      throw new ImageException("unsupported manifest for " + ref, ref.registry(), null);
    }
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

  /**
   * Mounts the base's layers into the target repository (same registry), so that Jib finds them
   * there. Jib itself pulls every base layer the target repository lacks into its cache, and
   * decompresses it to check its diff ID, before it tries a cross-repository mount: for a fresh
   * repository that is the whole base image (61 MB compressed for python:3.11-bookworm) read and
   * inflated for nothing. Best effort: a layer the registry will not mount is left to Jib.
   */
  private void mountLayers(List<String> layers, ImageRef from, ImageRef to) throws ImageException {
    for (String d : layers) {
      if (registry.hasBlob(to, d)) {
        continue;
      }
      try {
        registry.mountBlob(to, d, from.repository());
      } catch (RegistryUnreachableException e) {
        throw e;
      } catch (ImageException e) {
        // not mounted (a token without pull access to the base's repository, say): Jib pulls
        // and pushes it as usual
      }
    }
  }

  private static String pathOf(List<String> env) {
    return env.stream()
        .filter(v -> v.startsWith("PATH="))
        .map(v -> v.substring(5))
        .reduce((a, b) -> b)
        .orElse(ImageSettings.DEFAULT_BASE_PATH);
  }

  // ---------------------------------------------------------------- Jib wiring

  private JibContainerBuilder builderFor(
      BaseImage base, List<PlannedLayer> layers, ImageSettings s, ImageTarget target) {
    JibContainerBuilder b;
    if (base instanceof BaseImage.Registry r) {
      b = Jib.from(registryImage(r.ref()));
    } else {
      b = Jib.from(TarImage.at(((BaseImage.Tar) base).file()));
    }
    List<FileEntriesLayer> jibLayers = new ArrayList<>();
    java.util.Map<Integer, FilePermissions> permissions = new java.util.HashMap<>();
    for (PlannedLayer l : layers) {
      jibLayers.add(ImageOnBase.jibLayer(l, permissions));
    }
    boolean oci =
        target instanceof ImageTarget.Tar t
            ? t.format() == ImageTarget.TarFormat.OCI
            : s.format() == ImageSettings.Format.OCI;
    ContainerConfiguration c = ImageOnBase.containerConfiguration(s);
    return b.setFileEntriesLayers(jibLayers)
        .setEntrypoint(c.getEntrypoint())
        .setProgramArguments(c.getProgramArguments())
        .setEnvironment(c.getEnvironmentMap())
        .setWorkingDirectory(c.getWorkingDirectory())
        .setUser(c.getUser())
        .setExposedPorts(c.getExposedPorts())
        .setLabels(c.getLabels())
        .setCreationTime(c.getCreationTime())
        .setFormat(oci ? ImageFormat.OCI : ImageFormat.Docker);
  }

  private Containerizer containerizerFor(ImageTarget target, Set<String> skipped) {
    Containerizer c;
    if (target instanceof ImageTarget.Registry r) {
      c = Containerizer.to(registryImage(r.image()));
      for (String tag : r.additionalTags()) {
        c = c.withAdditionalTag(tag);
      }
    } else {
      ImageTarget.Tar t = (ImageTarget.Tar) target;
      c = Containerizer.to(TarImage.at(t.file()).named(t.name().toJib()));
    }
    c.setAllowInsecureRegistries(options.allowInsecureRegistries())
        .setToolName(ImageOnBase.TOOL_NAME)
        .setToolVersion(ImageOnBase.TOOL_VERSION)
        .addEventHandler(LogEvent.class, e -> onLog(e, skipped));
    if (options.cacheDir() != null) {
      c.setBaseImageLayersCache(options.cacheDir().resolve("base"))
          .setApplicationLayersCache(options.cacheDir().resolve("app"));
    }
    return c;
  }

  private void onLog(LogEvent e, Set<String> skipped) {
    Matcher m = SKIPPED_BLOB.matcher(e.getMessage());
    if (m.find()) {
      skipped.add(m.group(1));
    }
    String msg = e.getMessage();
    switch (e.getLevel()) {
      case ERROR, WARN, LIFECYCLE -> progress.accept(msg);
      case PROGRESS, INFO -> {
        // Jib lists every file of every layer at INFO: thousands of lines for a Django venv
        if (!msg.startsWith("\t")
            && !msg.startsWith("Containerizing application with the following")
            && !msg.isBlank()) {
          progress.accept(msg);
        }
      }
      default -> {}
    }
  }

  private RegistryImage registryImage(ImageRef ref) {
    RegistryImage img = RegistryImage.named(ref.toJib());
    options
        .credentials()
        .forRegistry(ref.registry())
        .ifPresent(c -> img.addCredential(c.username(), c.password()));
    return img;
  }

  private List<LayerBlob> pushedLayers(ImageRef image, String digest) throws ImageException {
    ImageRef pushed = image.withDigest(digest);
    List<LayerBlob> out = new ArrayList<>();
    for (JsonNode l : RegistryHttp.json(registry.manifest(pushed), pushed).path("layers")) {
      out.add(new LayerBlob(l.path("digest").asText(), l.path("size").asLong()));
    }
    return out;
  }

  private static List<ImageResult.LayerResult> match(
      List<PlannedLayer> ours,
      List<LayerBlob> descriptors,
      java.util.function.Predicate<LayerBlob> uploaded)
      throws ImageException {
    if (descriptors.size() < ours.size()) {
      throw new ImageException(
          "the image has "
              + descriptors.size()
              + " layers, fewer than the "
              + ours.size()
              + " planned",
          null,
          null);
    }
    List<LayerBlob> tail =
        descriptors.subList(descriptors.size() - ours.size(), descriptors.size());
    List<ImageResult.LayerResult> out = new ArrayList<>();
    for (int i = 0; i < ours.size(); i++) {
      LayerBlob d = tail.get(i);
      out.add(
          new ImageResult.LayerResult(ours.get(i).name(), d.digest(), d.size(), uploaded.test(d)));
    }
    return out;
  }
}
