package dev.pyrelease.image;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * "What to build" apart from the layers: the container configuration of a release (or dependency)
 * image. Build with {@link #builder()}.
 *
 * <p>Environment: {@code PATH=<venv>/bin:<base PATH>}, {@code VIRTUAL_ENV=<venv>}, {@code
 * PYTHONDONTWRITEBYTECODE=1}, {@code PYTHONUNBUFFERED=1}, then {@link #environment()} on top. The
 * creation time is always the epoch and file times Jib's fixed default, so the same inputs give the
 * same digest.
 *
 * @param entrypoint the image's ENTRYPOINT (normally empty, so {@code podman run IMAGE cmd...} and
 *     Kubernetes {@code command} replace {@link #cmd()} cleanly)
 * @param cmd the image's CMD: the release's {@code run.command}
 * @param environment extra environment variables (win over the defaults)
 * @param venv where the venv is in the image ({@code /opt/venv})
 * @param basePath the base image's PATH, which the venv's bin is prepended to; {@code null}: read
 *     it from the base image's config when building ({@link #DEFAULT_BASE_PATH} if it has none)
 * @param workingDirectory the working directory ({@code /app}, or the venv for a package app)
 * @param user the numeric {@code uid:gid} to run as ({@code 65532:65532})
 * @param exposedPorts TCP ports to expose
 * @param labels image labels, including the OCI and pyrelease ones set by the builder methods
 * @param format manifest format for registry pushes
 */
public record ImageSettings(
    List<String> entrypoint,
    List<String> cmd,
    Map<String, String> environment,
    String venv,
    String basePath,
    String workingDirectory,
    String user,
    List<Integer> exposedPorts,
    Map<String, String> labels,
    Format format) {

  /** The venv's place in the image. */
  public static final String DEFAULT_VENV = "/opt/venv";

  /** PATH of a Debian-based image (python:*-slim, our bookworm base). */
  public static final String DEFAULT_BASE_PATH =
      "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  /** The non-root user releases run as. */
  public static final String DEFAULT_USER = "65532:65532";

  /** Label: the release's source repository. */
  public static final String LABEL_SOURCE = "org.opencontainers.image.source";

  /** Label: the source commit. */
  public static final String LABEL_REVISION = "org.opencontainers.image.revision";

  /** Label: the build key. */
  public static final String LABEL_BUILD_KEY = "dev.pyrelease.build-key";

  /** Label: sha256 of the normalised requirements. */
  public static final String LABEL_REQUIREMENTS_SHA256 = "dev.pyrelease.requirements-sha256";

  /** Label: the dependency key (dependency images). */
  public static final String LABEL_DEPENDENCY_KEY = "dev.pyrelease.dependency-key";

  /**
   * Label: the digest of the base a dependency image was built on ({@code sha256:…}), which a
   * rebase onto a patched base compares.
   */
  public static final String LABEL_BASE_DIGEST = "dev.pyrelease.base-digest";

  /** Manifest format of a pushed image. */
  public enum Format {
    /** Docker image manifest v2 schema 2 (Jib's default; every registry takes it). */
    DOCKER,
    /** OCI image manifest. */
    OCI
  }

  public ImageSettings {
    entrypoint = List.copyOf(entrypoint);
    cmd = List.copyOf(cmd);
    // sorted, not Map.copyOf: its iteration order is salted per JVM, and Jib writes labels in the
    // order it is given them, so a config (and the image digest) differed from one run to the next
    environment = Collections.unmodifiableMap(new TreeMap<>(environment));
    Objects.requireNonNull(venv, "venv");
    Objects.requireNonNull(workingDirectory, "workingDirectory");
    Objects.requireNonNull(user, "user");
    exposedPorts = List.copyOf(exposedPorts);
    labels = Collections.unmodifiableMap(new TreeMap<>(labels));
    Objects.requireNonNull(format, "format");
  }

  /** The full environment of the image, sorted by name. */
  public Map<String, String> environmentVariables() {
    Map<String, String> env = new TreeMap<>();
    String base = basePath == null || basePath.isBlank() ? DEFAULT_BASE_PATH : basePath;
    String bin = venv + "/bin";
    // a dependency image as base already has the venv first
    env.put("PATH", base.equals(bin) || base.startsWith(bin + ":") ? base : bin + ":" + base);
    env.put("VIRTUAL_ENV", venv);
    env.put("PYTHONDONTWRITEBYTECODE", "1");
    env.put("PYTHONUNBUFFERED", "1");
    env.putAll(environment);
    return env;
  }

  /** These settings with the base image's PATH set. */
  public ImageSettings withBasePath(String path) {
    return toBuilder().basePath(path).build();
  }

  /** The working directory for an app: {@code /app} for plain files, the venv for a package. */
  public static String workingDirectoryFor(VenvManifest.App app, String venv) {
    return app != null && app.isPackage() ? venv : "/app";
  }

  /** A builder with the defaults above. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.entrypoint = new ArrayList<>(entrypoint);
    b.cmd = new ArrayList<>(cmd);
    b.environment = new LinkedHashMap<>(environment);
    b.venv = venv;
    b.basePath = basePath;
    b.workingDirectory = workingDirectory;
    b.user = user;
    b.exposedPorts = new ArrayList<>(exposedPorts);
    b.labels = new TreeMap<>(labels);
    b.format = format;
    return b;
  }

  /** Builds {@link ImageSettings}; every setter returns the builder. */
  public static final class Builder {
    private List<String> entrypoint = new ArrayList<>();
    private List<String> cmd = new ArrayList<>();
    private Map<String, String> environment = new LinkedHashMap<>();
    private String venv = DEFAULT_VENV;
    private String basePath;
    private String workingDirectory = "/app";
    private String user = DEFAULT_USER;
    private List<Integer> exposedPorts = new ArrayList<>();
    private Map<String, String> labels = new TreeMap<>();
    private Format format = Format.DOCKER;
    private boolean manifestLabel = true;

    private Builder() {}

    /** The release's {@code run.command} (image CMD). */
    public Builder command(List<String> command) {
      this.cmd = new ArrayList<>(command);
      return this;
    }

    /** The image ENTRYPOINT (default empty). */
    public Builder entrypoint(List<String> entrypoint) {
      this.entrypoint = new ArrayList<>(entrypoint);
      return this;
    }

    /** An extra environment variable. */
    public Builder env(String name, String value) {
      environment.put(name, value);
      return this;
    }

    /** Where the venv is in the image. */
    public Builder venv(String venv) {
      this.venv = venv;
      return this;
    }

    /** The base image's PATH (default: read from the base image when building). */
    public Builder basePath(String basePath) {
      this.basePath = basePath;
      return this;
    }

    /** The working directory. */
    public Builder workingDirectory(String workingDirectory) {
      this.workingDirectory = workingDirectory;
      return this;
    }

    /** The numeric {@code uid:gid}. */
    public Builder user(String user) {
      this.user = user;
      return this;
    }

    /** A TCP port to expose. */
    public Builder port(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("not a port: " + port);
      }
      exposedPorts.add(port);
      return this;
    }

    /** A label. */
    public Builder label(String name, String value) {
      if (value != null) {
        labels.put(name, value);
      }
      return this;
    }

    /** {@value #LABEL_SOURCE}. */
    public Builder source(String url) {
      return label(LABEL_SOURCE, url);
    }

    /** {@value #LABEL_REVISION}. */
    public Builder revision(String commit) {
      return label(LABEL_REVISION, commit);
    }

    /** {@value #LABEL_BUILD_KEY}. */
    public Builder buildKey(String key) {
      return label(LABEL_BUILD_KEY, key);
    }

    /** {@value #LABEL_REQUIREMENTS_SHA256}. */
    public Builder requirementsSha256(String sha256) {
      return label(LABEL_REQUIREMENTS_SHA256, sha256);
    }

    /** {@value #LABEL_DEPENDENCY_KEY}. */
    public Builder dependencyKey(String key) {
      return label(LABEL_DEPENDENCY_KEY, key);
    }

    /** The {@value #LABEL_BASE_DIGEST} label. */
    public Builder baseDigest(String digest) {
      return label(LABEL_BASE_DIGEST, digest);
    }

    /**
     * Whether to add the label {@value Sbom#LABEL} pointing at {@code <venv>/}{@value
     * Sbom#FILE_NAME} (default true; the venv layers carry that file).
     */
    public Builder manifestLabel(boolean on) {
      this.manifestLabel = on;
      return this;
    }

    /** The manifest format for registry pushes. */
    public Builder format(Format format) {
      this.format = format;
      return this;
    }

    /** The settings. */
    public ImageSettings build() {
      Map<String, String> l = new TreeMap<>(labels);
      if (manifestLabel) {
        l.putIfAbsent(Sbom.LABEL, venv + "/" + Sbom.FILE_NAME);
      }
      return new ImageSettings(
          entrypoint,
          cmd,
          environment,
          venv,
          basePath,
          workingDirectory,
          user,
          exposedPorts,
          l,
          format);
    }
  }
}
