package dev.pyrelease.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pyrelease.image.BaseImage;
import dev.pyrelease.image.ImageRef;
import dev.pyrelease.image.ImageSettings;
import dev.pyrelease.image.ImageTarget;
import dev.pyrelease.image.ImageWriter;
import dev.pyrelease.image.LayerFile;
import dev.pyrelease.image.PlannedLayer;
import dev.pyrelease.image.RegistryCredentials;
import dev.pyrelease.image.RegistryOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The host runner (hermetic pip on a machine with a global pip config) and a package app. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BuildVariantsTest {
  RealEnv real;
  Path dir;

  @BeforeAll
  void setUp() throws Exception {
    real = new RealEnv();
    dir = Files.createTempDirectory("pyrelease-build-variants-");
  }

  @AfterAll
  void tearDown() {
    if (dir != null) {
      Workspace.deleteTree(dir);
    }
    if (real != null) {
      real.close();
    }
  }

  /** Debian's interpreter on this machine (scripts/testenv installs python3.11). */
  static final Path MACHINE_PYTHON = Path.of("/usr/bin/python3.11");

  /**
   * The test base image with this machine's own /usr/bin/python3.11 on top: what a CI job running
   * inside its base image has, a base whose interpreter is the machine's.
   */
  String machinesBase() throws Exception {
    String ref = real.repository("host-base") + ":1";
    new ImageWriter(new RegistryOptions(RegistryCredentials.none(), true, real.cache), s -> {})
        .write(
            BaseImage.registry(real.baseImage),
            List.of(
                new PlannedLayer(
                    "machine-python",
                    List.of(new LayerFile(MACHINE_PYTHON, MACHINE_PYTHON.toString(), 0755)))),
            ImageSettings.builder().manifestLabel(false).build(),
            ImageTarget.registry(ImageRef.parse(ref)));
    return ref;
  }

  /** {@link RealEnv#build} with the host runner, this machine's python3.11 and its base. */
  List<String> hostBuild(Path release, Path app, String repo, String... more) throws Exception {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                real.build(
                    release,
                    app,
                    real.indexUrl,
                    repo,
                    "--runner",
                    "host",
                    "--host-python",
                    MACHINE_PYTHON.toString())));
    args.addAll(List.of(more));
    args.set(args.indexOf("--base") + 1, machinesBase());
    return args;
  }

  @Test
  void theHostRunnerIgnoresTheMachinesPipConfigurationAndItsImageRuns() throws Exception {
    Path app = Releases.plainApp(dir);
    Path release = Releases.write(dir, "host", "sqlparse==0.6.0", false);
    Path ws = dir.resolve("host-ws");
    Map<String, String> env = new HashMap<>(real.env);
    // what would redirect an unisolated pip: all must be ignored
    env.put("PIP_INDEX_URL", "http://127.0.0.1:1/nowhere/");
    env.put("PIP_NO_INDEX", "1");
    env.put("PIP_FIND_LINKS", "/opt/wheels");
    env.put("PIP_CONFIG_FILE", dir.resolve("pip.conf").toString());
    Files.writeString(
        dir.resolve("pip.conf"), "[global]\nindex-url = http://127.0.0.1:1/nowhere/\n");
    String repo = real.repository("host");
    List<String> args =
        hostBuild(release, app, repo, "--workspace", ws.toString(), "--output", "json");
    RealEnv.Run run = real.cli(env, args.toArray(String[]::new));
    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.json().path("venvStep").asText()).isEqualTo("full");
    String pipLog = Files.readString(ws.resolve("out/pip.log"), StandardCharsets.UTF_8);
    assertThat(pipLog).contains("Looking in indexes: " + real.indexUrl);
    assertThat(pipLog)
        .doesNotContain("/opt/wheels")
        .doesNotContain("nowhere")
        .doesNotContain("Looking in links");
    // the venv was built at its final path, in a private mount namespace
    assertThat(Files.readString(ws.resolve("venv/pyvenv.cfg"))).contains("/opt/venv");
    assertThat(Files.exists(Path.of("/opt/venv/pyvenv.cfg"))).isFalse();
    // and it runs in the image
    String out = helloAndSqlparse(run.json().path("image").asText());
    assertThat(out).contains("hello").contains("sqlparse 0.6.0");
  }

  @Test
  void theHostRunnerRefusesAnInterpreterTheBaseImageDoesNotHave() throws Exception {
    // the same build of Python, but where the base has nothing: pyvenv.cfg would name a directory
    // the image lacks (as a pyenv or /usr/local python on a Debian-python base did)
    Path elsewhere = dir.resolve("elsewhere/bin/python3.11");
    Files.createDirectories(elsewhere.getParent());
    Files.copy(MACHINE_PYTHON, elsewhere, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
    Path release = Releases.write(dir, "host-refused", "sqlparse==0.6.0", false);
    String repo = real.repository("host-refused");
    RealEnv.Run run =
        real.cli(
            real.build(
                release,
                Releases.plainApp(dir.resolve("refused")),
                real.indexUrl,
                repo,
                "--runner",
                "host",
                "--host-python",
                elsewhere.toString()));
    assertThat(run.exit()).as(run.toString()).isEqualTo(2);
    assertThat(run.err())
        .contains("runner host: this machine's " + elsewhere + " is " + elsewhere)
        .contains("the base image " + real.baseImage + " has no such file")
        .contains("Use --runner podman");
    assertThat(real.tags(repo)).isEmpty();
  }

  @Test
  void anSdistWithACExtensionIsBuiltOnAMachineWithACompilerAndRunsInTheImage() throws Exception {
    // the sdist, made here from the fixture's sources; with the build backend's wheels beside it
    Path links = Files.createDirectories(dir.resolve("links"));
    sdist(Path.of("src/test/resources/dev/pyrelease/engine/cext-demo"), "cext-demo-0.1", links);
    Path files = Path.of(System.getenv("PYRELEASE_INDEX_ROOT"), "files");
    try (var wheels = Files.list(files)) {
      for (Path w : (Iterable<Path>) wheels::iterator) {
        String n = w.getFileName().toString();
        if (n.startsWith("setuptools-")
            || n.startsWith("wheel-")
            || n.startsWith("packaging-")
            || n.startsWith("sqlparse-0.6.0-")) {
          Files.copy(w, links.resolve(n));
        }
      }
    }
    int port = RealEnv.closedPort();
    Process server =
        new ProcessBuilder(
                "python3",
                "-m",
                "http.server",
                "--bind",
                "127.0.0.1",
                "" + port,
                "--directory",
                links.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("links-server.log").toFile())
            .start();
    try {
      String page = "http://127.0.0.1:" + port + "/";
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(20))
          .until(() -> RealEnv.get(page) == 200);
      Path release = Releases.write(dir, "cext", "cext-demo==0.1\nsqlparse==0.6.0", false);
      Files.writeString(
          release,
          Files.readString(release)
              .replace(
                  "    url: http://127.0.0.1:8081/simple/\n", "    findLinks: [" + page + "]\n"));
      Path app = Releases.plainApp(dir.resolve("cext-app"));
      String repo = real.repository("cext");

      // this machine has gcc and Python's headers; its interpreter is the base's (machinesBase)
      List<String> args = hostBuild(release, app, repo, "--output", "json");
      // the release's find-links page, not the test index
      args.subList(args.indexOf("--index-url"), args.indexOf("--index-url") + 2).clear();
      RealEnv.Run built = real.cli(args.toArray(String[]::new));
      assertThat(built.exit()).as(built.toString()).isZero();
      assertThat(built.json().path("distributions"))
          .anySatisfy(
              d -> {
                assertThat(d.path("name").asText()).isIn("cext-demo", "cext_demo");
                assertThat(d.path("version").asText()).isEqualTo("0.1");
                assertThat(d.path("sha256").asText()).matches("[0-9a-f]{64}");
              });
      String out =
          real.run(
              List.of(
                  "podman",
                  "run",
                  "--rm",
                  built.json().path("image").asText(),
                  "python",
                  "-c",
                  "import cext_demo; print('2 + 3 =', cext_demo.add(2, 3))"));
      assertThat(out).contains("2 + 3 = 5");

      // the test base image has no compiler: the same sdist fails there, naming it
      args.set(args.indexOf("--base") + 1, real.baseImage);
      args.set(args.indexOf("--runner") + 1, "podman");
      args.set(args.indexOf("--to") + 1, real.repository("cext-nocc"));
      RealEnv.Run noCompiler = real.cli(args.toArray(String[]::new));
      assertThat(noCompiler.exit()).as(noCompiler.toString()).isEqualTo(1);
      assertThat(noCompiler.err()).contains("cext-demo");
    } finally {
      server.destroy();
      server.waitFor();
    }
  }

  /**
   * A source distribution of {@code src} as {@code links/<top>.tar.gz}, with top-level {@code
   * top/}.
   */
  static void sdist(Path src, String top, Path links) throws Exception {
    Path file = links.resolve(top + ".tar.gz");
    try (var out =
            new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
                new java.util.zip.GZIPOutputStream(Files.newOutputStream(file)));
        var walk = Files.walk(src)) {
      for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
        if (!Files.isRegularFile(p)) {
          continue;
        }
        var e =
            new org.apache.commons.compress.archivers.tar.TarArchiveEntry(
                p.toFile(), top + "/" + src.relativize(p));
        out.putArchiveEntry(e);
        Files.copy(p, out);
        out.closeArchiveEntry();
      }
    }
  }

  @Test
  void withoutSourceTheRefIsResolvedAndItsCommitCheckedOutAsInTheBuildJob() throws Exception {
    Path origin = Files.createDirectories(dir.resolve("origin"));
    Files.writeString(origin.resolve("hello.py"), "print('hello from git')\n");
    Files.createDirectories(origin.resolve("reqs"));
    Files.writeString(origin.resolve("reqs/prod.txt"), "sqlparse==0.6.0\n");
    String commit;
    try (org.eclipse.jgit.api.Git git =
        org.eclipse.jgit.api.Git.init()
            .setDirectory(origin.toFile())
            .setInitialBranch("main")
            .call()) {
      git.add().addFilepattern(".").call();
      var who = new org.eclipse.jgit.lib.PersonIdent("Test", "test@example.com");
      commit = git.commit().setMessage("v1").setAuthor(who).setCommitter(who).call().getName();
      git.tag().setName("v1").setAnnotated(false).call();
    }
    Path release = Releases.write(dir, "fromgit", "sqlparse==0.6.0", false);
    String yaml =
        Files.readString(release)
            .replace("https://git.internal/fromgit.git, ref: main", origin.toUri() + ", ref: v1")
            .replace("    inline: |\n      sqlparse==0.6.0\n", "    file: reqs/prod.txt\n");
    Files.writeString(release, yaml);
    String repo = real.repository("fromgit");
    List<String> args =
        new java.util.ArrayList<>(
            List.of(real.build(release, dir, real.indexUrl, repo, "--output", "json")));
    args.subList(args.indexOf("--source"), args.indexOf("--source") + 2).clear();

    RealEnv.Run run = real.cli(args.toArray(String[]::new));
    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.err()).contains("[source] v1 of " + origin.toUri() + " is " + commit);
    String labels =
        real.run(
            List.of(
                "skopeo",
                "inspect",
                "--tls-verify=false",
                "docker://" + run.json().path("image").asText()));
    assertThat(labels)
        .contains("\"org.opencontainers.image.revision\": \"" + commit + "\"")
        .contains("\"org.opencontainers.image.source\": \"" + origin.toUri() + "\"");
    assertThat(helloAndSqlparse(run.json().path("image").asText()))
        .contains("hello from git")
        .contains("sqlparse 0.6.0");

    // a ref the repository does not have: bad input, nothing fetched into the registry
    Files.writeString(release, yaml.replace("ref: v1", "ref: v9"));
    RealEnv.Run unknown = real.cli(args.toArray(String[]::new));
    assertThat(unknown.exit()).as(unknown.toString()).isEqualTo(1);
    assertThat(unknown.err()).contains("v9");
  }

  /** What {@code hello} (the plain app) and sqlparse's version print in the image. */
  String helloAndSqlparse(String image) throws Exception {
    return real.run(
        List.of(
            "podman",
            "run",
            "--rm",
            "--network",
            "host",
            image,
            "python",
            "-c",
            "import sqlparse, hello; print('sqlparse', sqlparse.__version__)"));
  }

  /** The entry names of a build result's app layer, read from the registry. */
  static List<String> appLayerEntries(JsonNode result, String repo) throws Exception {
    String digest = null;
    for (JsonNode l : result.path("layers")) {
      if (l.path("name").asText().equals("app")) {
        digest = l.path("digest").asText();
      }
    }
    assertThat(digest).as("app layer of " + result).isNotNull();
    int slash = repo.indexOf('/');
    java.net.URI uri =
        java.net.URI.create(
            "http://"
                + repo.substring(0, slash)
                + "/v2/"
                + repo.substring(slash + 1)
                + "/blobs/"
                + digest);
    byte[] blob =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(uri).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray())
            .body();
    List<String> names = new java.util.ArrayList<>();
    try (var tar =
        new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
            new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(blob)))) {
      for (var e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        names.add(e.getName());
      }
    }
    return names;
  }

  @Test
  void aPackageAppIsInstalledAppOnlyInTheDependencyImage() throws Exception {
    Path app = dir.resolve("pkg");
    RealEnv.copyTree(Path.of("src/test/resources/dev/pyrelease/engine/app-package"), app);
    Path release =
        Releases.write(dir, "pkg", "django==5.2.17\nasgiref==3.12.1\nsqlparse==0.6.0", false);
    String repo = real.repository("pkg");
    String[] args = real.build(release, app, real.indexUrl, repo, "--output", "json");
    RealEnv.Run first = real.cli(args);
    assertThat(first.exit()).as(first.toString()).isZero();
    JsonNode a = first.json();
    assertThat(a.path("venvStep").asText()).isEqualTo("full");

    Path wsgi = app.resolve("shop/wsgi.py");
    Files.writeString(wsgi, Files.readString(wsgi) + "\nCHANGED = True\n");
    RealEnv.Run second = real.cli(args);
    assertThat(second.exit()).as(second.toString()).isZero();
    JsonNode b = second.json();
    assertThat(b.path("venvStep").asText()).isEqualTo("app-only");
    assertThat(second.err()).contains("installing the app in " + repo + ":deps-");
    assertThat(BuildIntegrationTest.uploaded(b)).containsExactly("app");
    // unpinned by hash, yet the app-only build reports the wheel hashes: from the dependency
    // image's installed-distributions record, as the full build reported them
    assertThat(b.path("distributions")).isEqualTo(a.path("distributions"));
    a.path("distributions")
        .forEach(d -> assertThat(d.path("sha256").asText()).matches("[0-9a-f]{64}"));
    assertThat(b.path("digest").asText()).isNotEqualTo(a.path("digest").asText());

    // the app's own bytecode is in its layer, both when the full step and the app-only step
    // installed it
    for (JsonNode r : List.of(a, b)) {
      assertThat(appLayerEntries(r, repo))
          .contains("opt/venv/lib/python3.11/site-packages/shop/wsgi.py")
          .anyMatch(n -> n.matches(".*/site-packages/shop/__pycache__/wsgi\\.cpython-311\\.pyc"));
    }

    // unchanged again: app-only step, the same digest as the build before
    RealEnv.Run third = real.cli(args);
    assertThat(third.exit()).as(third.toString()).isZero();
    assertThat(third.json().path("digest").asText()).isEqualTo(b.path("digest").asText());
  }

  @Test
  void aPackageAppWithAnEmptyRequirementsFileBuildsAgainAndItsOwnDependenciesAreChecked()
      throws Exception {
    Path app = dir.resolve("emptypkg");
    RealEnv.copyTree(Path.of("src/test/resources/dev/pyrelease/engine/app-package"), app);
    Path pyproject = app.resolve("pyproject.toml");
    Files.writeString(
        pyproject,
        Files.readString(pyproject)
            .replace("dependencies = [\"django==5.2.17\"]", "dependencies = []"));
    Files.writeString(app.resolve("requirements.txt"), "");
    Path release =
        Files.writeString(
            dir.resolve("emptypkg.yaml"),
            Files.readString(Releases.write(dir, "emptypkg", "x==1", false))
                .replaceAll(
                    "(?s)    requireHashes: false\n    inline: \\|\n      x==1\n",
                    "    file: requirements.txt\n"));
    assertThat(Files.readString(release)).contains("file: requirements.txt").doesNotContain("x==1");
    String repo = real.repository("emptypkg");
    String[] args = real.build(release, app, real.indexUrl, repo, "--output", "json");
    RealEnv.Run first = real.cli(args);
    assertThat(first.exit()).as(first.toString()).isZero();
    assertThat(first.json().path("venvStep").asText()).isEqualTo("full");

    // the identical build again: the dependency image exists, but its venv has no
    // site-packages to install the app into (it failed with exit 2 here)
    RealEnv.Run second = real.cli(args);
    assertThat(second.exit()).as(second.toString()).isZero();
    assertThat(second.err()).contains("its venv has no site-packages to install the app into");
    assertThat(second.json().path("digest").asText())
        .isEqualTo(first.json().path("digest").asText());

    // the app's own dependencies are part of the closure, also on the existing dependency image
    Files.writeString(
        pyproject,
        Files.readString(pyproject).replace("dependencies = []", "dependencies = [\"rich>=13\"]"));
    RealEnv.Run third = real.cli(args);
    assertThat(third.exit()).as(third.toString()).isEqualTo(1);
    assertThat(third.err())
        .contains(
            "the app shop 1.4.2 (its declared dependencies) requires rich>=13, which is not"
                + " pinned; required unconditionally (no marker); on the index, rich>=13 is met by"
                + " rich 15.0.0, 13.9.4 (pin one, e.g. rich==15.0.0)");
  }

  @Test
  void aTarBuildIsTheSameImageAsThePushedOneAndRunsWhenLoaded() throws Exception {
    Path app = Releases.plainApp(dir.resolve("tar"));
    Path release = Releases.write(dir, "tarred", "sqlparse==0.6.0", false);
    String repo = real.repository("tarred");
    RealEnv.Run pushed =
        real.cli(real.build(release, app, real.indexUrl, repo, "--output", "json"));
    assertThat(pushed.exit()).as(pushed.toString()).isZero();

    Path tar = dir.resolve("tarred.tar");
    List<String> args =
        new java.util.ArrayList<>(List.of(real.build(release, app, real.indexUrl, repo)));
    int to = args.indexOf("--to");
    args.set(to, "--tar");
    args.set(to + 1, tar.toString());
    args.addAll(List.of("--output", "json"));
    RealEnv.Run tarred = real.cli(args.toArray(String[]::new));
    assertThat(tarred.exit()).as(tarred.toString()).isZero();
    // one image whichever way it is written: the same config and layers, so the same digest
    assertThat(tarred.json().path("digest").asText())
        .isEqualTo(pushed.json().path("digest").asText());

    String loaded = real.run(List.of("podman", "load", "-q", "-i", tar.toString()));
    assertThat(loaded).contains("Loaded image");
    String out = helloAndSqlparse(loaded.substring(loaded.indexOf(':') + 1).trim());
    assertThat(out).contains("hello").contains("sqlparse 0.6.0");
  }

  @Test
  void aBuildOnAnExistingDependencyImageReportsTheWheelHashesItWasBuiltWith() throws Exception {
    Path app = Releases.plainApp(dir.resolve("reuse"));
    Path release = Releases.write(dir, "reuse", "sqlparse==0.6.0\nasgiref==3.12.1", false);
    String repo = real.repository("reuse");
    String[] args = real.build(release, app, real.indexUrl, repo, "--output", "json");
    RealEnv.Run full = real.cli(args);
    assertThat(full.exit()).as(full.toString()).isZero();
    Files.writeString(app.resolve("hello.py"), "print('hello again')\n");
    RealEnv.Run reused = real.cli(args);
    assertThat(reused.exit()).as(reused.toString()).isZero();
    assertThat(reused.json().path("venvStep").asText()).isEqualTo("skipped");
    assertThat(reused.json().path("distributions"))
        .isEqualTo(full.json().path("distributions"))
        .hasSize(2)
        .allSatisfy(d -> assertThat(d.path("sha256").asText()).matches("[0-9a-f]{64}"));
  }
}
