package dev.pyrelease.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.pyrelease.http.Digests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A small venv tree plus its manifest.json, made on disk for tests. */
final class SyntheticVenv {

  private final Path venv;
  private final Path out;
  private final Map<String, Object> manifest = new LinkedHashMap<>();
  private final List<Map<String, Object>> dists = new ArrayList<>();
  private final List<String> skeleton = new ArrayList<>();

  SyntheticVenv(Path root) throws IOException {
    this.venv = Files.createDirectories(root.resolve("venv"));
    this.out = Files.createDirectories(root.resolve("out"));
    manifest.put("python", Map.of("version", "3.11.2", "cacheTag", "cpython-311"));
    manifest.put("venv", "/opt/venv");
    manifest.put("extraFieldFromTheFuture", List.of(1, 2));
    skeletonFile("pyvenv.cfg", "home = /usr/bin\nversion = 3.11.2\n", "rw-r--r--");
    skeletonFile("bin/activate", "# activate\n", "rw-r--r--");
  }

  Path venv() {
    return venv;
  }

  Path out() {
    return out;
  }

  SyntheticVenv skeletonFile(String rel, String content, String perms) throws IOException {
    write(venv.resolve(rel), content.getBytes(StandardCharsets.UTF_8), perms);
    skeleton.add(rel);
    return this;
  }

  SyntheticVenv skeletonFile(Path rel, Path copyOf) throws IOException {
    Path dst = venv.resolve(rel.toString());
    Files.createDirectories(dst.getParent());
    Files.copy(copyOf, dst, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.setPosixFilePermissions(dst, PosixFilePermissions.fromString("rwxr-xr-x"));
    skeleton.add(rel.toString());
    return this;
  }

  /**
   * A distribution with a module of {@code size} bytes (content depends on name and version), a
   * METADATA file, and optionally a console script and a .so.
   */
  SyntheticVenv dist(String name, String version, int size, boolean script, boolean so)
      throws IOException {
    String mod = name.toLowerCase().replace('-', '_');
    String sp = "lib/python3.11/site-packages/";
    List<String> files = new ArrayList<>();
    String di = sp + mod + "-" + version + ".dist-info/";
    files.add(
        add(
            di + "METADATA",
            ("Name: " + name + "\nVersion: " + version + "\n").getBytes(),
            "rw-r--r--"));
    files.add(add(di + "RECORD", (mod + "/__init__.py,,\n").getBytes(), "rw-r--r--"));
    byte[] body = new byte[size];
    byte[] seed = (name + "==" + version + "\n").getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < size; i++) {
      body[i] = i < seed.length ? seed[i] : (byte) ('a' + (i * 31 + seed.length) % 26);
    }
    files.add(add(sp + mod + "/__init__.py", body, "rw-r--r--"));
    files.add(add(sp + mod + "/__pycache__/__init__.cpython-311.pyc", seed, "rw-r--r--"));
    if (script) {
      files.add(
          add(
              "bin/" + mod,
              ("#!/opt/venv/bin/python\nimport " + mod + "\n").getBytes(),
              "rwxr-xr-x"));
    }
    if (so) {
      files.add(add(sp + mod + "/_speedups.cpython-311-x86_64-linux-gnu.so", seed, "rwxr-xr-x"));
    }
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("name", name);
    d.put("version", version);
    d.put("wheel", mod + "-" + version + "-py3-none-any.whl");
    d.put("sha256", Digests.sha256(name + version));
    d.put("files", files.stream().sorted().toList());
    d.put("sizeBytes", files.stream().mapToLong(f -> venv.resolve(f).toFile().length()).sum());
    dists.removeIf(x -> x.get("name").equals(name));
    dists.add(d);
    return this;
  }

  /**
   * Adds a vendored shared library, {@code site-packages/<module>.libs/<file>}, to distribution
   * {@code name}: its content comes from {@code file} alone, as auditwheel names a grafted library
   * by a hash of its content.
   */
  @SuppressWarnings("unchecked")
  SyntheticVenv vendored(String name, String file, int size) throws IOException {
    Map<String, Object> d =
        dists.stream().filter(x -> x.get("name").equals(name)).findFirst().orElseThrow();
    String rel =
        "lib/python3.11/site-packages/" + name.toLowerCase().replace('-', '_') + ".libs/" + file;
    byte[] body = new byte[size];
    byte[] seed = file.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < size; i++) {
      body[i] = seed[i % seed.length];
    }
    add(rel, body, "rwxr-xr-x");
    List<String> files = new ArrayList<>((List<String>) d.get("files"));
    files.add(rel);
    d.put("files", files.stream().sorted().toList());
    d.put("sizeBytes", ((Number) d.get("sizeBytes")).longValue() + size);
    return this;
  }

  /** Writes manifest.json (no app) and returns its path. */
  Path writeManifest() throws IOException {
    return writeManifest(null);
  }

  Path writeManifest(Map<String, Object> app) throws IOException {
    manifest.put("distributions", dists);
    manifest.put("skeletonFiles", skeleton.stream().sorted().toList());
    manifest.put("app", app);
    Path file = out.resolve("manifest.json");
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(file.toFile(), manifest);
    return file;
  }

  /** A plain-files app exported under out/app-files. */
  Map<String, Object> filesApp(Map<String, String> files) throws IOException {
    Path root = out.resolve("app-files");
    for (Map.Entry<String, String> f : files.entrySet()) {
      write(
          root.resolve(f.getKey()),
          f.getValue().getBytes(StandardCharsets.UTF_8),
          f.getKey().endsWith(".sh") ? "rwxr-xr-x" : "rw-r--r--");
    }
    Map<String, Object> app = new LinkedHashMap<>();
    app.put("kind", "files");
    app.put("root", "/app");
    app.put("files", files.keySet().stream().sorted().toList());
    app.put("exported", "app-files");
    return app;
  }

  private String add(String rel, byte[] content, String perms) throws IOException {
    write(venv.resolve(rel), content, perms);
    return rel;
  }

  private static void write(Path p, byte[] content, String perms) throws IOException {
    Files.createDirectories(p.getParent());
    Files.write(p, content);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
  }
}
