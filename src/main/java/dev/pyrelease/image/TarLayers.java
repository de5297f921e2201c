package dev.pyrelease.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the layer blobs (digest, size) back from an image archive Jib wrote: docker-save layout
 * ({@code manifest.json} naming {@code <hex>.tar.gz} layer files) or OCI layout ({@code index.json}
 * → manifest blob). A minimal ustar reader: Jib writes plain entries.
 */
final class TarLayers {

  private static final ObjectMapper JSON = new ObjectMapper();

  private TarLayers() {}

  /** Entry sizes and the contents of small JSON/blob entries of an archive. */
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

  static List<ImageWriter.Descriptor> read(Path tar) throws IOException {
    Scan scan = scan(tar);
    Map<String, Long> sizes = scan.sizes();
    Map<String, byte[]> small = scan.small();
    List<ImageWriter.Descriptor> out = new ArrayList<>();
    if (small.containsKey("index.json")) {
      JsonNode index = JSON.readTree(small.get("index.json"));
      String manifestDigest = index.get("manifests").get(0).get("digest").asText();
      JsonNode manifest = JSON.readTree(small.get(blobPath(manifestDigest)));
      for (JsonNode l : manifest.get("layers")) {
        out.add(new ImageWriter.Descriptor(l.get("digest").asText(), l.get("size").asLong()));
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
        out.add(new ImageWriter.Descriptor("sha256:" + hex, size == null ? -1 : size));
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
    try (InputStream in = new BufferedInputStream(Files.newInputStream(tar))) {
      return scan(in);
    }
  }

  private static Scan scan(InputStream in) throws IOException {
    Map<String, Long> sizes = new HashMap<>();
    Map<String, byte[]> small = new HashMap<>();
    byte[] header = new byte[512];
    while (readFully(in, header)) {
      if (isZero(header)) {
        break;
      }
      String name = cString(header, 0, 100);
      String prefix = cString(header, 345, 155);
      if (!prefix.isEmpty()) {
        name = prefix + "/" + name;
      }
      long size =
          Long.parseLong(
              cString(header, 124, 12).trim().isEmpty() ? "0" : cString(header, 124, 12).trim(), 8);
      char type = (char) header[156];
      if (name.startsWith("./")) {
        name = name.substring(2);
      }
      long padded = (size + 511) / 512 * 512;
      if (type == '0' || type == 0) {
        sizes.put(name, size);
        if (size <= 4 * 1024 * 1024
            && (name.endsWith(".json") || (name.startsWith("blobs/") && size <= 64 * 1024))) {
          byte[] data = in.readNBytes((int) size);
          small.put(name, data);
          in.skipNBytes(padded - size);
          continue;
        }
      }
      in.skipNBytes(padded);
    }
    return new Scan(sizes, small);
  }

  private static String blobPath(String digest) {
    return "blobs/" + digest.replace(':', '/');
  }

  private static boolean readFully(InputStream in, byte[] b) throws IOException {
    int n = in.readNBytes(b, 0, b.length);
    return n == b.length;
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static String cString(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, StandardCharsets.UTF_8);
  }
}
