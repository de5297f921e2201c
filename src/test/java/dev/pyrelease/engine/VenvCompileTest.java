package dev.pyrelease.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** venv.py's compile_tree: every .py compiled once, unchecked-hash, in shares per process. */
class VenvCompileTest {
  @TempDir Path tmp;

  String compile(Path... targets) throws Exception {
    List<String> args = new ArrayList<>(List.of(tmp.resolve("compile.log").toString()));
    for (Path t : targets) {
      args.add(t.toString());
    }
    return VenvPyFunction.run(
        tmp,
        "m.compile_tree(sys.executable, m.clean_env(), sys.argv[3:], sys.argv[2])",
        args.toArray(String[]::new));
  }

  @Test
  void everyFileIsCompiledWithUncheckedHashesAndABadOneIsReportedNotFatal() throws Exception {
    Path tree = Files.createDirectories(tmp.resolve("site-packages/pkg/sub"));
    for (int i = 0; i < 450; i++) {
      Files.writeString(tree.resolve("m" + i + ".py"), "X = " + i + "\n");
    }
    Files.writeString(tree.resolve("broken.py"), "def (:\n");

    String log = compile(tmp.resolve("site-packages"));

    assertThat(log).contains("compile: 451 files in").contains("(some files not compilable)");
    for (int i = 0; i < 450; i++) {
      Path pyc = pyc(tree, "m" + i);
      // PEP 552: flags word after the magic; 0b01 = hash-based, not checked
      int flags =
          ByteBuffer.wrap(Files.readAllBytes(pyc), 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
      assertThat(flags).as(pyc.toString()).isEqualTo(1);
    }
    try (var names = Files.list(tree.resolve("__pycache__"))) {
      assertThat(names.map(n -> n.getFileName().toString()))
          .noneMatch(n -> n.startsWith("broken."));
    }
  }

  /** The one .pyc of a module (its cache tag is the interpreter's, e.g. cpython-311). */
  static Path pyc(Path dir, String module) throws Exception {
    try (var names = Files.list(dir.resolve("__pycache__"))) {
      var found =
          names
              .filter(n -> n.getFileName().toString().startsWith(module + "."))
              .filter(n -> n.getFileName().toString().endsWith(".pyc"))
              .toList();
      assertThat(found).as(module).hasSize(1);
      return found.get(0);
    }
  }

  @Test
  void aPackageAppsSourcesAreCompiledFileByFile() throws Exception {
    // the app-only step compiles the .py files its RECORD lists, not whole directories
    Path pkg = Files.createDirectories(tmp.resolve("sp/hello"));
    Files.writeString(pkg.resolve("cli.py"), "def main():\n    print('hi')\n");
    Files.writeString(pkg.resolve("other.py"), "Y = 1\n");

    String log = compile(pkg.resolve("cli.py"));

    assertThat(log).contains("compile: 1 files in");
    pyc(pkg, "cli");
    try (var names = Files.list(pkg.resolve("__pycache__"))) {
      assertThat(names.map(n -> n.getFileName().toString())).noneMatch(n -> n.startsWith("other."));
    }
  }

  @Test
  void aTreeWithoutPythonFilesRunsNoCompiler() throws Exception {
    Files.createDirectories(tmp.resolve("empty/data"));
    Files.writeString(tmp.resolve("empty/data/table.csv"), "a,b\n");
    assertThat(compile(tmp.resolve("empty"))).contains("compile: no .py files");
  }
}
