package dev.pyrelease.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ImageWriter against the real test environment: the loopback registry, the bookworm python3.11
 * base image, a real venv made by venv.py with podman, podman running the result.
 */
class ImageWriterRegistryTest {

  @TempDir static Path work;

  static String registry;
  static Path venvDir;
  static Path appDir;
  static VenvManifest manifest;
  static ImageSettings settings;

  @BeforeAll
  static void buildRealVenv() throws Exception {
    registry = TestEnv.registry();
    TestEnv.baseImage();
    TestEnv.baseTar();
    String index = TestEnv.indexUrl();
    Path ws = Files.createDirectories(work.resolve("ws"));
    Files.writeString(
        ws.resolve("requirements.txt"),
        String.join(
            "\n",
            "flask==3.1.3",
            "werkzeug==3.1.9",
            "jinja2==3.1.6",
            "markupsafe==3.0.3",
            "itsdangerous==2.2.0",
            "click==8.5.0",
            "blinker==1.9.0",
            "gunicorn==26.2.0",
            "six==1.17.0",
            ""));
    Files.createDirectories(ws.resolve("src"));
    Files.writeString(ws.resolve("src/app.py"), "print('hello from the app')\n");
    venvDir = Files.createDirectories(ws.resolve("venv"));
    Path script = Path.of("src/main/resources/dev/pyrelease/engine/venv.py").toAbsolutePath();
    TestEnv.runOk(
        List.of(
            "podman",
            "run",
            "--rm",
            "--network",
            "host",
            "-v",
            script + ":/pyrelease/venv.py:ro",
            "-v",
            ws + ":/workspace",
            "-v",
            venvDir + ":/opt/venv",
            TestEnv.baseImage(),
            "python3",
            "/pyrelease/venv.py",
            "--requirements",
            "/workspace/requirements.txt",
            "--index-url",
            index,
            "--app",
            "/workspace/src",
            "--out",
            "/workspace/out",
            "--wheels",
            "/workspace/wheels"),
        null,
        300);
    manifest = VenvManifest.read(ws.resolve("out/manifest.json"));
    appDir = ws.resolve("out/app-files");
    settings =
        ImageSettings.builder()
            .command(List.of("python", "/app/app.py"))
            .port(8000)
            .source("http://127.0.0.1/git/shop.git")
            .revision("0123456789abcdef0123456789abcdef01234567")
            .buildKey("test-build-key")
            .requirementsSha256("test-requirements-sha")
            .build();
  }

