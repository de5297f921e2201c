package dev.pyrelease.image;

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
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Containerizes planned layers on a base with Jib, to a registry or a tar file, and reads back the
 * layer table: digests and sizes from the pushed manifest (or the written tar), uploaded or not
 * from Jib's log ({@link JibLog}). Before a push to another repository of the base's registry, the
 * base's layers are mounted there, which Jib does only after pulling them.
 */
final class JibWriter {
  static final String CREDENTIALS_OVER_HTTP = "sendCredentialsOverHttp";

  private final RegistryOptions options;
  private final Consumer<String> progress;

  /** For the mounts; Jib's containerize uses its own client. */
  private final RegistryHttp registry;

  /** The base's manifest and PATH, and the pushed manifest's layers. */
  private final ImageInspector inspector;

  JibWriter(
      RegistryOptions options,
      Consumer<String> progress,
      RegistryHttp registry,
      ImageInspector inspector) {
    this.options = options;
    this.progress = progress;
    this.registry = registry;
    this.inspector = inspector;
  }

  /**
   * @param onDependencyImage the base is a dependency image: its config already has the venv's PATH
   *     (set from its own base when it was pushed), which the image inherits as it is, so the
   *     base's config is not fetched to work it out again
   */
  ImageResult write(
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
      ImageInspector.BaseManifest m = inspector.baseManifest(r);
      if (settings.basePath() == null) {
        settings = settings.withBasePath(m.path());
      }
      mountLayers(m.layers(), r.ref(), t.image());
    } else if (settings.basePath() == null && !onDependencyImage) {
      settings = settings.withBasePath(inspector.basePathOf(base));
    }
    List<PlannedLayer> ours = layers.stream().filter(l -> !l.isEmpty()).toList();
    JibLog log = new JibLog(progress);
    JibContainer container;
    // Jib reads this one switch only from a system property (JibSystemProperties): set for the
    // call when the options say so, as it was afterwards
    String before = System.getProperty(CREDENTIALS_OVER_HTTP);
    if (options.credentialsOverHttp()) {
      System.setProperty(CREDENTIALS_OVER_HTTP, "true");
    }
    try {
      container =
          builderFor(base, ours, settings, target).containerize(containerizerFor(target, log));
    } catch (ExecutionException | RegistryException | IOException e) {
      throw Failures.map(e, base, target);
    } catch (CacheDirectoryCreationException e) {
      throw new ImageException(
          "cannot create the layer cache directory: " + e.getMessage(), null, e);
    } finally {
      if (options.credentialsOverHttp()) {
        if (before == null) {
          System.clearProperty(CREDENTIALS_OVER_HTTP);
        } else {
          System.setProperty(CREDENTIALS_OVER_HTTP, before);
        }
      }
    }
    String digest = container.getDigest().toString();
    List<ImageResult.LayerResult> results;
    List<String> tags = new ArrayList<>(container.getTags());
    String image;
    if (target instanceof ImageTarget.Registry r) {
      image = r.image().repositoryName() + "@" + digest;
      List<LayerBlob> blobs = inspector.layers(r.image().withDigest(digest));
      results = match(ours, blobs, b -> log.uploaded(b.digest()));
    } else {
      ImageTarget.Tar t = (ImageTarget.Tar) target;
      image = t.name().repositoryName() + "@" + digest;
      List<LayerBlob> blobs;
      try {
        blobs = TarLayers.read(t.file());
      } catch (IOException e) {
        throw new ImageException("cannot read back " + t.file() + ": " + e.getMessage(), null, e);
      }
      results = match(ours, blobs, b -> true);
    }
    tags.sort(null);
    return new ImageResult(
        image, digest, tags, results, Duration.ofNanos(System.nanoTime() - start));
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

  private JibContainerBuilder builderFor(
      BaseImage base, List<PlannedLayer> layers, ImageSettings s, ImageTarget target) {
    JibContainerBuilder b;
    if (base instanceof BaseImage.Registry r) {
      b = Jib.from(registryImage(r.ref()));
    } else {
      b = Jib.from(TarImage.at(((BaseImage.Tar) base).file()));
    }
    List<FileEntriesLayer> jibLayers = new ArrayList<>();
    Map<Integer, FilePermissions> permissions = new HashMap<>();
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

  private Containerizer containerizerFor(ImageTarget target, JibLog log) {
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
        .addEventHandler(LogEvent.class, log);
    if (options.cacheDir() != null) {
      c.setBaseImageLayersCache(options.cacheDir().resolve("base"))
          .setApplicationLayersCache(options.cacheDir().resolve("app"));
    }
    return c;
  }

  private RegistryImage registryImage(ImageRef ref) {
    RegistryImage img = RegistryImage.named(ref.toJib());
    options
        .credentials()
        .forRegistry(ref.registry())
        .ifPresent(c -> img.addCredential(c.username(), c.password()));
    return img;
  }

  /** Our layers are the image's last ones: their blobs, by position from the end. */
  private static List<ImageResult.LayerResult> match(
      List<PlannedLayer> ours, List<LayerBlob> blobs, Predicate<LayerBlob> uploaded)
      throws ImageException {
    if (blobs.size() < ours.size()) {
      throw new ImageException(
          "the image has " + blobs.size() + " layers, fewer than the " + ours.size() + " planned",
          null,
          null);
    }
    List<LayerBlob> tail = blobs.subList(blobs.size() - ours.size(), blobs.size());
    List<ImageResult.LayerResult> out = new ArrayList<>();
    for (int i = 0; i < ours.size(); i++) {
      LayerBlob b = tail.get(i);
      out.add(
          new ImageResult.LayerResult(ours.get(i).name(), b.digest(), b.size(), uploaded.test(b)));
    }
    return out;
  }
}
