package dev.pyrelease.image;

import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.Port;
import com.google.cloud.tools.jib.blob.Blob;
import com.google.cloud.tools.jib.blob.BlobDescriptor;
import com.google.cloud.tools.jib.configuration.ContainerConfiguration;
import com.google.cloud.tools.jib.hash.CountingDigestOutputStream;
import com.google.cloud.tools.jib.image.Image;
import com.google.cloud.tools.jib.image.LayerPropertyNotFoundException;
import com.google.cloud.tools.jib.image.ReferenceLayer;
import com.google.cloud.tools.jib.image.ReproducibleLayerBuilder;
import com.google.cloud.tools.jib.image.json.BuildableManifestTemplate;
import com.google.cloud.tools.jib.image.json.HistoryEntry;
import com.google.cloud.tools.jib.image.json.OciManifestTemplate;
import com.google.cloud.tools.jib.image.json.V22ManifestTemplate;
import com.google.common.collect.ImmutableList;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/**
 * Pure: the image that results from putting built layers and {@link ImageSettings} on a base image,
 * by the rules Jib's own build step applies (base layers and history passed through, base config
 * inherited and then overridden by ours, one history entry per added layer). {@link JibWriter}
 * feeds Jib's builder from the same {@link #containerConfiguration}, and {@link AppLayerPush}, the
 * direct push of an app layer, composes with {@link #compose}: the two give byte-identical configs
 * and manifests, which {@code ImageWriterRegistryTest} checks against Jib on a real registry.
 */
final class ImageOnBase {
  /** The tool name in each layer's history entry. */
  static final String TOOL_NAME = "pyrelease";

  /**
   * The tool version in each layer's history entry, set on Jib's containerizer too: left unset, Jib
   * takes its own jar's version, which a shaded jar does not have ("null"), so the same build gave
   * another digest from the jar than from the classes.
   */
  static final String TOOL_VERSION =
      java.util.Objects.requireNonNullElse(
          ImageOnBase.class.getPackage().getImplementationVersion(), "dev");

  /** A layer that is built (its blob and diff ID known), with its planned name. */
  record BuiltLayer(String name, BlobDescriptor blob, DescriptorDigest diffId) {}

  private ImageOnBase() {}

  /** The container configuration of {@code s}, as Jib takes it. */
  static ContainerConfiguration containerConfiguration(ImageSettings s) {
    Set<Port> ports = new LinkedHashSet<>();
    s.exposedPorts().stream().sorted().forEach(p -> ports.add(Port.tcp(p)));
    return ContainerConfiguration.builder()
        .setEntrypoint(s.entrypoint())
        .setProgramArguments(s.cmd())
        .setEnvironment(environment(s))
        .setWorkingDirectory(AbsoluteUnixPath.get(s.workingDirectory()))
        .setUser(s.user())
        .setExposedPorts(ports)
        .setLabels(s.labels())
        .setCreationTime(Instant.EPOCH)
        .build();
  }

  /**
   * A planned layer as Jib takes it: file times Jib's fixed default, modes from the plan.
   *
   * @param permissions a cache shared across the layers of one build (a Django venv has ~6,000
   *     files and a handful of modes)
   */
  static FileEntriesLayer jibLayer(PlannedLayer l, Map<Integer, FilePermissions> permissions) {
    FileEntriesLayer.Builder lb = FileEntriesLayer.builder().setName(l.name());
    for (LayerFile f : l.files()) {
      lb.addEntry(
          new FileEntry(
              f.source(),
              AbsoluteUnixPath.get(f.target()),
              permissions.computeIfAbsent(
                  f.mode() & 0777, m -> FilePermissions.fromOctalString(String.format("%03o", m))),
              FileEntriesLayer.DEFAULT_MODIFICATION_TIME));
    }
    return lb.build();
  }

