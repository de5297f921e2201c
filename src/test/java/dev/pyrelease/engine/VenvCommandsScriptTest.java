package dev.pyrelease.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * venv.py's build commands run by this machine's python3, outside any container: what a command
 * sees (its environment, user, directory), what of what it leaves becomes the app (no .pyc, links
 * replaced by copies, readable modes), and what fails.
 */
class VenvCommandsScriptTest {
  static final boolean ROOT = "root".equals(System.getProperty("user.name"));

  @TempDir Path tmp;
  Path export;
  Path run;
  Path venv;

  @BeforeEach
  void workspace() throws Exception {
    // the build user must reach the directories (these tests run as root: venv.py drops to it)
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    export = Files.createDirectories(tmp.resolve("out/app-files"));
    run = Files.createDirectories(tmp.resolve("app"));
    venv = Files.createDirectories(tmp.resolve("venv/bin"));
    venv = venv.getParent();
    Files.writeString(Files.createDirectories(venv.resolve("lib")).resolve("data.txt"), "venv\n");
    Files.writeString(export.resolve("app.py"), "print('app')\n");
    Files.setPosixFilePermissions(
        export.resolve("app.py"), PosixFilePermissions.fromString("rw-------"));
    Files.writeString(Files.createDirectories(export.resolve("sub")).resolve("keep.txt"), "k\n");
  }

  /** run_build_commands on the export, in the run directory; its output. */
  String commands(String... argvs) throws Exception {
    Path file = tmp.resolve("commands.json");
    Files.writeString(file, "[" + String.join(",", argvs) + "]");
    return VenvPyFunction.run(
        tmp,
        String.join(
            "\n",
            "import argparse, json",
            "m.COMMANDS_TMP = sys.argv[3]",
            "a = argparse.Namespace(run_dir=sys.argv[4], build_user='65532:65532',"
                + " venv=sys.argv[5])",
            "try:",
            "    print('FILES ' + json.dumps(m.run_build_commands(a,"
                + " m.load_commands(argparse.Namespace(build_commands=sys.argv[6])), sys.argv[2])))",
            "except m.Failure as e:",
            "    print('FAILED %d %s' % (e.code, e))",
            "    print('\\n'.join(e.detail))"),
        export.toString(),
        tmp.resolve("commands-tmp").toString(),
        run.toString(),
        venv.toString(),
        file.toString());
  }

  static String json(String... argv) throws Exception {
    return new ObjectMapper().writeValueAsString(List.of(argv));
  }

