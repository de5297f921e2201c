package dev.pyrelease.image;

import dev.pyrelease.http.Digests;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * One file of an image's root filesystem, read without a container engine: the layers are fetched
 * from the registry (or read from a docker-save archive) one at a time and their tar entries
 * scanned bottom-up, whiteouts applied. The host runner asks it whether the machine's interpreter
 * is the base image's. Every layer is read once per image and path (the base's ~60 MB took ~1 s
 * here).
 */
final class ImageFiles {
  private final RegistryHttp registry;

  /**
   * Answers for registry images kept across runs, by manifest digest and path (content-addressed:
   * the same manifest has the same layers); null: kept in memory only.
   */
  private final Path cacheDir;

  /** Answers by image digest (or archive path) and file path. */
  private final Map<String, Optional<String>> known = new ConcurrentHashMap<>();

  ImageFiles(RegistryHttp registry, Path cacheDir) {
    this.registry = registry;
    this.cacheDir = cacheDir;
  }

  /**
   * The sha256 of the regular file at {@code path} (absolute) in {@code image}; empty when the
   * image has no regular file there (none, a directory, or a symbolic link).
   */
  Optional<String> sha256(BaseImage image, String path) throws ImageException {
    String want = normalize(path);
    if (image instanceof BaseImage.Registry r) {
      ImageRef ref = r.ref();
      RegistryHttp.Manifest m = registry.imageManifest(ref);
      String key = m.digest() + " " + want;
      Optional<String> answer = known.computeIfAbsent(key, this::stored);
      if (answer == null) {
        List<String> layers = new ArrayList<>();
        RegistryHttp.json(m, ref)
            .path("layers")
            .forEach(l -> layers.add(l.path("digest").asText()));
        State s = new State(want);
        for (String digest : layers) {
          byte[] blob = registry.blob(ref, digest);
          scan(() -> new ByteArrayInputStream(blob), s, ref + " layer " + digest, image);
        }
        answer = s.answer();
        known.put(key, answer);
        store(key, answer);
      }
      return answer;
    }
    BaseImage.Tar t = (BaseImage.Tar) image;
    try {
      String key =
          t.file().toAbsolutePath() + "@" + Files.getLastModifiedTime(t.file()) + " " + want;
      Optional<String> answer = known.get(key);
      if (answer == null) {
        answer = fromArchive(t, want);
        known.put(key, answer);
      }
      return answer;
    } catch (IOException e) {
      throw Failures.map(e, image, null);
    }
  }

  /** A stored answer, or null when none is stored. */
  private Optional<String> stored(String key) {
    if (cacheDir == null) {
      return null;
    }
    try {
      String v = Files.readString(cacheDir.resolve(fileName(key))).strip();
      return v.equals("none") ? Optional.empty() : Optional.of(v);
    } catch (IOException e) {
      return null; // not stored yet (or unreadable: read the image again)
    }
  }

