package dev.pyrelease.index;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds small wheels and sdists for tests. */
final class Fixtures {
  private Fixtures() {}

  static String metadata(String name, String version, String... extra) {
    StringBuilder sb =
        new StringBuilder("Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n");
    for (String line : extra) {
      sb.append(line).append('\n');
    }
    return sb.toString();
  }

  /** A wheel {@code name-version-py3-none-any.whl} in {@code dir} with the given METADATA. */
  static Path wheel(Path dir, String name, String version, String metadata) throws IOException {
    Files.createDirectories(dir);
    Path whl = dir.resolve(name + "-" + version + "-py3-none-any.whl");
    String distInfo = name + "-" + version + ".dist-info/";
    try (OutputStream os = Files.newOutputStream(whl);
        ZipOutputStream zip = new ZipOutputStream(os)) {
      put(zip, name + "/__init__.py", "VALUE = 1\n".repeat(200));
      put(zip, name + "/data.txt", "x".repeat(5000));
      // a decoy that must not be picked: not a top-level dist-info
      put(zip, name + "/vendored/other-1.0.dist-info/METADATA", "Name: decoy\n");
      put(zip, distInfo + "METADATA", metadata);
      put(zip, distInfo + "WHEEL", "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\n");
      put(zip, distInfo + "RECORD", "");
    }
    return whl;
  }

  /** A zip sdist {@code name-version.zip} with {@code name-version/PKG-INFO}. */
  static Path zipSdist(Path dir, String name, String version, String pkgInfo) throws IOException {
    Files.createDirectories(dir);
    Path zipPath = dir.resolve(name + "-" + version + ".zip");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(zipPath))) {
      put(zip, name + "-" + version + "/setup.py", "from setuptools import setup\nsetup()\n");
      put(zip, name + "-" + version + "/PKG-INFO", pkgInfo);
    }
    return zipPath;
  }

  /** A tar.gz sdist built with the system tar. */
  static Path tarSdist(Path dir, String name, String version, String pkgInfo, String... tarArgs)
      throws IOException, InterruptedException {
    Path work = Files.createTempDirectory(dir, "sdist");
    String top = name + "-" + version;
    Files.createDirectories(work.resolve(top + "/src/" + name));
    Files.writeString(work.resolve(top + "/src/" + name + "/__init__.py"), "X = 1\n");
    Files.writeString(work.resolve(top + "/pyproject.toml"), "[project]\nname='" + name + "'\n");
    Files.writeString(work.resolve(top + "/PKG-INFO"), pkgInfo);
    Path out = dir.resolve(top + ".tar.gz");
    var cmd = new java.util.ArrayList<String>(java.util.List.of("tar"));
    cmd.addAll(java.util.List.of(tarArgs));
    cmd.addAll(java.util.List.of("-C", work.toString(), "-czf", out.toString(), top));
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IOException("tar failed");
    }
    return out;
  }

  private static void put(ZipOutputStream zip, String name, String text) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(text.getBytes(StandardCharsets.UTF_8));
    zip.closeEntry();
  }
}
