package dev.pyrelease.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * venv.py's shared-library check on real ELF objects made with gcc: an extension module linked
 * against a library that is not on this machine is reported; the same module finds it through its
 * RPATH, or because a file of that name is in the venv.
 */
class VenvSharedLibrariesTest {
  static final String SP = "lib/python3.11/site-packages/";

  @TempDir Path tmp;
  Path lib;

  @BeforeEach
  void buildTheLibrary() throws Exception {
    Path src = Files.writeString(tmp.resolve("pyrdemo.c"), "int pyrdemo(void) { return 42; }\n");
    lib = tmp.resolve("built/libpyrdemo.so.1");
    Files.createDirectories(lib.getParent());
    gcc("-shared", "-fPIC", "-Wl,-soname,libpyrdemo.so.1", "-o", lib.toString(), src.toString());
  }

  /** An extension module needing libpyrdemo.so.1 (and libc), with extra linker flags. */
  Path extension(Path venv, String rel, String... flags) throws Exception {
    Path src =
        Files.writeString(
            tmp.resolve("ext.c"), "int pyrdemo(void);\nint ext(void) { return pyrdemo(); }\n");
    Path out = venv.resolve(SP + rel);
    Files.createDirectories(out.getParent());
    List<String> args = new ArrayList<>(List.of("-shared", "-fPIC", "-o", out.toString()));
    args.add(src.toString());
    args.add(lib.toString());
    args.addAll(List.of(flags));
    gcc(args.toArray(String[]::new));
    return out;
  }

