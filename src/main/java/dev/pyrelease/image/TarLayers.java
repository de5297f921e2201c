package dev.pyrelease.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Reads image archives: the layer blobs (digest, size) of one Jib wrote, in docker-save layout
 * ({@code manifest.json} naming {@code <hex>.tar.gz} layer files) or OCI layout ({@code index.json}
 * → manifest blob); the config and layer files of a docker-save base; the JSON files of a layer.
 * Entries are read with commons-compress, as {@link ImageFiles} reads layers.
 */
final class TarLayers {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** JSON entries up to this size are kept; larger ones are only counted. */
  private static final long MAX_JSON = 4 * 1024 * 1024;

  /** Entries under {@code blobs/} (an OCI layout's manifests and configs) up to this size. */
  private static final long MAX_BLOB = 64 * 1024;

  private TarLayers() {}

  /** Sizes of the regular files of an archive, and the contents of its small JSON/blob files. */
  private record Scan(Map<String, Long> sizes, Map<String, byte[]> small) {}

  /**
   * The {@code Env} of the image config in a docker-save archive ({@code manifest.json} → {@code
   * Config}), e.g. {@code ["PATH=/usr/local/bin:...", "LANG=C.UTF-8"]}.
   */
  static List<String> configEnv(Path tar) throws IOException {
    Scan scan = scan(tar);
    byte[] manifest = scan.small().get("manifest.json");
    if (manifest == null) {
      throw new IOException("not a docker-save archive (no manifest.json)");
    }
    String config = JSON.readTree(manifest).get(0).get("Config").asText();
    byte[] cfg = scan.small().get(config.startsWith("./") ? config.substring(2) : config);
    if (cfg == null) {
      throw new IOException("config " + config + " missing from the archive");
    }
    List<String> env = new ArrayList<>();
    JsonNode e = JSON.readTree(cfg).path("config").path("Env");
    e.forEach(n -> env.add(n.asText()));
    return env;
  }

  /**
   * The layer files a docker-save archive's {@code manifest.json} names, bottom first, as written
   * there; empty when it has no {@code manifest.json}.
   */
  static List<String> dockerSaveLayers(Path tar) throws IOException {
    byte[] manifest = scan(tar).small().get("manifest.json");
    List<String> layers = new ArrayList<>();
    if (manifest != null) {
      JSON.readTree(manifest).path(0).path("Layers").forEach(l -> layers.add(l.asText()));
    }
    return layers;
  }

  /** The layer blobs of an image archive Jib wrote, bottom first. */
  static List<LayerBlob> read(Path tar) throws IOException {
    Scan scan = scan(tar);
    Map<String, Long> sizes = scan.sizes();
    Map<String, byte[]> small = scan.small();
    List<LayerBlob> out = new ArrayList<>();
    if (small.containsKey("index.json")) {
      JsonNode index = JSON.readTree(small.get("index.json"));
      String manifestDigest = index.get("manifests").get(0).get("digest").asText();
      JsonNode manifest = JSON.readTree(small.get(blobPath(manifestDigest)));
      for (JsonNode l : manifest.get("layers")) {
        out.add(new LayerBlob(l.get("digest").asText(), l.get("size").asLong()));
      }
      return out;
    }
    if (small.containsKey("manifest.json")) {
      JsonNode manifest = JSON.readTree(small.get("manifest.json")).get(0);
      for (JsonNode l : manifest.get("Layers")) {
        String file = l.asText();
        String base = file.substring(file.lastIndexOf('/') + 1);
        String hex = base.replaceAll("\\.tar(\\.gz)?$", "");
        Long size = sizes.get(file);
        out.add(new LayerBlob("sha256:" + hex, size == null ? -1 : size));
      }
      return out;
    }
    throw new IOException("neither index.json nor manifest.json in the archive");
  }

  /**
   * The JSON files (up to 4 MiB each) of an uncompressed tar stream, by path without {@code ./}.
   */
  static Map<String, byte[]> jsonFiles(InputStream tar) throws IOException {
    Map<String, byte[]> out = new HashMap<>(scan(tar).small());
    out.keySet().removeIf(name -> !name.endsWith(".json"));
    return out;
  }

  private static Scan scan(Path tar) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(tar), 1 << 16)) {
      return scan(in);
    }
  }

  /** Reads {@code in} to the archive's end (not closed). */
  private static Scan scan(InputStream in) throws IOException {
    Map<String, Long> sizes = new HashMap<>();
    Map<String, byte[]> small = new HashMap<>();
    TarArchiveInputStream tar = new TarArchiveInputStream(in);
    for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
      if (!isRegular(e)) {
        continue;
      }
      String name = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
      long size = e.getSize();
      sizes.put(name, size);
      if (size <= MAX_JSON
          && (name.endsWith(".json") || (name.startsWith("blobs/") && size <= MAX_BLOB))) {
        small.put(name, tar.readAllBytes());
      }
    }
    return new Scan(sizes, small);
  }

  /**
   * A plain file entry ({@code '0'}, or NUL in pre-POSIX archives): commons-compress's {@code
   * isFile()} also answers true for other types whose name lacks a trailing slash.
   */
  private static boolean isRegular(TarArchiveEntry e) {
    return e.getLinkFlag() == TarConstants.LF_NORMAL || e.getLinkFlag() == TarConstants.LF_OLDNORM;
  }

  private static String blobPath(String digest) {
    return "blobs/" + digest.replace(':', '/');
  }
}
