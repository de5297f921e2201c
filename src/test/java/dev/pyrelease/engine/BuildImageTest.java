package dev.pyrelease.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code spec.python.buildImage}: the venv step runs in a build image with gcc and Python's headers
 * (the test environment's {@code PYRELEASE_BUILD_IMAGE}, the base's Debian packages plus the
 * compiler), the release image is built on the base, which has no compiler. The sdists are made
 * here, served on a find-links page of their own with the build backend's wheels.
 */
class BuildImageTest {
  /** A module {@code %1$s}; {@code EXTRA} is defined before it (a call into a library, or 0). */
  static final String C_SOURCE =
      "#define PY_SSIZE_T_CLEAN\n"
          + "#include <Python.h>\n"
          + "static PyObject *add(PyObject *self, PyObject *args) {\n"
          + "    long a, b;\n"
          + "    if (!PyArg_ParseTuple(args, \"ll\", &a, &b)) return NULL;\n"
          + "    return PyLong_FromLong(a + b + 0 * EXTRA);\n"
          + "}\n"
          + "static PyMethodDef methods[] = {{\"add\", add, METH_VARARGS, \"a + b\"},"
          + " {NULL, NULL, 0, NULL}};\n"
          + "static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, \"%1$s\", NULL, -1,"
          + " methods};\n"
          + "PyMODINIT_FUNC PyInit_%1$s(void) { return PyModule_Create(&module); }\n";

  static RealEnv real;
  static String buildImage;
  static Path dir;
  static Process links;
  static String page;