  private void store(String key, Optional<String> answer) {
    if (cacheDir == null) {
      return;
    }
    try {
      Files.createDirectories(cacheDir);
      Path tmp = Files.createTempFile(cacheDir, "answer-", ".tmp");
      Files.writeString(tmp, answer.orElse("none") + "\n");
      Files.move(tmp, cacheDir.resolve(fileName(key)), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      // a cache: the next run reads the image again
    }
  }

  private static String fileName(String key) {
    return Digests.sha256(key);
  }

  /** A docker-save archive: manifest.json names the layer files, in order. */
  private Optional<String> fromArchive(BaseImage.Tar t, String want)
      throws IOException, ImageException {
    List<String> layers =
        TarLayers.dockerSaveLayers(t.file()).stream().map(ImageFiles::normalize).toList();
    if (layers.isEmpty()) {
      throw new ImageException(t + " is not a docker-save archive (no manifest.json)", null, null);
    }
    State s = new State(want);
    for (String layer : layers) {
      scan(() -> archiveEntry(t, layer), s, t + " " + layer, t);
    }
    return s.answer();
  }

  /** Opens a layer's bytes (again, for a hard link). */
  private interface Layer {
    InputStream open() throws IOException;
  }

  /** The stream of one entry of a docker-save archive (layers are in archive order). */
  private static InputStream archiveEntry(BaseImage.Tar t, String layer) throws IOException {
    TarArchiveInputStream outer = tar(Files.newInputStream(t.file()));
    for (TarArchiveEntry e; (e = outer.getNextEntry()) != null; ) {
      if (normalize(e.getName()).equals(layer)) {
        return outer;
      }
    }
    outer.close();
    throw new IOException("the archive has no " + layer);
  }

  /** Applies one layer (gzip or plain tar) to the state. */
  private static void scan(Layer layer, State s, String what, BaseImage image)
      throws ImageException {
    try {
      LayerChange c = change(layer, s.want);
      if (c.hardLink != null) {
        // a hard link names an earlier entry of the same layer: that entry's content
        LayerChange target = change(layer, c.hardLink);
        c.sha256 = target.entry ? target.sha256 : null;
      }
      s.apply(c);
    } catch (IOException e) {
      throw new ImageException(
          "cannot read " + what + ": " + e.getMessage(),
          image instanceof BaseImage.Registry r ? r.ref().registry() : null,
          e);
    }
  }

  private static LayerChange change(Layer layer, String want) throws IOException {
    try (InputStream raw = layer.open()) {
      InputStream in = new BufferedInputStream(raw, 1 << 16);
      in.mark(4);
      int b1 = in.read();
      int b2 = in.read();
      in.reset();
      InputStream plain = b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
      TarArchiveInputStream tar = new TarArchiveInputStream(plain);
      LayerChange c = new LayerChange();
      for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
        String name = normalize(e.getName());
        String dir = name.contains("/") ? name.substring(0, name.lastIndexOf('/')) : "";
        String base = name.substring(name.lastIndexOf('/') + 1);
        if (base.equals(".wh..wh..opq")) {
          if (want.startsWith(dir.isEmpty() ? "" : dir + "/")) {
            c.removed = true;
          }
        } else if (base.startsWith(".wh.")) {
          String gone = (dir.isEmpty() ? "" : dir + "/") + base.substring(4);
          if (want.equals(gone) || want.startsWith(gone + "/")) {
            c.removed = true;
          }
        } else if (name.equals(want)) {
          c.entry = true;
          if (e.isSymbolicLink() || e.isDirectory()) {
            c.sha256 = null; // not the file asked for
          } else if (e.isLink()) {
            c.hardLink = normalize(e.getLinkName());
          } else if (e.isFile()) {
            c.sha256 = Digests.sha256(tar);
          } else {
            c.sha256 = null; // a device, a fifo: not the file asked for
          }
        }
      }
      return c;
    }
  }

  private static TarArchiveInputStream tar(InputStream in) {
    return new TarArchiveInputStream(new BufferedInputStream(in, 1 << 16));
  }

  /** {@code ./usr/bin/x}, {@code /usr/bin/x} and {@code usr/bin/x/} are all {@code usr/bin/x}. */
  static String normalize(String name) {
    String n = name;
    while (n.startsWith("./") || n.startsWith("/")) {
      n = n.startsWith("./") ? n.substring(2) : n.substring(1);
    }
    while (n.endsWith("/")) {
      n = n.substring(0, n.length() - 1);
    }
    return n;
  }

  /** What one layer did to the path: added it (or something else there), or removed it. */
  private static final class LayerChange {
    boolean removed;
    boolean entry;
    String sha256;
    String hardLink;
  }

  /** The path's state after the layers applied so far. */
  private static final class State {
    final String want;
    String sha256;

    State(String want) {
      this.want = want;
    }

    void apply(LayerChange c) {
      // a whiteout removes what lower layers had; an entry of the same layer wins over it
      if (c.entry) {
        sha256 = c.sha256;
      } else if (c.removed) {
        sha256 = null;
      }
    }

    Optional<String> answer() {
      return Optional.ofNullable(sha256);
    }
  }
}