  static String uniqueRepo(String what) {
    return registry + "/test-image/" + what + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static ImageWriter writer(List<String> log) throws IOException {
    return new ImageWriter(
        new RegistryOptions(
            RegistryCredentials.none(), true, Files.createTempDirectory(work, "cache")),
        log::add);
  }

  static LayerPlan venvPlan(VenvManifest m, Path venv) throws IOException {
    return SbomLayers.of(
            LayerPlan.forVenv(m, venv, "/opt/venv", LayerPolicy.DEFAULT),
            m,
            new Sbom.Base(TestEnv.baseImage(), null),
            "/opt/venv",
            Files.createTempDirectory(work, "sbom"))
        .plan();
  }

  static List<PlannedLayer> releaseLayers(VenvManifest m, Path venv, Path app) throws IOException {
    return venvPlan(m, venv).with(LayerPlan.forApp(m, app, null)).layers();
  }

  static List<String> uploaded(ImageResult r) {
    return r.uploadedLayers().stream().map(ImageResult.LayerResult::name).toList();
  }

  static Path copyTree(Path src, String name) throws Exception {
    Path dst = work.resolve(name + "-" + UUID.randomUUID().toString().substring(0, 6));
    TestEnv.runOk(List.of("cp", "-a", src.toString(), dst.toString()), null, 60);
    return dst;
  }

  /** {@code podman run --rm --network host IMAGE COMMAND...}: its stdout. */
  static String podmanRun(String image, String... command) throws Exception {
    List<String> argv = new ArrayList<>(List.of("podman", "run", "--rm", "--network", "host"));
    argv.add(image);
    argv.addAll(List.of(command));
    return TestEnv.runOk(argv, null, 120).out();
  }

  static void report(String what, ImageResult r) {
    System.out.printf(
        "[image-it] %s: %d ms, %d/%d layers uploaded (%d bytes) %s%n",
        what,
        r.elapsed().toMillis(),
        r.uploadedLayers().size(),
        r.layers().size(),
        r.uploadedBytes(),
        r.digest());
  }

  @Test
  void sameInputsGiveTheSameDigestAndReuseEveryLayer() throws Exception {
    ImageRef repo = ImageRef.parse(uniqueRepo("repro"));
    List<String> log = new CopyOnWriteArrayList<>();
    List<PlannedLayer> layers = releaseLayers(manifest, venvDir, appDir);

    ImageResult first =
        writer(log)
            .write(
                BaseImage.registry(TestEnv.baseImage()),
                layers,
                settings,
                ImageTarget.registry(repo.withTag("v1")));
    report("cold push", first);
    assertThat(first.image()).isEqualTo(repo.repositoryName() + "@" + first.digest());
    assertThat(first.digest()).matches("sha256:[0-9a-f]{64}");
    assertThat(first.layers())
        .extracting(ImageResult.LayerResult::name)
        .containsExactlyElementsOf(layers.stream().map(PlannedLayer::name).toList());
    assertThat(first.layers()).allMatch(ImageResult.LayerResult::uploaded);
    assertThat(first.layers()).allMatch(l -> l.sizeBytes() > 0 && l.digest().startsWith("sha256:"));
    assertThat(first.tags()).contains("v1");
    assertThat(log).isNotEmpty();

    // a new writer with a new, empty layer cache: the same digest, nothing uploaded
    ImageResult again =
        writer(new ArrayList<>())
            .write(
                BaseImage.registry(TestEnv.baseImage()),
                releaseLayers(manifest, venvDir, appDir),
                settings,
                ImageTarget.registry(repo.withTag("v1b")));
    report("same inputs", again);
    assertThat(again.digest()).isEqualTo(first.digest());
    assertThat(again.layers()).noneMatch(ImageResult.LayerResult::uploaded);
    assertThat(again.layers())
        .isEqualTo(
            first.layers().stream()
                .map(l -> new ImageResult.LayerResult(l.name(), l.digest(), l.sizeBytes(), false))
                .toList());

    // the app changes: only the app layer
    Path app2 = copyTree(appDir, "app2");
    Files.writeString(app2.resolve("app.py"), "print('hello again')\n");
    ImageResult appOnly =
        writer(new ArrayList<>())
            .write(
                BaseImage.registry(TestEnv.baseImage()),
                releaseLayers(manifest, venvDir, app2),
                settings,
                ImageTarget.registry(repo.withTag("v2")));
    report("app change", appOnly);
    assertThat(uploaded(appOnly)).containsExactly("app");
    assertThat(appOnly.digest()).isNotEqualTo(first.digest());

    // one distribution bumped: only its layer and the small manifest layer
    Path venv3 = copyTree(venvDir, "venv3");
    Path init = venv3.resolve("lib/python3.11/site-packages/gunicorn/__init__.py");
    Files.writeString(init, Files.readString(init) + "\n# 26.2.1\n");
    List<VenvManifest.Distribution> dists =
        manifest.distributions().stream()
            .map(
                d ->
                    d.name().equals("gunicorn")
                        ? new VenvManifest.Distribution(
                            d.name(),
                            "26.2.1",
                            "gunicorn-26.2.1-py3-none-any.whl",
                            "0".repeat(64),
                            d.files(),
                            d.sizeBytes() + 10,
                            List.of())
                        : d)
            .toList();
    VenvManifest bumped =
        new VenvManifest(
            manifest.python(),
            manifest.venv(),
            dists,
            manifest.app(),
            manifest.skeletonFiles(),
            List.of());
    ImageResult bump =
        writer(new ArrayList<>())
            .write(
                BaseImage.registry(TestEnv.baseImage()),
                releaseLayers(bumped, venv3, appDir),
                settings,
                ImageTarget.registry(repo.withTag("v3")));
    report("one bump", bump);
    assertThat(uploaded(bump)).containsExactlyInAnyOrder("dist-gunicorn", LayerPlan.SBOM);
  }

  @Test
  void aFreshRepositoryGetsTheBaseLayersMountedNotPulled() throws Exception {
    // Jib pulls (and inflates) every base layer the target repository lacks before it would try
    // a mount; the writer mounts them first, so a first push of a new app reads no base layer
    ImageRef repo = ImageRef.parse(uniqueRepo("mount"));
    Path cache = Files.createTempDirectory(work, "cache");
    ImageResult r =
        new ImageWriter(new RegistryOptions(RegistryCredentials.none(), true, cache), s -> {})
            .write(
                BaseImage.registry(TestEnv.baseImage()),
                List.of(LayerPlan.forApp(manifest, appDir, null)),
                settings,
                ImageTarget.registry(repo.withTag("v1")));
    report("fresh repository", r);
    long pulled;
    try (var files = Files.walk(cache.resolve("base"))) {
      pulled = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
    assertThat(pulled).as("bytes of base layers Jib pulled into its cache").isLessThan(1 << 20);
    assertThat(uploaded(r)).containsExactly("app");
    // and the image is whole: every layer of it is in the new repository
    var get =
        (java.net.HttpURLConnection)
            java.net
                .URI
                .create("http://" + registry + "/v2/" + repo.repository() + "/manifests/v1")
                .toURL()
                .openConnection();
    get.setRequestProperty(
        "Accept",
        "application/vnd.docker.distribution.manifest.v2+json,"
            + " application/vnd.oci.image.manifest.v1+json");
    String manifestJson = new String(get.getInputStream().readAllBytes());
    var digests =
        java.util.regex.Pattern.compile("\"digest\":\"(sha256:[0-9a-f]{64})\"")
            .matcher(manifestJson)
            .results()
            .map(m -> m.group(1))
            .toList();
    assertThat(digests).hasSizeGreaterThan(2);
    for (String d : digests) {
      var c =
          (java.net.HttpURLConnection)
              java.net
                  .URI
                  .create("http://" + registry + "/v2/" + repo.repository() + "/blobs/" + d)
                  .toURL()
                  .openConnection();
      c.setRequestMethod("HEAD");
      assertThat(c.getResponseCode()).as(d).isEqualTo(200);
      c.disconnect();
    }
  }

  @Test
  void tarLoadsAndRunsInTheVenvAsNonRoot() throws Exception {
    String name = "localhost/pyrelease-test/tar-" + UUID.randomUUID().toString().substring(0, 8);
    ImageRef ref = ImageRef.parse(name + ":t");
    Path tar = work.resolve("image-" + UUID.randomUUID() + ".tar");
    ImageResult r =
        writer(new ArrayList<>())
            .write(
                BaseImage.registry(TestEnv.baseImage()),
                releaseLayers(manifest, venvDir, appDir),
                settings,
                ImageTarget.tar(tar, ref));
    report("docker tar", r);
    assertThat(tar).isRegularFile();
    assertThat(r.layers()).allMatch(l -> l.uploaded() && l.sizeBytes() > 0);
    try {
      TestEnv.runOk(List.of("podman", "load", "-i", tar.toString()), null, 120);
      String out =
          podmanRun(
              ref.toString(),
              "python",
              "-c",
              "import os, sys, flask; print(sys.prefix, os.getuid(), os.getgid(), os.getcwd())");
      assertThat(out.strip()).endsWith("/opt/venv 65532 65532 /app");
      assertThat(
              podmanRun(
                      ref.toString(),
                      "python",
                      "-c",
                      "import os; print(os.environ['PATH'], os.environ['VIRTUAL_ENV'],"
                          + " os.environ['PYTHONUNBUFFERED'], os.environ['PYTHONDONTWRITEBYTECODE'], os.environ['LANG'])")
                  .strip())
          .endsWith(
              "/opt/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin /opt/venv 1 1 C.UTF-8");
      // the image's CMD, and a console script on PATH (executable bits kept)
      assertThat(podmanRun(ref.toString())).contains("hello from the app");
      assertThat(podmanRun(ref.toString(), "gunicorn", "--version")).contains("26.2.0");
      String inspect =
          TestEnv.runOk(
                  List.of(
                      "podman",
                      "image",
                      "inspect",
                      "--format",
                      "{{.Config.User}} {{index .Config.Labels \"dev.pyrelease.build-key\"}} "
                          + "{{index .Config.Labels \"dev.pyrelease.sbom\"}} {{.Created}}",
                      ref.toString()),
                  null,
                  60)
              .out();
      assertThat(inspect).contains("65532:65532 test-build-key /opt/venv/sbom.cdx.json 1970-01-01");
      String sbom = podmanRun(ref.toString(), "cat", "/opt/venv/sbom.cdx.json");
      assertThat(sbom)
          .contains(
              "\"purl\" : \"pkg:pypi/gunicorn@26.2.0\"",
              "\"value\" : \"gunicorn-26.2.0-py3-none-any.whl\"");
    } finally {
      TestEnv.run(List.of("podman", "rmi", "-f", ref.toString()), null, 60);
    }

    // OCI archive: same layer blobs, readable back
    Path oci = work.resolve("image-" + UUID.randomUUID() + ".oci.tar");
    ImageResult o =
        writer(new ArrayList<>())
            .write(
                BaseImage.registry(TestEnv.baseImage()),
                releaseLayers(manifest, venvDir, appDir),
                settings,
                new ImageTarget.Tar(oci, ref, ImageTarget.TarFormat.OCI));
    assertThat(o.layers())
        .extracting(ImageResult.LayerResult::digest)
        .containsExactlyElementsOf(
            r.layers().stream().map(ImageResult.LayerResult::digest).toList());
  }

  @Test
  void dependencyImageThenAppOnlyReleases() throws Exception {
    ImageRef repo = ImageRef.parse(uniqueRepo("deps"));
    String key = "k" + UUID.randomUUID().toString().replace("-", "");
    ImageWriter w = writer(new ArrayList<>());
    ImageRef deps = ImageWriter.dependencyImage(repo, key);
    assertThat(deps.tag()).isEqualTo("deps-" + key);
    assertThat(w.exists(deps)).isFalse();

    ImageResult d =
        w.writeDependencyImage(
            BaseImage.registry(TestEnv.baseImage()),
            venvPlan(manifest, venvDir),
            settings,
            repo,
            key);
    report("dependency image", d);
    assertThat(w.exists(deps)).isTrue();
    assertThat(w.exists(repo.withDigest(d.digest()))).isTrue();

    ImageResult r1 =
        writer(new ArrayList<>())
            .writeOnDependencyImage(
                deps,
                LayerPlan.forApp(manifest, appDir, null),
                settings,
                ImageTarget.registry(repo.withTag("r1")));
    report("release on deps image", r1);
    assertThat(r1.layers()).extracting(ImageResult.LayerResult::name).containsExactly("app");
    assertThat(uploaded(r1)).containsExactly("app");
    // the release inherits the dependency image's PATH (venv first, then the base's) unchanged
    String env =
        TestEnv.runOk(
                List.of(
                    "skopeo",
                    "inspect",
                    "--tls-verify=false",
                    "--config",
                    "docker://" + repo.repositoryName() + "@" + r1.digest()),
                null,
                60)
            .out();
    assertThat(env)
        .contains("\"PATH=/opt/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin")
        .contains("\"VIRTUAL_ENV=/opt/venv\"")
        .containsOnlyOnce("PATH=");

    Path app2 = copyTree(appDir, "app-deps");
    Files.writeString(app2.resolve("app.py"), "print('release two')\n");
    ImageResult r2 =
        writer(new ArrayList<>())
            .writeOnDependencyImage(
                deps,
                LayerPlan.forApp(manifest, app2, null),
                settings,
                ImageTarget.registry(repo.withTag("r2")));
    report("app change on deps image", r2);
    assertThat(uploaded(r2)).containsExactly("app");
    assertThat(r2.uploadedBytes()).isLessThan(10_000);

    ImageResult r2again =
        writer(new ArrayList<>())
            .writeOnDependencyImage(
                deps,
                LayerPlan.forApp(manifest, app2, null),
                settings,
                ImageTarget.registry(repo.withTag("r2b")));
    assertThat(r2again.digest()).isEqualTo(r2.digest());
    assertThat(r2again.uploadedLayers()).isEmpty();

    // the release runs from the registry: venv from the dependency image, app on top
    String ref = repo.repositoryName() + "@" + r2.digest();
    try {
      String out =
          TestEnv.runOk(List.of("podman", "run", "--rm", "--network", "host", ref), null, 180)
              .out();
      assertThat(out).contains("release two");
      out = podmanRun(ref, "python", "-c", "import flask, sys, os; print(sys.prefix, os.getuid())");
      assertThat(out.strip()).endsWith("/opt/venv 65532");
      out = podmanRun(ref, "python", "-c", "import os; print(os.environ['PATH'])");
      assertThat(out.strip())
          .endsWith("/opt/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    } finally {
      TestEnv.run(List.of("podman", "rmi", "-f", ref), null, 60);
    }
  }

  @Test
  void theDirectAppLayerPushGivesJibsDigest() throws Exception {
    ImageRef repo = ImageRef.parse(uniqueRepo("direct"));
    String key = "k" + UUID.randomUUID().toString().replace("-", "");
    ImageWriter w = writer(new ArrayList<>());
    w.writeDependencyImage(
        BaseImage.registry(TestEnv.baseImage()),
        venvPlan(manifest, venvDir),
        ImageSettings.builder().build(),
        repo,
        key);
    ImageRef deps = ImageWriter.dependencyImage(repo, key);
    PlannedLayer app = LayerPlan.forApp(manifest, appDir, null);
    List<ImageSettings> variants =
        List.of(
            settings,
            settings.toBuilder().env("SHOP_MODE", "prod").env("LANG", "C").port(9000).build(),
            settings.toBuilder().format(ImageSettings.Format.OCI).build(),
            ImageSettings.builder()
                .entrypoint(List.of("/bin/sh", "-c"))
                .command(List.of("exec python /app/app.py"))
                .workingDirectory("/srv")
                .user("1000:1000")
                .build());
    int n = 0;
    for (ImageSettings s : variants) {
      for (PlannedLayer layer : List.of(app, new PlannedLayer(LayerPlan.APP, List.of()))) {
        n++;
        ImageResult direct =
            writer(new ArrayList<>())
                .writeOnDependencyImage(
                    deps, layer, s, ImageTarget.registry(repo.withTag("direct-" + n)));
        ImageResult jib =
            writer(new ArrayList<>())
                .writeOnDependencyImageWithJib(
                    deps, layer, s, ImageTarget.registry(repo.withTag("jib-" + n), "extra"));
        assertThat(direct.digest()).as("variant %d", n).isEqualTo(jib.digest());
        assertThat(direct.layers())
            .extracting(ImageResult.LayerResult::digest, ImageResult.LayerResult::sizeBytes)
            .containsExactlyElementsOf(
                jib.layers().stream()
                    .map(l -> org.assertj.core.groups.Tuple.tuple(l.digest(), l.sizeBytes()))
                    .toList());
        assertThat(direct.tags()).containsExactly("direct-" + n);
      }
    }
    // the direct push writes the tag last, once every blob is in: the tag names the digest
    assertThat(w.exists(repo.withTag("direct-1"))).isTrue();
    String pulled =
        TestEnv.runOk(
                List.of(
                    "skopeo",
                    "inspect",
                    "--tls-verify=false",
                    "--format",
                    "{{.Digest}}",
                    "docker://" + repo.repositoryName() + ":direct-1"),
                null,
                60)
            .out()
            .strip();
    ImageResult first =
        writer(new ArrayList<>())
            .writeOnDependencyImage(
                deps, app, settings, ImageTarget.registry(repo.withTag("direct-again")));
    assertThat(pulled).isEqualTo(first.digest());
    assertThat(first.uploadedLayers()).isEmpty();

    // a build whose source changed meanwhile: asked once every blob is in, and the tag is not
    // written
    Path changed = copyTree(appDir, "app-superseded");
    Files.writeString(changed.resolve("app.py"), "print('superseded')\n");
    PlannedLayer changedApp = LayerPlan.forApp(manifest, changed, null);
    java.util.concurrent.atomic.AtomicInteger asked =
        new java.util.concurrent.atomic.AtomicInteger();
    ImageWriter fresh = writer(new ArrayList<>());
    assertThatThrownBy(
            () ->
                fresh.writeOnDependencyImage(
                    deps,
                    changedApp,
                    settings,
                    ImageTarget.registry(repo.withTag("superseded")),
                    () -> asked.incrementAndGet() > 0))
        .isInstanceOf(SupersededException.class)
        .hasMessageContaining("not tagged");
    assertThat(asked).hasValue(1);
    assertThat(w.exists(repo.withTag("superseded"))).isFalse();
    ImageResult after =
        fresh.writeOnDependencyImage(
            deps,
            changedApp,
            settings,
            ImageTarget.registry(repo.withTag("superseded")),
            () -> false);
    assertThat(after.uploadedLayers()).as("the layer went in before the check").isEmpty();
    assertThat(w.exists(repo.withTag("superseded"))).isTrue();
    // through Jib (here a tar), it is asked before Jib starts
    Path tar = work.resolve("superseded.tar");
    assertThatThrownBy(
            () ->
                fresh.writeOnDependencyImage(
                    deps, app, settings, ImageTarget.tar(tar, repo.withTag("t")), () -> true))
        .isInstanceOf(SupersededException.class);
    assertThat(tar).doesNotExist();
  }

  @Test
  void tarBaseImageWorks() throws Exception {
    ImageRef repo = ImageRef.parse(uniqueRepo("tarbase"));
    ImageResult r =
        writer(new ArrayList<>())
            .write(
                BaseImage.tar(TestEnv.baseTar()),
                releaseLayers(manifest, venvDir, appDir),
                settings,
                ImageTarget.registry(repo.withTag("t")));
    report("tar base", r);
    assertThat(r.layers()).allMatch(ImageResult.LayerResult::uploaded);
    assertThat(writer(new ArrayList<>()).exists(repo.withTag("t"))).isTrue();
  }

  @Test
  void closedRegistryPortIsUnreachable() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String dead = "127.0.0.1:" + port;
    ImageWriter w = writer(new ArrayList<>());
    assertThatThrownBy(
            () ->
                w.write(
                    BaseImage.registry(TestEnv.baseImage()),
                    releaseLayers(manifest, venvDir, appDir),
                    settings,
                    ImageTarget.registry(ImageRef.parse(dead + "/test-image/x:1"))))
        .isInstanceOf(RegistryUnreachableException.class)
        .hasMessage("registry " + dead + " unreachable: connection refused");
    assertThatThrownBy(
            () ->
                w.write(
                    BaseImage.registry(dead + "/python:3.11"),
                    releaseLayers(manifest, venvDir, appDir),
                    settings,
                    ImageTarget.registry(ImageRef.parse(uniqueRepo("x")))))
        .isInstanceOf(RegistryUnreachableException.class)
        .hasMessage("registry " + dead + " unreachable: connection refused");
    assertThatThrownBy(() -> w.exists(ImageRef.parse(dead + "/test-image/x:deps-1")))
        .isInstanceOf(RegistryUnreachableException.class)
        .hasMessage("registry " + dead + " unreachable: connection refused");
  }

  @Test
  void missingBaseImageIsNamed() throws Exception {
    ImageWriter w = writer(new ArrayList<>());
    String missing =
        registry
            + "/test-image/no-such-base-"
            + UUID.randomUUID().toString().substring(0, 8)
            + ":3.11";
    assertThatThrownBy(
            () ->
                w.write(
                    BaseImage.registry(missing),
                    releaseLayers(manifest, venvDir, appDir),
                    settings,
                    ImageTarget.registry(ImageRef.parse(uniqueRepo("x")))))
        .isInstanceOf(BaseImageNotFoundException.class)
        .hasMessage("base image not found: " + missing);
    Path noTar = work.resolve("no-such-base.tar");
    assertThatThrownBy(
            () ->
                w.write(
                    BaseImage.tar(noTar),
                    releaseLayers(manifest, venvDir, appDir),
                    settings,
                    ImageTarget.registry(ImageRef.parse(uniqueRepo("x")))))
        .isInstanceOf(BaseImageNotFoundException.class)
        .hasMessage("base image not found: tar:" + noTar);
  }

  @Test
  void refusedCredentialsAreUnauthorizedWithoutTheSecret() throws Exception {
    // a registry that refuses everyone (distribution with htpasswd would need bcrypt tooling)
    try (RefusingRegistry fake = new RefusingRegistry()) {
      String host = "127.0.0.1:" + fake.port();
      Path config =
          Files.writeString(
              work.resolve("config-" + UUID.randomUUID() + ".json"),
              "{\"auths\":{\""
                  + host
                  + "\":{\"username\":\"robot\",\"password\":\"hunter2-secret\"}}}");
      List<String> log = new CopyOnWriteArrayList<>();
      ImageWriter overHttp =
          new ImageWriter(
              new RegistryOptions(RegistryCredentials.fromDockerConfig(config), true, null, true),
              log::add);
      ImageWriter w =
          new ImageWriter(
              new RegistryOptions(RegistryCredentials.fromDockerConfig(config), true, null),
              log::add);
      ImageRef target = ImageRef.parse(host + "/test-image/locked:1");
      {
        // --registry-credentials-over-http: Jib and our own calls send them, and are refused
        assertThatThrownBy(
                () ->
                    overHttp.write(
                        BaseImage.tar(TestEnv.baseTar()),
                        releaseLayers(manifest, venvDir, appDir),
                        settings,
                        ImageTarget.registry(target)))
            .isInstanceOf(RegistryUnauthorizedException.class)
            .hasMessageStartingWith(
                "registry " + host + " refused access to test-image/locked: unauthorized")
            .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> overHttp.exists(target))
            .isInstanceOf(RegistryUnauthorizedException.class)
            .hasMessageStartingWith("registry " + host + " refused access")
            .hasMessageNotContaining("hunter2");
        assertThat(System.getProperty("sendCredentialsOverHttp"))
            .as("Jib's switch is set for the call only")
            .isNull();
      }
      assertThat(log).noneMatch(l -> l.contains("hunter2"));
      // without the option Jib refuses to send them over HTTP: also one clear line
      assertThatThrownBy(() -> w.exists(target))
          .isInstanceOf(RegistryUnauthorizedException.class)
          .hasMessageContaining("not sent over plain HTTP");
    }
  }
}
