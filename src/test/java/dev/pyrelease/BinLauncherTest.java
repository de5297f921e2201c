package dev.pyrelease;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/pyrelease}, run on a stand-in jar whose main prints the JVM options it was started
 * with and its arguments: which JIT and GC each kind of run gets, and the class-data archive
 * recorded on a subcommand's first run and used from the second.
 */
class BinLauncherTest {
  @TempDir Path tmp;
  Path jar;

  @BeforeEach
  void standInJar() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Files.writeString(
        src.resolve("Echo.java"),
        "public class Echo { public static void main(String[] a) throws Exception {"
            + " System.out.println(java.lang.management.ManagementFactory.getRuntimeMXBean()"
            + ".getInputArguments() + \" \" + java.util.Arrays.asList(a));"
            + " if (a.length > 0 && a[0].equals(\"sleep\")) Thread.sleep(60_000); } }");
    Path classes = Files.createDirectories(tmp.resolve("classes"));
    int rc =
        ToolProvider.getSystemJavaCompiler()
            .run(null, null, null, "-d", classes.toString(), src.resolve("Echo.java").toString());
    assertThat(rc).isZero();
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "Echo");
    jar = tmp.resolve("stand-in.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m)) {
      out.putNextEntry(new JarEntry("Echo.class"));
      out.write(Files.readAllBytes(classes.resolve("Echo.class")));
      out.closeEntry();
    }
  }

  String run(String... args) throws Exception {
    List<String> argv =
        new ArrayList<>(List.of(Path.of("bin/pyrelease").toAbsolutePath().toString()));
    argv.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    pb.environment().put("PYRELEASE_JAR", jar.toString());
    pb.environment().put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
    Process p = pb.start();
    try (OutputStream in = p.getOutputStream()) {
      // no input
    }
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(out).isZero();
    return out;
  }

  @Test
  void shortRunsGetC1AndTheirArchiveFromTheSecondRunOn() throws Exception {
    String first = run("check", "-f", "x.yaml");
    assertThat(first)
        .contains("-XX:TieredStopAtLevel=1")
        .contains("-XX:ArchiveClassesAtExit=")
        .doesNotContain("-XX:SharedArchiveFile=")
        .endsWith("[check, -f, x.yaml]\n");
    String second = run("check", "-f", "x.yaml");
    assertThat(second)
        .contains("-XX:TieredStopAtLevel=1")
        .contains("-XX:SharedArchiveFile=")
        .contains("-check.jsa");
  }

  @Test
  void aWatchSessionGetsC1WithLowThresholdsAndTheSerialGcAndNoArchive() throws Exception {
    // a session ends by a signal and halts, which writes no archive: none is recorded or used
    for (int i = 0; i < 2; i++) {
      assertThat(run("build", "-f", "x.yaml", "--source", "app", "--watch"))
          .contains("-XX:TieredStopAtLevel=1")
          .contains("-XX:CompileThresholdScaling=0.05")
          .contains("-XX:+UseSerialGC")
          .doesNotContain(".jsa");
    }
    assertThat(run("build", "-f", "x.yaml"))
        .contains("-build.jsa")
        .doesNotContain("UseSerialGC")
        .doesNotContain("CompileThresholdScaling");
  }

  /** Starts {@code bin/pyrelease sleep ARGS...}, waits for its JVM, sends SIGTERM to the script. */
  void stopWhileRunning(String... args) throws Exception {
    List<String> argv =
        new ArrayList<>(List.of(Path.of("bin/pyrelease").toAbsolutePath().toString(), "sleep"));
    argv.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    pb.environment().put("PYRELEASE_JAR", jar.toString());
    pb.environment().put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
    Process p = pb.start();
    // the stand-in prints its line, then sleeps
    var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
    assertThat(in.readLine()).contains("[sleep");
    List<ProcessHandle> jvms = new ArrayList<>(p.descendants().toList());
    jvms.add(p.toHandle());
    p.destroy(); // SIGTERM, to the script's pid
    assertThat(p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    for (ProcessHandle h : jvms) {
      h.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(h.isAlive()).as("pid %d", h.pid()).isFalse();
    }
  }

  @Test
  void stoppingTheScriptStopsTheJvmAlsoOnTheRecordingRun() throws Exception {
    // the first run of a subcommand: the JVM is the script's child
    stopWhileRunning("-f", "x.yaml");
    // a watch session: exec, the script is the JVM
    stopWhileRunning("--watch");
  }

  @Test
  void theOperatorKeepsC2() throws Exception {
    assertThat(run("operator")).doesNotContain("TieredStopAtLevel").doesNotContain("UseSerialGC");
  }

  @Test
  void aMissingJarIsSaidPlainly() throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(Path.of("bin/pyrelease").toAbsolutePath().toString(), "--version")
            .redirectErrorStream(true);
    pb.environment().put("PYRELEASE_JAR", tmp.resolve("nope.jar").toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).isEqualTo(2);
    assertThat(out).contains("nope.jar not found: run mvn -B package first");
  }
}
