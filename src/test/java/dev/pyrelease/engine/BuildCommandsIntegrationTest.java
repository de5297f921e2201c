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
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code spec.build.commands} for real: a small Django project whose build runs {@code
 * collectstatic} (copying the installed Django's admin files and the app's own) and a script that
 * imports Django and tries the network, pushed to the loopback registry and run with podman. One
 * repository: a cold build, the same build again (the same digest), an app-only change (the
 * commands run again), a failing command; and the host runner.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BuildCommandsIntegrationTest {
  static final String REQUIREMENTS =
      "asgiref==3.12.1"
          + " --hash=sha256:fe386d1c2bff7259ea95929266d12a8cf9a8b5a1c2598402967d8792e7a7c094\n"
          + "django==5.2.17"
          + " --hash=sha256:f04fb3b36ee119e1af4fa1d397d5fd6cf12700f49321e84d4f4c642c5b1973db\n"
          + "sqlparse==0.6.0"
          + " --hash=sha256:b861c0288ce2fa56209a9a6412d2e066ac664b3873b89c26c9d8415e8e32996f";

  RealEnv real;
  Path dir;
  Path app;
  String repo;
  JsonNode cold;

  @BeforeAll
  void setUp() throws Exception {
    real = new RealEnv();
    dir = Files.createTempDirectory("pyrelease-commands-it-");
    app = dir.resolve("app");
    write(
        "manage.py",
        """
        import os
        import sys

        if __name__ == "__main__":
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")
            from django.core.management import execute_from_command_line

            execute_from_command_line(sys.argv)
        """);
    write("proj/__init__.py", "");
    write(
        "proj/settings.py",
        """
        from pathlib import Path

        BASE_DIR = Path(__file__).resolve().parent.parent
        SECRET_KEY = "build-commands-test"
        INSTALLED_APPS = [
            "django.contrib.admin",
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.staticfiles",
        ]
        STATIC_URL = "static/"
        STATIC_ROOT = BASE_DIR / "staticfiles"
        STATICFILES_DIRS = [BASE_DIR / "assets"]
        """);
    write("assets/app.css", "body { color: red }\n");
    // imports an installed distribution, writes what it saw under the app directory
    write(
        "stamp.py",
        """
        import hashlib, os, socket, sys
        import django
        import proj.settings

        try:
            socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=3).close()
            network = "reachable"
        except OSError as e:
            network = "unreachable"
        os.makedirs("generated", exist_ok=True)
        with open("generated/stamp.txt", "w") as f:
            css = hashlib.sha256(open("assets/app.css", "rb").read()).hexdigest()
            f.write("django %s\\ncss %s\\n" % (django.get_version(), css))
            f.write("uid %d\\ncwd %s\\nprefix %s\\n" % (os.getuid(), os.getcwd(), sys.prefix))
            f.write("network %s\\n" % network)
        """);
    write(
        "fail.py",
        """
        for i in range(1, 31):
            print("line", i)
        raise ValueError("boom")
        """);
    repo = real.repository("commands");
  }

  void write(String rel, String text) throws Exception {
    Path p = app.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text, StandardCharsets.UTF_8);
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

  /** The release with these build commands (the index's port for the network probe). */
  Path release(String name, String... extraCommands) throws Exception {
    Path file = Releases.write(dir, name, REQUIREMENTS, true);
    int port = URI.create(real.indexUrl).getPort();
    StringBuilder commands =
        new StringBuilder(
            "  build:\n"
                + "    commands:\n"
                + "      - [python, manage.py, collectstatic, --noinput]\n"
                + "      - [python, stamp.py, \""
                + port
                + "\"]\n");
    for (String c : extraCommands) {
      commands.append("      - ").append(c).append('\n');
    }
    Files.writeString(file, Files.readString(file) + commands);
    return file;
  }

  RealEnv.Run build(Path release, String... more) {
    List<String> args = new ArrayList<>(List.of(more));
    args.addAll(List.of("--output", "json"));
    return real.cli(real.build(release, app, real.indexUrl, repo, args.toArray(String[]::new)));
  }

  /** A shell command in the image, as its user. */
  String inImage(String image, String script) throws Exception {
    return real.run(
        List.of("podman", "run", "--rm", "--network", "none", image, "sh", "-c", script));
  }

  static String stamp(String text) {
    return text.substring(text.indexOf("django "));
  }

  static double seconds(RealEnv.Run run) {
    String line =
        run.err().lines().filter(l -> l.startsWith("[build] built ")).findFirst().orElseThrow();
    return Double.parseDouble(line.replaceAll(".* in ([0-9.]+)s$", "$1"));
  }

  @Test
  @Order(1)
  void theCommandsRunAfterTheVenvAndWhatTheyWroteUnderTheAppIsInTheImage() throws Exception {
    RealEnv.Run run = build(release("statics"));
    assertThat(run.exit()).as(run.toString()).isZero();
    cold = run.json();
    assertThat(cold.path("venvStep").asText()).isEqualTo("full");
    // after the full venv step, in a run of their own: the venv read-only, no network
    assertThat(run.err())
        .contains("[source] venv step: full (no deps-")
        .contains("then 2 build command(s)")
        .contains("2 build command(s) with podman in " + real.baseImage)
        .contains("[venv] build command 1/2: python manage.py collectstatic --noinput")
        .contains("  | 128 static files copied to '/app/staticfiles'.")
        .contains("build commands: 2 in ");
    String image = cold.path("image").asText();
    String seen =
        inImage(
            image,
            "cat /app/generated/stamp.txt; head -c 40 /app/staticfiles/admin/css/base.css; echo;"
                + " cat /app/staticfiles/app.css; find /app -name '*.pyc' -o -name __pycache__;"
                + " ls -l /app/generated/stamp.txt");
    assertThat(stamp(seen))
        .startsWith(
            "django 5.2.17\n"
                + "css "
                + sha256("body { color: red }\n")
                + "\nuid 65532\ncwd /app\nprefix /opt/venv\nnetwork unreachable\n")
        .contains("body { color: red }")
        .contains("DJANGO Admin styles")
        .doesNotContain(".pyc", "__pycache__")
        .contains("-rw-r--r--");
    // the release is tagged once (and its SBOM beside it); the commands are not in the
    // dependency image
    assertThat(real.tags(repo))
        .filteredOn(t -> !t.startsWith("rebase-"))
        .containsExactlyInAnyOrder(
            "build-" + cold.path("buildKey").asText(),
            cold.path("dependencyImage").asText().substring(repo.length() + 1),
            cold.path("digest").asText().replace(':', '-') + ".sbom");
    assertThat(
            inImage(
                cold.path("dependencyImage").asText(),
                "echo files $(find /app -type f 2>/dev/null | wc -l);"
                    + " ls /opt/venv/lib/python3.11/site-packages"))
        .contains("files 0\n")
        .contains("django");
  }

  @Test
  @Order(2)
  void theSameInputGivesTheSameDigestTheCommandsRunningInTheDependencyImage() throws Exception {
    RealEnv.Run run = build(release("statics"));
    assertThat(run.exit()).as(run.toString()).isZero();
    JsonNode again = run.json();
    // one run in the dependency image this time (the app's files, then the commands): the same
    // bytes as after the full venv step in the base image
    assertThat(again.path("venvStep").asText()).isEqualTo("app-only");
    assertThat(run.err()).contains("[venv] the app's files and 2 build command(s) in ");
    assertThat(again.path("digest").asText()).isEqualTo(cold.path("digest").asText());
    assertThat(BuildIntegrationTest.uploaded(again)).isEmpty();
    // a fresh workspace and layer cache: still the same image
    java.util.Map<String, String> env = new java.util.HashMap<>(real.env);
    env.put("PYRELEASE_CACHE_DIR", Files.createDirectories(dir.resolve("fresh-cache")).toString());
    RealEnv.Run fresh =
        real.cli(env, real.build(release("statics"), app, real.indexUrl, repo, "--output", "json"));
    assertThat(fresh.exit()).as(fresh.toString()).isZero();
    assertThat(fresh.json().path("digest").asText()).isEqualTo(cold.path("digest").asText());
    System.out.printf(
        "[commands-it] same input again: %.1fs (app-only + commands), %.1fs (fresh workspace)%n",
        seconds(run), seconds(fresh));
  }

  @Test
  @Order(3)
  void anAppOnlyChangeRunsTheCommandsAgainAndUploadsOnlyTheApp() throws Exception {
    write("assets/app.css", "body { color: blue }\n");
    RealEnv.Run run = build(release("statics"));
    assertThat(run.exit()).as(run.toString()).isZero();
    JsonNode changed = run.json();
    assertThat(changed.path("venvStep").asText()).isEqualTo("app-only");
    assertThat(changed.path("dependencyKey").asText())
        .isEqualTo(cold.path("dependencyKey").asText());
    assertThat(changed.path("digest").asText()).isNotEqualTo(cold.path("digest").asText());
    assertThat(BuildIntegrationTest.uploaded(changed)).containsExactly("app");
    String seen =
        inImage(
            changed.path("image").asText(),
            "cat /app/generated/stamp.txt /app/staticfiles/app.css");
    assertThat(seen)
        .contains("css " + sha256("body { color: blue }\n"))
        .contains("body { color: blue }")
        .doesNotContain("red");

    // the same change without build commands: no venv step at all
    Path plain = Releases.write(dir, "statics", REQUIREMENTS, true);
    write("assets/app.css", "body { color: green }\n");
    RealEnv.Run without = real.cli(real.build(plain, app, real.indexUrl, repo, "--output", "json"));
    assertThat(without.exit()).as(without.toString()).isZero();
    assertThat(without.json().path("venvStep").asText()).isEqualTo("skipped");
    write("assets/app.css", "body { color: yellow }\n");
    RealEnv.Run with = build(release("statics"));
    assertThat(with.exit()).as(with.toString()).isZero();
    System.out.printf(
        "[commands-it] app-only change: %.1fs with the build commands, %.1fs without%n",
        seconds(with), seconds(without));
  }

  @Test
  @Order(4)
  void aFailingCommandFailsTheBuildWithItsLastLinesAndNothingIsTagged() throws Exception {
    List<String> before = real.tags(repo);
    RealEnv.Run run = build(release("statics-fail", "[python, fail.py]"));
    assertThat(run.exit()).as(run.toString()).isEqualTo(1);
    assertThat(run.err())
        .contains(
            "pyrelease build: build command 3 of 3 failed (exit code 1): python fail.py; its last"
                + " output lines:\n")
        .contains("  | line 30\n")
        .contains("  | ValueError: boom");
    String error = run.err().substring(run.err().indexOf("pyrelease build: "));
    // its last 20 lines: 16 printed, 4 of the traceback
    assertThat(error).contains("  | line 15\n").doesNotContain("  | line 14\n");
    assertThat(run.json().path("error").path("kind").asText()).isEqualTo("input");
    assertThat(real.tags(repo)).isEqualTo(before);
  }

  /** Debian's interpreter on this machine (scripts/testenv installs python3.11). */
  static final Path MACHINE_PYTHON = Path.of("/usr/bin/python3.11");

  @Test
  @Order(5)
  void theHostRunnerRunsThemInANamespaceWithoutNetworkAsTheBuildUser() throws Exception {
    // the base with this machine's interpreter: what a CI job inside its base image has
    String base = real.repository("commands-host-base") + ":1";
    new ImageWriter(new RegistryOptions(RegistryCredentials.none(), true, real.cache), s -> {})
        .write(
            BaseImage.registry(real.baseImage),
            List.of(
                new PlannedLayer(
                    "machine-python",
                    List.of(new LayerFile(MACHINE_PYTHON, MACHINE_PYTHON.toString(), 0755)))),
            ImageSettings.builder().manifestLabel(false).build(),
            ImageTarget.registry(ImageRef.parse(base)));
    String hostRepo = real.repository("commands-host");
    List<String> args =
        new ArrayList<>(
            List.of(
                real.build(
                    release("statics"),
                    app,
                    real.indexUrl,
                    hostRepo,
                    "--runner",
                    "host",
                    "--host-python",
                    MACHINE_PYTHON.toString(),
                    "--output",
                    "json")));
    args.set(args.indexOf("--base") + 1, base);
    RealEnv.Run run = real.cli(args.toArray(String[]::new));
    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.err()).contains("2 build command(s) with host and the venv read-only");
    String seen = inImage(run.json().path("image").asText(), "cat /app/generated/stamp.txt");
    assertThat(stamp(seen))
        .contains("uid 65532\ncwd /app\nprefix /opt/venv\nnetwork unreachable\n");
    // an app-only change: the host runner cannot enter the dependency image, so the venv is made
    // again in the base image for the commands, and the release goes on the dependency image
    write("assets/app.css", "body { color: purple }\n");
    RealEnv.Run again = real.cli(args.toArray(String[]::new));
    assertThat(again.exit()).as(again.toString()).isZero();
    assertThat(again.err())
        .contains("[source] venv step: full in the base image (the dependency image exists");
    assertThat(again.json().path("venvStep").asText()).isEqualTo("full");
    assertThat(BuildIntegrationTest.uploaded(again.json())).containsExactly("app");
    assertThat(again.json().path("layers")).hasSize(1);
    assertThat(inImage(again.json().path("image").asText(), "cat /app/staticfiles/app.css"))
        .contains("purple");
    // the machine's /app and /opt/venv were only mount points in the build's own namespace
    try (var left = Files.list(Path.of("/app"))) {
      assertThat(left).isEmpty();
    }
    assertThat(Files.exists(Path.of("/opt/venv/pyvenv.cfg"))).isFalse();
  }

  static String sha256(String text) {
    return dev.pyrelease.http.Digests.sha256(text);
  }
}