  @Test
  void whatTheCommandsLeaveInTheAppDirectoryIsTheApp() throws Exception {
    String out =
        commands(
            json("sh", "-c", "env | sort > env.txt; id -u > uid.txt; pwd > pwd.txt"),
            json(
                "sh",
                "-c",
                "mkdir -p gen/__pycache__ && echo x > gen/__pycache__/m.cpython-311.pyc"
                    + " && echo y > gen/m.pyc && echo gen > gen/out.txt && chmod 600 gen/out.txt"
                    + " && ln -s out.txt gen/link.txt && ln -s "
                    + venv.resolve("lib/data.txt")
                    + " gen/venv.txt && rm sub/keep.txt && echo two lines && echo done"));
    assertThat(out).contains("  | two lines", "build commands: 2 in ");
    String files = out.lines().filter(l -> l.startsWith("FILES ")).findFirst().orElseThrow();
    List<String> expected =
        List.of(
            "app.py",
            "env.txt",
            "gen/link.txt",
            "gen/out.txt",
            "gen/venv.txt",
            "pwd.txt",
            "uid.txt");
    assertThat(new ObjectMapper().readValue(files.substring(6), List.class)).isEqualTo(expected);
    // copied back into the export: exactly those, links replaced by the files they named
    try (var walk = Files.walk(export)) {
      assertThat(walk.filter(Files::isRegularFile).map(p -> export.relativize(p).toString()))
          .containsExactlyInAnyOrderElementsOf(expected);
    }
    assertThat(Files.isSymbolicLink(export.resolve("gen/link.txt"))).isFalse();
    assertThat(Files.readString(export.resolve("gen/link.txt"))).isEqualTo("gen\n");
    assertThat(Files.readString(export.resolve("gen/venv.txt"))).isEqualTo("venv\n");
    // readable by the image's user whoever owns them in the layer
    for (String f : List.of("app.py", "gen/out.txt")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(export.resolve(f))))
          .isEqualTo("rw-r--r--");
    }
    // where, as whom and with what they ran
    assertThat(Files.readString(export.resolve("pwd.txt")).strip()).isEqualTo(run.toString());
    if (ROOT) {
      assertThat(Files.readString(export.resolve("uid.txt")).strip()).isEqualTo("65532");
      assertThat(Files.getOwner(run.resolve("gen/out.txt")).getName()).isEqualTo("root");
    }
    List<String> env = Files.readString(export.resolve("env.txt")).lines().toList();
    assertThat(env)
        .contains(
            "HOME=" + tmp.resolve("commands-tmp/home"),
            "TMPDIR=" + tmp.resolve("commands-tmp/tmp"),
            "VIRTUAL_ENV=" + venv,
            "LANG=C.UTF-8",
            "TZ=UTC",
            "PYTHONDONTWRITEBYTECODE=1",
            "PYTHONHASHSEED=0",
            "SOURCE_DATE_EPOCH=315532800");
    assertThat(env)
        .filteredOn(l -> l.startsWith("PATH="))
        .singleElement()
        .satisfies(p -> assertThat(p).startsWith("PATH=" + venv.resolve("bin") + ":"));
    Set<String> names = new TreeSet<>();
    env.forEach(l -> names.add(l.substring(0, l.indexOf('='))));
    // nothing of this process's environment (credentials, PIP_*, the CI's) but the PATH
    names.removeAll(
        Arrays.asList(
            "HOME",
            "TMPDIR",
            "VIRTUAL_ENV",
            "LANG",
            "TZ",
            "PYTHONDONTWRITEBYTECODE",
            "PYTHONHASHSEED",
            "SOURCE_DATE_EPOCH",
            "PATH",
            "PWD",
            "OLDPWD",
            "SHLVL",
            "_"));
    assertThat(names).isEmpty();
    // HOME and TMPDIR are emptied after them
    try (var left = Files.list(tmp.resolve("commands-tmp"))) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void aLinkOutOfTheAppAndTheVenvFailsTheBuild() throws Exception {
    String out = commands(json("ln", "-s", "/etc/hostname", "leak"));
    assertThat(out)
        .contains(
            "FAILED 1 the build commands left leak, a link to /etc/hostname, outside the app and"
                + " the venv");
  }

  @Test
  void aCommandThatIsNotThereFailsNamingItAndThePath() throws Exception {
    String out = commands(json("no-such-program-xyz", "--flag"));
    // not found, or (as the build user) a directory of the PATH it may not search
    assertThat(out)
        .contains("FAILED 1 build command 1 of 1 cannot start: no-such-program-xyz: ")
        .contains(" (PATH " + venv.resolve("bin") + ":");
    assertThat(commands(json("/no/such/program")))
        .contains("FAILED 1 build command 1 of 1 cannot start: /no/such/program: not found\n");
  }

  @Test
  void aFailingCommandStopsTheRestAndKeepsItsLast20Lines() throws Exception {
    String out =
        commands(
            json("sh", "-c", "for i in $(seq 1 30); do echo out $i; done; exit 4"),
            json("sh", "-c", "touch never"));
    assertThat(out)
        .contains("FAILED 1 build command 1 of 2 failed (exit code 4): sh -c 'for i in")
        .contains("  | out 11\n")
        .contains("  | out 30")
        .doesNotContain("build command 2/2");
    assertThat(out.substring(out.indexOf("FAILED"))).doesNotContain("  | out 10\n");
    assertThat(Files.exists(run.resolve("never"))).isFalse();
  }

  @Test
  void anEmptyCommandIsRefused() throws Exception {
    assertThat(commands("[]")).contains("FAILED 1 build command 1 is empty or not a list");
    assertThat(commands(json("  "))).contains("FAILED 1 build command 1 is empty or not a list");
  }
}
