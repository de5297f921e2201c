package dev.pyrelease.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The stdlib-only venv script shipped in the jar ({@code dev/pyrelease/engine/venv.py}). */
public final class VenvScript {
  static final String RESOURCE = "dev/pyrelease/engine/venv.py";

  private final byte[] bytes;

  private VenvScript(byte[] bytes) {
    this.bytes = bytes;
  }

  public static VenvScript fromJar() {
    try (InputStream in = VenvScript.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      return new VenvScript(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** sha256 of the script: part of the builder version, so a changed script changes the keys. */
  public String sha256() {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes the script to {@code target}, executable. */
  public void writeTo(Path target) {
    try {
      Files.createDirectories(target.getParent());
      Files.write(target, bytes);
      target.toFile().setExecutable(true, false);
    } catch (IOException e) {
      throw BuildException.environment("cannot write " + target + ": " + e);
    }
  }

  /**
   * The builder version as keyed: the pyrelease version and the script's hash (the Java side's
   * layering is versioned by {@code pyreleaseVersion}).
   */
  public String builderVersion(String pyreleaseVersion) {
    return "pyrelease " + pyreleaseVersion + " venv.py sha256:" + sha256().substring(0, 16);
  }
}