  static void gcc(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("gcc"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as("gcc %s: %s", cmd, out).isZero();
  }

  /** missing_libraries on one distribution holding {@code files}: [objects read, its marks]. */
  JsonNode check(Path venv, String... files) throws Exception {
    List<String> args = new ArrayList<>(List.of(venv.toString()));
    args.addAll(List.of(files));
    String out =
        VenvPyFunction.run(
            tmp,
            "import json\n"
                + "d = [{'name': 'demo', 'files': sys.argv[3:]}]\n"
                + "n = m.missing_libraries(sys.argv[2], d)\n"
                + "print(json.dumps([n, d[0].get('missingLibraries', [])]))",
            args.toArray(String[]::new));
    return new ObjectMapper().readTree(out.strip().lines().reduce((a, b) -> b).orElseThrow());
  }

  @Test
  void aLibraryFoundNowhereIsReportedWithTheObjectThatNeedsIt() throws Exception {
    Path venv = tmp.resolve("a");
    extension(venv, "demo/_ext.cpython-311-x86_64-linux-gnu.so");
    Files.writeString(venv.resolve(SP + "demo/__init__.py"), "");
    Files.writeString(venv.resolve(SP + "demo/notes.so.txt"), "not an ELF file\n");
    JsonNode r =
        check(
            venv,
            SP + "demo/__init__.py",
            SP + "demo/_ext.cpython-311-x86_64-linux-gnu.so",
            SP + "demo/notes.so.txt");
    assertThat(r.get(0).asInt()).as("ELF objects read").isEqualTo(1);
    assertThat(r.get(1)).hasSize(1);
    assertThat(r.get(1).get(0).get("file").asText())
        .isEqualTo(SP + "demo/_ext.cpython-311-x86_64-linux-gnu.so");
    // libc.so.6 is the system's; only the demo library is missing
    assertThat(r.get(1).get(0).get("needs").toString()).isEqualTo("[\"libpyrdemo.so.1\"]");
  }

  @Test
  void aLibraryOnTheObjectsRpathIsFound() throws Exception {
    Path venv = tmp.resolve("b");
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.copy(lib, outside.resolve("libpyrdemo.so.1"));
    extension(venv, "demo/_ext.so", "-Wl,-rpath," + outside);
    assertThat(check(venv, SP + "demo/_ext.so").get(1)).isEmpty();

    // $ORIGIN-relative, as auditwheel writes it
    Path venv2 = tmp.resolve("c");
    extension(venv2, "demo/_ext.so", "-Wl,-rpath,$ORIGIN/../../../../../outside");
    assertThat(check(venv2, SP + "demo/_ext.so").get(1)).isEmpty();
  }

  @Test
  void aLibraryShippedInTheVenvIsFoundByName() throws Exception {
    // auditwheel grafts it into <pkg>.libs/ (here without an RPATH: another module loads it first)
    Path venv = tmp.resolve("d");
    extension(venv, "demo/_ext.so");
    Files.createDirectories(venv.resolve(SP + "demo.libs"));
    Files.copy(lib, venv.resolve(SP + "demo.libs/libpyrdemo.so.1"));
    JsonNode r = check(venv, SP + "demo/_ext.so", SP + "demo.libs/libpyrdemo.so.1");
    assertThat(r.get(0).asInt()).isEqualTo(2);
    assertThat(r.get(1)).isEmpty();
  }

  /**
   * A rebase checks what the full step recorded, without the files: the object's needs and RPATH as
   * written, libraries in the venv by the recorded file list, the rest against this machine's
   * loader (in a build, the new base's).
   */
  @Test
  void aRebaseChecksTheRecordedObjectsWithoutTheirFiles() throws Exception {
    Path venv = tmp.resolve("e");
    extension(venv, "demo/_ext.so", "-Wl,-rpath,$ORIGIN/../demo.libs");
    Files.createDirectories(venv.resolve(SP + "demo.libs"));
    Files.copy(lib, venv.resolve(SP + "demo.libs/libpyrdemo.so.1"));
    extension(venv, "lonely/_ext.so");
    String out =
        VenvPyFunction.run(
            tmp,
            "import json, shutil\n"
                + "sp = 'lib/python3.11/site-packages/'\n"
                + "d = [{'name': 'demo', 'version': '1', 'files': [sp + 'demo/_ext.so',"
                + " sp + 'demo.libs/libpyrdemo.so.1']},"
                + " {'name': 'lonely', 'version': '2', 'files': [sp + 'lonely/_ext.so']}]\n"
                + "m.missing_libraries(sys.argv[2], d)\n"
                + "d.append({'name': 'gone', 'version': '3', 'files': [sp + 'gone/_x.so'],"
                + " 'objects': [{'file': sp + 'gone/_x.so', 'needed': ['libc.so.6',"
                + " 'libpyrgone.so.9'], 'search': []}]})\n"
                + "shutil.rmtree(sys.argv[2] + '/lib')\n" // the rebase has only a skeleton
                + "r, n = m.rebase_libraries(sys.argv[2], d)\n"
                + "print(json.dumps([n, [x['missingLibraries'] for x in r],"
                + " d[0]['objects'][0]['needed']]))",
            venv.toString());
    JsonNode r = new ObjectMapper().readTree(out.strip().lines().reduce((a, b) -> b).orElseThrow());
    assertThat(r.get(0).asInt()).as("recorded objects checked").isEqualTo(4);
    assertThat(r.get(1).get(0)).as("found on its $ORIGIN RPATH in the recorded files").isEmpty();
    assertThat(r.get(1).get(1)).as("found by name: a file of the venv has it").isEmpty();
    assertThat(r.get(1).get(2).toString())
        .isEqualTo("[{\"file\":\"" + SP + "gone/_x.so\",\"needs\":[\"libpyrgone.so.9\"]}]");
    assertThat(r.get(2).toString()).as("DT_NEEDED as written").isEqualTo("[\"libpyrdemo.so.1\"]");
  }

  @Test
  void aRebaseIsRefusedWhenTheInterpreterDiffers() throws Exception {
    String out =
        VenvPyFunction.run(
            tmp,
            "now = m.interpreter_id()\n"
                + "print(m.rebase_refusal(dict(now), now))\n"
                + "print(m.rebase_refusal(dict(now, version='3.11.1'), now))\n"
                + "print(m.rebase_refusal(dict(now, soabi='cpython-311d-x86_64-linux-gnu'), now))\n"
                + "print(m.rebase_refusal(None, now))");
    List<String> lines = out.strip().lines().toList();
    assertThat(lines.get(0)).isEqualTo("None");
    assertThat(lines.get(1)).startsWith("the interpreter's version changed: 3.11.1 -> 3.");
    assertThat(lines.get(2))
        .startsWith("the interpreter's ABI changed: cpython-311d-x86_64-linux-gnu -> cpython-3");
    assertThat(lines.get(3)).startsWith("the interpreter's implementation changed: None -> ");
  }
}
