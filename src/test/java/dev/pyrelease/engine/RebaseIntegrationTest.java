package dev.pyrelease.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Python-aware rebase on a real registry with podman: a release with an extension module
 * (greenlet, which links the system's libstdc++) built on base v1; the base tag patched (v2: one
 * more layer, the same interpreter) is built again without pip, keeping every distribution layer; a
 * v3 without libstdc++ fails the build naming the module and the library, and pushes nothing under
 * the release's tags; a v4 whose interpreter reports another version takes the full venv step and
 * says why.
 */
class RebaseIntegrationTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String IMPORT =
      "import greenlet, hello; print('greenlet', greenlet.__version__, greenlet.getcurrent())";

  @Test
  void aPatchedBaseWithTheSameInterpreterIsARebaseAndOtherBasesAreNot() throws Exception {
    RealEnv real = new RealEnv();
    Path dir = Files.createTempDirectory("pyrelease-rebase-");
    List<String> local = new ArrayList<>();
    try {
      String tag = real.repository("rebase-base") + ":3.11";
      real.run(
          List.of(
              "skopeo",
              "copy",
              "--src-tls-verify=false",
              "--dest-tls-verify=false",
              "docker://" + real.baseImage,
              "docker://" + tag));
      Path app = dir.resolve("app");
      Files.createDirectories(app);
      Files.writeString(app.resolve("hello.py"), "print('hello')\n");
      Path release = Releases.write(dir, "rebased", "greenlet==3.5.6", false);
      String repo = real.repository("rebase-app");

      // v1: the full venv step
      RealEnv.Run first = real.cli(BaseImageStaleCopyTest.args(real, release, app, tag, repo));
      assertThat(first.exit()).as(first.toString()).isZero();
      JsonNode r1 = first.json();
      assertThat(r1.path("venvStep").asText()).isEqualTo("full");
      assertThat(first.err()).contains("pip wheel:").contains("pip install:");
      String v1 = digestOf(real, tag);
      assertThat(r1.path("baseImage").asText()).isEqualTo(tag + "@" + v1);

      // v2: the same interpreter, one more layer with a file
      String v2 = patch(real, dir, local, tag, "v2", "COPY extra.txt /etc/extra.txt\n");
      RealEnv.Run second = real.cli(BaseImageStaleCopyTest.args(real, release, app, tag, repo));
      assertThat(second.exit()).as(second.toString()).isZero();
      JsonNode r2 = second.json();
      assertThat(r2.path("venvStep").asText()).isEqualTo("rebased");
      assertThat(r2.path("baseImage").asText()).isEqualTo(tag + "@" + v2);
      assertThat(r2.path("dependencyKey").asText()).isNotEqualTo(r1.path("dependencyKey").asText());
      assertThat(second.err())
          .as("no pip run")
          .doesNotContain("pip wheel:")
          .doesNotContain("pip install:")
          .contains("rebase: no pip");
      assertThat(r2.path("closure").path("ok").asBoolean()).isTrue();
      assertThat(r2.path("distributions").toString()).contains("greenlet");

      // layer by layer: the base's layers, then the skeleton, then every layer as before
      Image before = Image.of(real, r1.path("image").asText());
      Image after = Image.of(real, r2.path("image").asText());
      Image base1 = Image.of(real, tag.replaceAll(":3\\.11$", "") + "@" + v1);
      Image base2 = Image.of(real, tag.replaceAll(":3\\.11$", "") + "@" + v2);
      assertThat(base2.layers).hasSize(base1.layers.size() + 1);
      assertThat(before.layers.subList(0, base1.layers.size())).isEqualTo(base1.layers);
      assertThat(after.layers.subList(0, base2.layers.size())).isEqualTo(base2.layers);
      assertThat(before.comments.get(base1.layers.size())).isEqualTo("venv-skeleton");
      assertThat(after.comments.get(base2.layers.size())).isEqualTo("venv-skeleton");
      List<String> keptBefore =
          before.layers.subList(base1.layers.size() + 1, before.layers.size());
      List<String> keptAfter = after.layers.subList(base2.layers.size() + 1, after.layers.size());
      assertThat(keptBefore).as("distribution, manifest and app layers").hasSizeGreaterThan(2);
      // the same blobs, but for the SBOM's layer: its SBOM names the new base
      int sbom = after.comments.indexOf("venv-manifest") - (base2.layers.size() + 1);
      assertThat(sbom).isNotNegative();
      assertThat(keptAfter.get(sbom)).isNotEqualTo(keptBefore.get(sbom));
      List<String> otherBefore = new java.util.ArrayList<>(keptBefore);
      List<String> otherAfter = new java.util.ArrayList<>(keptAfter);
      otherBefore.remove(sbom);
      otherAfter.remove(sbom);
      assertThat(otherAfter).as("the same blobs").isEqualTo(otherBefore);
      for (JsonNode l : r2.path("layers")) {
        if (!List.of("venv-skeleton", "venv-manifest").contains(l.path("name").asText())) {
          assertThat(l.path("uploaded").asBoolean()).as(l.toString()).isFalse();
        }
      }
      String sbomJson =
          runIn(real, r2.path("image").asText(), "print(open('/opt/venv/sbom.cdx.json').read())");
      assertThat(sbomJson)
          .as("the rebased image's SBOM names the new base")
          .contains(v2.substring("sha256:".length()))
          .doesNotContain(v1.substring("sha256:".length()));
      // it runs on v2 and imports its packages
      String ran =
          runIn(real, r2.path("image").asText(), IMPORT + "; print(open('/etc/extra.txt').read())");
      assertThat(ran).contains("greenlet 3.5.6").contains("patched");

      // v3: libstdc++ removed (and the loader's cache rebuilt): greenlet cannot load
      List<String> tagsBefore = tags(real, repo);
      patch(
          real,
          dir,
          local,
          tag,
          "v3",
          "RUN rm -f /usr/lib/x86_64-linux-gnu/libstdc++.so.6* && ldconfig\n");
      RealEnv.Run third = real.cli(BaseImageStaleCopyTest.args(real, release, app, tag, repo));
      assertThat(third.exit()).as(third.toString()).isEqualTo(1);
      assertThat(third.err())
          .contains("greenlet")
          .contains("libstdc++.so.6")
          .contains("_greenlet.cpython-311-x86_64-linux-gnu.so");
      assertThat(tags(real, repo)).as("nothing pushed under any tag").isEqualTo(tagsBefore);

      // v4 (from v2): the interpreter says 3.11.9: the full venv step, and why
      String patchVersion =
          "RUN python3 -c \"b = open('/usr/bin/python3.11', 'rb').read();"
              + " open('/tmp/python3.11', 'wb').write(b.replace(b'3.11.2\\\\x00', b'3.11.9\\\\x00'))\""
              + " && chmod 755 /tmp/python3.11 && mv /tmp/python3.11 /usr/bin/python3.11\n";
      patchFrom(
          real, dir, local, tag, tag.replaceAll(":3\\.11$", "") + "@" + v2, "v4", patchVersion);
      RealEnv.Run fourth = real.cli(BaseImageStaleCopyTest.args(real, release, app, tag, repo));
      assertThat(fourth.exit()).as(fourth.toString()).isZero();
      JsonNode r4 = fourth.json();
      assertThat(r4.path("venvStep").asText()).isEqualTo("full");
      assertThat(r4.path("venvReason").asText()).contains("version changed: 3.11.2 -> 3.11.9");
      assertThat(fourth.err()).contains("pip wheel:").contains("3.11.9");
      assertThat(runIn(real, r4.path("image").asText(), IMPORT)).contains("greenlet 3.5.6");
    } finally {
      for (String image : local) {
        real.run(List.of("podman", "rmi", "-f", image));
      }
      real.close();
      Workspace.deleteTree(dir);
    }
  }

  /**
   * The build Job's containers take the same path: the source step (told, as in the Job, that the
   * venv step runs in the base image) decides the rebase, the venv container runs the new base's
   * python3 on the Job's own arguments ({@link dev.pyrelease.buildjob.VenvArgs}), and the assemble
   * step pushes the rebased dependency image and the release.
   */
  @Test
  void theBuildJobsStepsRebaseToo() throws Exception {
    RealEnv real = new RealEnv();
    Path dir = Files.createTempDirectory("pyrelease-rebase-job-");
    List<String> local = new ArrayList<>();
    try {
      String tag = real.repository("rebase-job-base") + ":3.11";
      real.run(
          List.of(
              "skopeo",
              "copy",
              "--src-tls-verify=false",
              "--dest-tls-verify=false",
              "docker://" + real.baseImage,
              "docker://" + tag));
      Path app = dir.resolve("app");
      Files.createDirectories(app);
      Files.writeString(app.resolve("hello.py"), "print('hello')\n");
      Path release = Releases.write(dir, "rebasedjob", "greenlet==3.5.6", false);
      String repo = real.repository("rebase-job-app");
      RealEnv.Run first = real.cli(BaseImageStaleCopyTest.args(real, release, app, tag, repo));
      assertThat(first.exit()).as(first.toString()).isZero();
      String v2 = patch(real, dir, local, tag, "job-v2", "COPY extra.txt /etc/extra.txt\n");

      Path ws = dir.resolve("workspace");
      RealEnv.Run source =
          real.cli(
              "source",
              "-f",
              release.toString(),
              "--source",
              app.toString(),
              "--workspace",
              ws.toString(),
              "--index-url",
              real.indexUrl,
              "--base",
              tag,
              "--to",
              repo,
              "--insecure-registry",
              "--venv-in-base-image");
      assertThat(source.exit()).as(source.toString()).isZero();
      assertThat(Files.readString(ws.resolve("venv-mode")).strip()).isEqualTo("REBASED");
      assertThat(source.err()).contains("venv step: rebase");

      // the Job's venv container: the pinned base, the workspace and the venv volume
      Files.createDirectories(ws.resolve("venv"));
      List<String> venv =
          new ArrayList<>(
              List.of(
                  "podman",
                  "run",
                  "--rm",
                  "--network",
                  "host",
                  "--tls-verify=false",
                  "-v",
                  ws + ":/workspace",
                  "-v",
                  ws.resolve("venv") + ":/opt/venv",
                  tag + "@" + v2,
                  "python3"));
      venv.addAll(
          new dev.pyrelease.buildjob.VenvArgs(
                  "/workspace/venv.py", "/workspace/plan.json", null, null)
              .toArgs());
      String ran = real.run(venv);
      assertThat(ran).contains("rebase: no pip").doesNotContain("pip wheel:");

      RealEnv.Run assemble =
          real.cli(
              "assemble", "--workspace", ws.toString(), "--insecure-registry", "--output", "json");
      assertThat(assemble.exit()).as(assemble.toString()).isZero();
      assertThat(assemble.json().path("venvStep").asText()).isEqualTo("rebased");
      Image before = Image.of(real, first.json().path("image").asText());
      Image after = Image.of(real, assemble.json().path("image").asText());
      // every layer above the skeleton keeps its blob, but for the SBOM's (it names the base)
      assertThat(keptAboveTheSkeleton(after)).isEqualTo(keptAboveTheSkeleton(before));
      assertThat(runIn(real, assemble.json().path("image").asText(), IMPORT))
          .contains("greenlet 3.5.6");
    } finally {
      for (String image : local) {
        real.run(List.of("podman", "rmi", "-f", image));
      }
      real.close();
      Workspace.deleteTree(dir);
    }
  }

  /** The layers above the skeleton but the SBOM's, in order. */
  static List<String> keptAboveTheSkeleton(Image image) {
    List<String> out = new ArrayList<>();
    for (int i = image.comments.indexOf("venv-skeleton") + 1; i < image.layers.size(); i++) {
      if (!image.comments.get(i).equals("venv-manifest")) {
        out.add(image.layers.get(i));
      }
    }
    assertThat(out).as("distribution and app layers").hasSizeGreaterThan(1);
    return out;
  }

  /** Pushes FROM the tag's current image plus {@code lines} under the tag; its new digest. */
  static String patch(
      RealEnv real, Path dir, List<String> local, String tag, String name, String lines)
      throws Exception {
    return patchFrom(real, dir, local, tag, tag + "@" + digestOf(real, tag), name, lines);
  }

  static String patchFrom(
      RealEnv real,
      Path dir,
      List<String> local,
      String tag,
      String from,
      String name,
      String lines)
      throws Exception {
    Path ctx = dir.resolve(name);
    Files.createDirectories(ctx);
    Files.writeString(ctx.resolve("extra.txt"), "patched\n");
    Files.writeString(ctx.resolve("Containerfile"), "FROM " + from + "\n" + lines);
    String image = "localhost/pyrelease-rebase-" + name + ":" + Long.toHexString(System.nanoTime());
    local.add(image);
    real.run(
        List.of(
            "podman",
            "build",
            "-q",
            "--network",
            "none",
            "--tls-verify=false",
            "-t",
            image,
            ctx.toString()));
    real.run(List.of("podman", "push", "-q", "--tls-verify=false", image, "docker://" + tag));
    return digestOf(real, tag);
  }

  static String digestOf(RealEnv real, String image) throws Exception {
    return JSON.readTree(
            real.run(List.of("skopeo", "inspect", "--tls-verify=false", "docker://" + image)))
        .path("Digest")
        .asText();
  }

  static List<String> tags(RealEnv real, String repo) throws Exception {
    List<String> out = new ArrayList<>();
    JSON.readTree(
            real.run(List.of("skopeo", "list-tags", "--tls-verify=false", "docker://" + repo)))
        .path("Tags")
        .forEach(t -> out.add(t.asText()));
    out.sort(null);
    return out;
  }

  static String runIn(RealEnv real, String image, String python) throws Exception {
    return real.run(
        List.of(
            "podman",
            "run",
            "--rm",
            "--network",
            "none",
            "--tls-verify=false",
            image,
            "python",
            "-c",
            python));
  }

  /** An image's layer digests and the history comments of its layers, in order. */
  record Image(List<String> layers, List<String> comments) {
    static Image of(RealEnv real, String image) throws Exception {
      JsonNode manifest =
          JSON.readTree(
              real.run(
                  List.of(
                      "skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + image)));
      JsonNode config =
          JSON.readTree(
              real.run(
                  List.of(
                      "skopeo", "inspect", "--config", "--tls-verify=false", "docker://" + image)));
      List<String> layers = new ArrayList<>();
      manifest.path("layers").forEach(l -> layers.add(l.path("digest").asText()));
      List<String> comments = new ArrayList<>();
      for (JsonNode h : config.path("history")) {
        if (!h.path("empty_layer").asBoolean(false)) {
          comments.add(h.path("comment").asText(""));
        }
      }
      return new Image(layers, comments);
    }
  }
}
