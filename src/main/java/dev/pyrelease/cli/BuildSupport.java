package dev.pyrelease.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.pyrelease.cli.options.HostPythonOption;
import dev.pyrelease.cli.options.OutputOptions;
import dev.pyrelease.cli.options.RegistryOptions;
import dev.pyrelease.engine.BuildException;
import dev.pyrelease.engine.BuildResult;
import dev.pyrelease.engine.BuildSession;
import dev.pyrelease.engine.ContainerRunner;
import dev.pyrelease.engine.HostRunner;
import dev.pyrelease.engine.VenvRunner;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What the build commands share: wiring, the runner choice, output and exit codes. */
final class BuildSupport {
  enum Runner {
    podman,
    docker,
    host
  }

  private BuildSupport() {}

  /**
   * What builds share (the image writer, the base digests); a command's one build takes {@link
   * BuildSession#next}, a --watch session one for each rebuild.
   *
   * @param jibCache Jib's layer cache, or null for Jib's default
   * @throws BuildException (bad input) when --docker-config names no file
   */
  static BuildSession session(RegistryOptions registry, Path jibCache) {
    return new BuildSession(
        registry.credentials(),
        registry.insecure(),
        registry.credentialsOverHttp(),
        jibCache,
        version());
  }

  static VenvRunner runner(
      Runner runner,
      Map<String, String> env,
      RegistryOptions registry,
      HostPythonOption hostPython) {
    return switch (runner) {
      case podman ->
          new ContainerRunner("podman", env, registry.insecure(), registry.dockerConfig());
      case docker ->
          new ContainerRunner("docker", env, registry.insecure(), registry.dockerConfig());
      case host -> new HostRunner(hostPython.path(), env);
    };
  }

  static String version() {
    String v = BuildSupport.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  static void checkNetrc(Path netrc) {
    if (netrc != null && !Files.isRegularFile(netrc)) {
      throw BuildException.input("--index-credentials " + netrc + ": no such file");
    }
  }

  /** Prints a result: JSON on stdout, or the human summary on stdout. */
  static void print(BuildResult r, OutputOptions.Format output, PrintWriter out) {
    print(r, output, false, out);
  }

  /**
   * @param oneLine JSON on one line ({@code --watch}: one document per line), flushed
   */
  static void print(BuildResult r, OutputOptions.Format output, boolean oneLine, PrintWriter out) {
    if (output == OutputOptions.Format.json) {
      out.println(oneLine ? r.toCompactJson() : r.toJson());
      out.flush();
      return;
    }
    out.println("image:      " + r.image());
    out.println("digest:     " + r.digest());
    out.println("build key:  " + r.buildKey());
    if (r.dependencyImage() != null) {
      out.println("deps image: " + r.dependencyImage());
    }
    out.println(
        "venv step:  "
            + r.venvStep()
            + (r.venvReason() != null ? " (" + r.venvReason() + ")" : ""));
    if (r.baseImage() != null) {
      out.println("base:       " + r.baseImage());
    }
    out.println();
    out.printf("%-28s %-8s %12s  %s%n", "LAYER", "STATUS", "BYTES", "DIGEST");
    for (BuildResult.Layer l : r.layers()) {
      out.printf(
          "%-28s %-8s %12d  %s%n",
          l.name(),
          r.dependencyImage() == null ? "written" : l.uploaded() ? "pushed" : "reused",
          l.sizeBytes(),
          l.digest());
    }
    long pushed = r.layers().stream().filter(BuildResult.Layer::uploaded).count();
    if (r.dependencyImage() == null) {
      out.printf(Locale.ROOT, "%d layers written%n%n", r.layers().size());
      printClosure(r.closure(), r.distributions().size(), out);
      return;
    }
    out.printf(
        Locale.ROOT,
        "%d of %d layers pushed, %s uploaded%n%n",
        pushed,
        r.layers().size(),
        bytes(r.uploadedBytes()));
    printClosure(r.closure(), r.distributions().size(), out);
  }

  static void printClosure(BuildResult.Closure c, int distributions, PrintWriter out) {
    if (c.ok()) {
      out.println(
          "closure: ok ("
              + distributions
              + " distributions"
              + (c.ignored().isEmpty()
                  ? ")"
                  : "; " + c.ignored().size() + " ignored by spec.requirements.closure.ignore)"));
      c.ignored().forEach(p -> out.println("  ignored: " + p));
    } else {
      out.println("closure: " + c.problems().size() + " problem(s)");
      c.problems().forEach(p -> out.println("  " + p));
    }
  }

  /** Reports a failure: the one-line reason on stderr (and a JSON document on stdout). */
  static int fail(
      String command,
      BuildException e,
      OutputOptions.Format output,
      PrintWriter out,
      PrintWriter err) {
    return fail(command, e, output, false, out, err);
  }

  /**
   * @param oneLine the JSON document on one line, flushed
   */
  static int fail(
      String command,
      BuildException e,
      OutputOptions.Format output,
      boolean oneLine,
      PrintWriter out,
      PrintWriter err) {
    if (!e.closureProblems().isEmpty()) {
      e.closureProblems().forEach(p -> err.println("closure: " + p));
    }
    err.println("pyrelease " + command + ": " + e.getMessage());
    if (output == OutputOptions.Format.json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put(
          "error",
          Map.of(
              "kind",
              e.kind() == BuildException.Kind.INPUT ? "input" : "environment",
              "message",
              e.getMessage()));
      if (!e.closureProblems().isEmpty()) {
        doc.put("closure", Map.of("ok", false, "problems", e.closureProblems()));
      }
      out.println(json(doc, oneLine));
      out.flush();
    }
    return e.kind() == BuildException.Kind.INPUT ? Exit.INPUT : Exit.ENVIRONMENT;
  }

  /** A path as a step's argument (the build Job's records hold the pod's paths as text). */
  static String text(Path path) {
    return path == null ? null : path.toString();
  }

  static String json(Object doc) {
    return json(doc, false);
  }

  static String json(Object doc, boolean oneLine) {
    try {
      ObjectMapper m = new ObjectMapper();
      return (oneLine ? m : m.enable(SerializationFeature.INDENT_OUTPUT)).writeValueAsString(doc);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<String> problemsJson(List<?> problems) {
    return problems.stream().map(Object::toString).toList();
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    if (n < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MiB", n / 1024.0 / 1024.0);
  }
}