  @BeforeAll
  static void sdistsOnAFindLinksPage() throws Exception {
    real = new RealEnv();
    buildImage = System.getenv("PYRELEASE_BUILD_IMAGE");
    assertThat(buildImage)
        .as("PYRELEASE_BUILD_IMAGE: run scripts/testenv up (it builds the build image)")
        .isNotBlank();
    dir = Files.createTempDirectory("pyrelease-build-image-");
    Path linksDir = Files.createDirectories(dir.resolve("links"));
    // an extension module; and one that needs OpenMP's runtime, which gcc brings into the build
    // image and the base does not have
    sdist(linksDir, "bi-cext", "bi_cext", "", "#define EXTRA 0\n");
    sdist(
        linksDir,
        "bi-gomp",
        "bi_gomp",
        ", libraries=[\"gomp\"]",
        "extern int omp_get_max_threads(void);\n#define EXTRA omp_get_max_threads()\n");
    Path files = Path.of(System.getenv("PYRELEASE_INDEX_ROOT"), "files");
    try (var wheels = Files.list(files)) {
      for (Path w : (Iterable<Path>) wheels::iterator) {
        String n = w.getFileName().toString();
        if (n.startsWith("setuptools-") || n.startsWith("wheel-") || n.startsWith("packaging-")) {
          Files.copy(w, linksDir.resolve(n));
        }
      }
    }
    int port = RealEnv.closedPort();
    links =
        new ProcessBuilder(
                "python3",
                "-m",
                "http.server",
                "--bind",
                "127.0.0.1",
                "" + port,
                "--directory",
                linksDir.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("links-server.log").toFile())
            .start();
    page = "http://127.0.0.1:" + port + "/";
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(20))
        .until(() -> RealEnv.get(page) == 200);
  }

  @AfterAll
  static void stop() throws Exception {
    if (links != null) {
      links.destroy();
      links.waitFor();
    }
    if (real != null) {
      real.close();
    }
    Workspace.deleteTree(dir);
  }

  @Test
  void anSdistWithACExtensionBuildsInTheBuildImageAndShipsOnTheBaseWithoutACompiler()
      throws Exception {
    Path release = release("bi-cext", "bi-cext==0.1", buildImage);
    String repo = real.repository("build-image");
    long t0 = System.nanoTime();
    RealEnv.Run built = real.cli(args(release, "cext-app", repo));
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertThat(built.exit()).as(built.toString()).isZero();
    assertThat(built.err())
        .contains("the build image's interpreter is the run image's")
        .contains("[venv] building the venv in the build image " + buildImage)
        .contains("shared libraries of 1 objects checked in the run image");
    assertThat(built.json().path("distributions"))
        .anySatisfy(d -> assertThat(d.path("name").asText()).isIn("bi-cext", "bi_cext"));
    String image = built.json().path("image").asText();
    // the build image has the compiler; the released image, built on the base, does not
    assertThat(real.run(List.of("podman", "run", "--rm", buildImage, "gcc", "--version")))
        .contains("gcc");
    assertThat(
            last(
                real.run(
                    List.of(
                        "podman",
                        "run",
                        "--rm",
                        "--network",
                        "none",
                        image,
                        "sh",
                        "-c",
                        "command -v gcc cc x86_64-linux-gnu-gcc-12 || echo no compiler"))))
        .isEqualTo("no compiler");
    assertThat(
            last(
                real.run(
                    List.of(
                        "podman",
                        "run",
                        "--rm",
                        "--network",
                        "none",
                        image,
                        "python",
                        "-c",
                        "import bi_cext; print('2 + 3 =', bi_cext.add(2, 3))"))))
        .isEqualTo("2 + 3 = 5");
    System.out.printf(
        "build image: cold build %.1fs; release image %d MB, build image %d MB, base %d MB%n",
        seconds, megabytes(image), megabytes(buildImage), megabytes(real.baseImage));
  }

  @Test
  void theSharedLibrariesAreCheckedInTheRunImageNotTheBuildImage() throws Exception {
    Path release = release("bi-gomp", "bi-gomp==0.1", buildImage);
    String repo = real.repository("build-image-gomp");
    RealEnv.Run built = real.cli(args(release, "gomp-app", repo));
    assertThat(built.exit()).as(built.toString()).isEqualTo(1);
    assertThat(built.err())
        .contains("needs the shared library libgomp.so.1")
        .contains("bi-gomp 0.1");
    assertThat(real.tags(repo)).isEmpty();
  }

  @Test
  void aBuildImageWithAnotherInterpreterFailsBeforePipNamingBothImages() throws Exception {
    // the base with another build of its interpreter: the same version, another file
    String other = real.repository("other-python") + ":3.11";
    String local = "localhost/pyrelease-other-python:" + Long.toHexString(System.nanoTime());
    Path ctx = Files.createDirectories(dir.resolve("other-python"));
    Files.writeString(
        ctx.resolve("Containerfile"),
        "FROM " + real.baseImage + "\nRUN printf '\\0' >> \"$(readlink -f /usr/bin/python3)\"\n");
    real.run(
        List.of(
            "podman",
            "build",
            "-q",
            "--network",
            "host",
            "--tls-verify=false",
            "-t",
            local,
            ctx.toString()));
    real.run(List.of("podman", "push", "-q", "--tls-verify=false", local, "docker://" + other));
    real.run(List.of("podman", "rmi", "-f", local));

    Path release = release("bi-other", "bi-cext==0.1", other);
    // an index nobody answers: a venv step that got as far as pip would fail on it (exit 2)
    List<String> a = new ArrayList<>(List.of(args(release, "other-app", real.repository("x"))));
    a.addAll(List.of("--index-url", "http://127.0.0.1:" + RealEnv.closedPort() + "/simple/"));
    RealEnv.Run run = real.cli(a.toArray(String[]::new));
    assertThat(run.exit()).as(run.toString()).isEqualTo(1);
    assertThat(run.err())
        .contains("the build image " + other + "@sha256:")
        .contains("and the run image " + real.baseImage + "@sha256:")
        .contains("do not share the interpreter")
        .contains("interpreter file sha256")
        .doesNotContain("index unreachable")
        .doesNotContain("pip wheel");
  }

  @Test
  void checkPrintsTheDigestsTheBaseAndBuildImageTagsResolveTo() throws Exception {
    Path release = release("bi-check", "bi-cext==0.1", buildImage);
    Files.writeString(
        release,
        Files.readString(release)
            .replace(
                "    version: \"3.11\"\n",
                "    version: \"3.11\"\n    baseImage: " + real.baseImage + "\n"));
    RealEnv.Run run =
        real.cli("check", "-f", release.toString(), "--insecure-registry", "--no-index");
    // --no-index validates the files only: no registry either
    assertThat(run.out()).doesNotContain("resolves to");
    run = real.cli("check", "-f", release.toString(), "--insecure-registry");
    String base = digest(real.baseImage);
    String build = digest(buildImage);
    assertThat(run.out())
        .contains(
            "base image: "
                + real.baseImage
                + " resolves to "
                + base
                + "; a build runs "
                + real.baseImage
                + "@"
                + base)
        .contains("build image: " + buildImage + " resolves to " + build);
    assertThat(run.exit()).as(run.toString()).isZero();

    Files.writeString(
        release,
        Files.readString(release)
            .replace("buildImage: " + buildImage, "buildImage: " + real.registry + "/nope:1"));
    run = real.cli("check", "-f", release.toString(), "--insecure-registry");
    assertThat(run.exit()).as(run.toString()).isEqualTo(1);
    assertThat(run.out())
        .contains(
            "spec.python.buildImage: build image " + real.registry + "/nope:1 does not exist");
  }

  static String digest(String image) throws Exception {
    return real.run(
            List.of(
                "skopeo",
                "inspect",
                "--tls-verify=false",
                "--format",
                "{{.Digest}}",
                "docker://" + image))
        .strip();
  }

  /** A build with the release's find-links page (no --index-url). */
  static String[] args(Path release, String app, String repo) throws Exception {
    List<String> a =
        new ArrayList<>(
            List.of(
                real.build(
                    release, Releases.plainApp(dir.resolve(app)), page, repo, "--output", "json")));
    a.subList(a.indexOf("--index-url"), a.indexOf("--index-url") + 2).clear();
    return a.toArray(String[]::new);
  }

  /** A release of a plain-files app with {@code requirements}, from the find-links page. */
  static Path release(String name, String requirements, String build) throws Exception {
    Path file = Releases.write(dir, name, requirements, false);
    String yaml =
        Files.readString(file)
            .replace("    url: http://127.0.0.1:8081/simple/\n", "    findLinks: [" + page + "]\n");
    if (build != null) {
      yaml =
          yaml.replace(
              "    version: \"3.11\"\n", "    version: \"3.11\"\n    buildImage: " + build + "\n");
    }
    Files.writeString(file, yaml);
    return file;
  }

  /** {@code links/<name>-0.1.tar.gz}: a setuptools sdist of one extension module. */
  static void sdist(Path links, String name, String module, String extensionOptions, String extra)
      throws Exception {
    Path src = Files.createDirectories(dir.resolve("sdist-" + name));
    Files.writeString(
        src.resolve("setup.py"),
        "from setuptools import Extension, setup\n\nsetup(name=\""
            + name
            + "\", version=\"0.1\", ext_modules=[Extension(\""
            + module
            + "\", [\""
            + module
            + ".c\"]"
            + extensionOptions
            + ")])\n");
    Files.writeString(
        src.resolve("pyproject.toml"),
        "[build-system]\nrequires = [\"setuptools>=61\", \"wheel\"]\n"
            + "build-backend = \"setuptools.build_meta\"\n");
    Files.writeString(
        src.resolve("PKG-INFO"), "Metadata-Version: 2.1\nName: " + name + "\nVersion: 0.1\n");
    Files.writeString(src.resolve(module + ".c"), extra + String.format(C_SOURCE, module));
    BuildVariantsTest.sdist(src, name + "-0.1", links);
  }

  static String last(String output) {
    return output.strip().lines().reduce((x, y) -> y).orElse("").strip();
  }

  /** The compressed size of an image's layers in the registry, in MB. */
  static long megabytes(String image) throws Exception {
    var json =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(
                real.run(
                    List.of(
                        "skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + image)));
    long bytes = 0;
    for (var layer : json.path("layers")) {
      bytes += layer.path("size").asLong();
    }
    return bytes / 1_000_000;
  }
}