  /**
   * Builds a layer's blob into {@code sink}: the tar from Jib's reproducible layer builder, gzipped
   * as Jib's cache writes an application layer, so its digest is the one Jib pushes (the direct
   * app-layer push sends these bytes; the SBOM names the venv layers by these digests before they
   * are pushed). Closes {@code sink}.
   */
  static BuiltLayer build(PlannedLayer layer, OutputStream sink) throws IOException {
    var entries = jibLayer(layer, new HashMap<>()).getEntries();
    Blob tar = new ReproducibleLayerBuilder(ImmutableList.copyOf(entries)).build();
    try (CountingDigestOutputStream compressed = new CountingDigestOutputStream(sink)) {
      OutputStream gzip = new GZIPOutputStream(compressed);
      DescriptorDigest diffId = tar.writeTo(gzip).getDigest();
      gzip.close();
      return new BuiltLayer(layer.name(), compressed.computeDigest(), diffId);
    }
  }

  /** The manifest format of an image pushed with {@code s}. */
  static Class<? extends BuildableManifestTemplate> format(ImageSettings s) {
    return s.format() == ImageSettings.Format.OCI
        ? OciManifestTemplate.class
        : V22ManifestTemplate.class;
  }

  /**
   * The settings' environment; PATH left out while the base's PATH is still unknown here, which
   * {@link JibWriter} allows only on a dependency image: its PATH is the image's already.
   */
  private static Map<String, String> environment(ImageSettings s) {
    Map<String, String> env = new TreeMap<>(s.environmentVariables());
    if (s.basePath() == null) {
      env.remove("PATH");
    }
    return env;
  }

  /**
   * {@code layers} on {@code base} with the configuration {@code c}.
   *
   * @param format the manifest format of the result (base layers keep their digests either way)
   */
  static Image compose(
      Image base,
      List<BuiltLayer> layers,
      ContainerConfiguration c,
      Class<? extends BuildableManifestTemplate> format) {
    Image.Builder b = Image.builder(format);
    try {
      for (var l : base.getLayers()) {
        b.addLayer(l);
      }
      int withLayer = 0;
      for (HistoryEntry h : base.getHistory()) {
        b.addHistory(h);
        // Jib's name is the wrong way round: true means an empty_layer entry
        if (!h.hasCorrespondingLayer()) {
          withLayer++;
        }
      }
      b.setArchitecture(base.getArchitecture())
          .setOs(base.getOs())
          .addEnvironment(base.getEnvironment())
          .addLabels(base.getLabels())
          .setHealthCheck(base.getHealthCheck())
          .addExposedPorts(base.getExposedPorts())
          .addVolumes(base.getVolumes())
          .setUser(base.getUser())
          .setWorkingDirectory(base.getWorkingDirectory());
      // base layers without a history entry get one, so that history and layers line up
      for (int i = 0; i < base.getLayers().size() - withLayer; i++) {
        b.addHistory(
            HistoryEntry.builder()
                .setCreationTimestamp(c.getCreationTime())
                .setComment("auto-generated by Jib")
                .build());
      }
      for (BuiltLayer l : layers) {
        b.addLayer(new ReferenceLayer(l.blob(), l.diffId()))
            .addHistory(
                HistoryEntry.builder()
                    .setCreationTimestamp(c.getCreationTime())
                    .setAuthor("Jib")
                    .setCreatedBy(TOOL_NAME + ":" + TOOL_VERSION)
                    .setComment(l.name())
                    .build());
      }
    } catch (LayerPropertyNotFoundException e) {
      // base layers come from a manifest and config, ours are built: both have every property
      throw new IllegalStateException(e);
    }
    boolean inheritEntrypoint = base.getEntrypoint() != null && c.getEntrypoint() == null;
    boolean inheritCmd =
        base.getProgramArguments() != null
            && c.getEntrypoint() == null
            && c.getProgramArguments() == null;
    b.addEnvironment(c.getEnvironmentMap())
        .setCreated(c.getCreationTime())
        .setEntrypoint(inheritEntrypoint ? base.getEntrypoint() : c.getEntrypoint())
        .setProgramArguments(inheritCmd ? base.getProgramArguments() : c.getProgramArguments())
        .addExposedPorts(c.getExposedPorts())
        .addVolumes(c.getVolumes())
        .addLabels(c.getLabels());
    if (c.getUser() != null) {
      b.setUser(c.getUser());
    }
    if (c.getWorkingDirectory() != null) {
      b.setWorkingDirectory(c.getWorkingDirectory().toString());
    }
    return b.build();
  }
}
