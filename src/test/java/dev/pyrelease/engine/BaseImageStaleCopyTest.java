package dev.pyrelease.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A base tag moved in the registry while podman still holds the old image under that tag (what
 * every {@code python:3.11-slim} does on a Debian security patch): the next build keys the new
 * digest and its venv step runs in the new base, not podman's stale local copy — shown by a file
 * only the new base has, which a build command copies into the app.
 */
class BaseImageStaleCopyTest {
  static final String COMMAND =
      "[python, -c, \"import os; p = '/etc/base-version';"
          + " open('base.txt', 'w').write(open(p).read().strip() if os.path.exists(p) else 'v1')\"]";

  @Test
  void theVenvStepRunsTheDigestTheTagResolvesToNotTheLocalCopy() throws Exception {
    RealEnv real = new RealEnv();
    Path dir = Files.createTempDirectory("pyrelease-stale-base-");
    try {
      String tag = real.repository("stale-base") + ":3.11";
      String v2 = "localhost/pyrelease-stale-v2:" + Long.toHexString(System.nanoTime());
      // v1: the test base under a new tag, pulled into podman's local storage
      real.run(
          List.of(
              "skopeo",
              "copy",
              "--src-tls-verify=false",
              "--dest-tls-verify=false",
              "docker://" + real.baseImage,
              "docker://" + tag));
      real.run(List.of("podman", "pull", "-q", "--tls-verify=false", tag));

      Path app = dir.resolve("app");
      Files.createDirectories(app);
      Files.writeString(app.resolve("main.py"), "print('hello')\n");
      Path release = Releases.write(dir, "stale", "", false);
      Files.writeString(
          release,
          Files.readString(release) + "  build:\n    commands:\n      - " + COMMAND + "\n");
      String repo = real.repository("stale-app");

      RealEnv.Run first = real.cli(args(real, release, app, tag, repo));
      assertThat(first.exit()).as(first.toString()).isZero();
      assertThat(inImage(real, first.json().path("image").asText())).isEqualTo("v1");

      // v2 under the same tag in the registry; podman keeps v1 under the tag locally
      Path ctx = dir.resolve("v2");
      Files.createDirectories(ctx);
      Files.writeString(ctx.resolve("base-version"), "v2\n");
      Files.writeString(
          ctx.resolve("Containerfile"), "FROM " + tag + "\nCOPY base-version /etc/base-version\n");
      real.run(List.of("podman", "build", "-q", "--tls-verify=false", "-t", v2, ctx.toString()));
      real.run(List.of("podman", "push", "-q", "--tls-verify=false", v2, "docker://" + tag));
      assertThat(
              real.run(
                  List.of(
                      "podman",
                      "run",
                      "--rm",
                      tag,
                      "sh",
                      "-c",
                      "cat /etc/base-version 2>&1 || true")))
          .as("podman's local copy of the tag is still v1")
          .contains("No such file");

      RealEnv.Run second = real.cli(args(real, release, app, tag, repo));
      assertThat(second.exit()).as(second.toString()).isZero();
      assertThat(second.json().path("dependencyKey").asText())
          .as("the moved tag is a new dependency key")
          .isNotEqualTo(first.json().path("dependencyKey").asText());
      assertThat(second.err()).contains(tag + "@sha256:");
      assertThat(inImage(real, second.json().path("image").asText()))
          .as("the venv step and the build commands ran in v2, not the stale local copy")
          .isEqualTo("v2");
      real.run(List.of("podman", "rmi", "-f", v2, tag));
    } finally {
      real.close();
      Workspace.deleteTree(dir);
    }
  }

  static String[] args(RealEnv real, Path release, Path app, String base, String repo) {
    List<String> a = new ArrayList<>();
    a.addAll(
        List.of(
            "build",
            "-f",
            release.toString(),
            "--source",
            app.toString(),
            "--index-url",
            real.indexUrl,
            "--base",
            base,
            "--to",
            repo,
            "--insecure-registry",
            "--output",
            "json"));
    return a.toArray(String[]::new);
  }

  static String inImage(RealEnv real, String image) throws Exception {
    return real.run(
            List.of("podman", "run", "--rm", "--network", "none", image, "cat", "/app/base.txt"))
        .lines()
        .reduce((a, b) -> b) // podman's pull progress comes first
        .orElse("")
        .strip();
  }
}
