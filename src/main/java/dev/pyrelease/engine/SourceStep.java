package dev.pyrelease.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pyrelease.api.v1alpha1.PythonReleaseSpec;
import dev.pyrelease.index.IndexLocation;
import dev.pyrelease.python.PackageName;
import dev.pyrelease.python.ParsedRequirements;
import dev.pyrelease.python.RequirementLine;
import dev.pyrelease.python.Version;
import dev.pyrelease.release.BaseImageRef;
import dev.pyrelease.release.ClosureSettings;
import dev.pyrelease.release.ReleaseKeys;
import dev.pyrelease.release.VenvScript;
import dev.pyrelease.source.GitUrls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Step 1: the build plan (keys included) from a validated release, and the workspace: the source
 * copied into {@code src/}, the venv script, the normalised requirements and {@code plan.json}.
 */
public final class SourceStep {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SourceStep() {}

  /**
   * Everything besides the release that decides the plan.
   *
   * @param buildImage the image the venv step runs in when it is not the base ({@link
   *     BaseImageRef#chooseBuild}), else null
   * @param buildImageDigest its digest, or null
   */
  public record Inputs(
      String sourceId,
      IndexLocation index,
      String baseImage,
      String baseImageDigest,
      String repository,
      String builderVersion,
      String buildImage,
      String buildImageDigest) {
    /** Inputs of a release whose venv step runs in the base. */
    public Inputs(
        String sourceId,
        IndexLocation index,
        String baseImage,
        String baseImageDigest,
        String repository,
        String builderVersion) {
      this(sourceId, index, baseImage, baseImageDigest, repository, builderVersion, null, null);
    }
  }

  /** The plan: pure. Only requirement lines that passed the pin policy may be given. */
  public static BuildPlan plan(
      String releaseName, PythonReleaseSpec spec, ParsedRequirements parsed, Inputs in) {
    List<RequirementLine> lines = parsed.requirements();
    ReleaseKeys keys =
        ReleaseKeys.of(
            spec,
            parsed,
            in.sourceId(),
            in.index(),
            new BaseImageRef(in.baseImage(), in.baseImageDigest()),
            in.buildImage() == null
                ? null
                : new BaseImageRef(in.buildImage(), in.buildImageDigest()),
            in.builderVersion());
    String appPath = spec.getSource() == null ? "." : spec.getSource().getPath();
    List<BuildPlan.PlannedPin> pins = new ArrayList<>();
    for (RequirementLine l : lines) {
      var req = l.requirement();
      pins.add(
          new BuildPlan.PlannedPin(
              PackageName.normalize(req.name()),
              Version.parse(req.specifier().specifiers().get(0).version()).toString(),
              List.copyOf(req.extras()),
              l.location(),
              req.marker() == null ? null : req.marker().toString()));
    }
    boolean requireHashes =
        Boolean.TRUE.equals(spec.getRequirements().getRequireHashes()) || parsed.requiresHashes();
    String indexUrl =
        in.index().kind() == IndexLocation.Kind.SIMPLE ? in.index().urls().get(0).toString() : null;
    List<String> findLinks =
        in.index().kind() == IndexLocation.Kind.FIND_LINKS
            ? in.index().urls().stream().map(Object::toString).toList()
            : List.of();
    ClosureSettings closure = ClosureSettings.of(spec);
    return new BuildPlan(
        releaseName,
        keys.buildKey(),
        keys.dependencyKey(),
        in.sourceId(),
        sourceUrl(spec),
        in.builderVersion(),
        keys.requirements(),
        pins,
        spec.getPython().getVersion(),
        indexUrl,
        findLinks,
        requireHashes,
        closure.enabled(),
        in.baseImage(),
        in.baseImageDigest(),
        in.repository(),
        appPath == null || appPath.isBlank() ? "." : appPath,
        spec.getRun() == null ? List.of() : spec.getRun().getCommand(),
        spec.getRun() == null || spec.getRun().getPort() == null ? 8000 : spec.getRun().getPort(),
        ReleaseKeys.buildCommands(spec),
        closure.ignore(),
        in.buildImage(),
        in.buildImage() == null ? null : in.buildImageDigest());
  }

  /** The git URL the release names, credentials removed; null when it names none. */
  static String sourceUrl(PythonReleaseSpec spec) {
    if (spec.getSource() == null || spec.getSource().getGit() == null) {
      return null;
    }
    String url = spec.getSource().getGit().getUrl();
    return url == null || url.isBlank() ? null : GitUrls.withoutUserinfo(url);
  }

  /**
   * Fills the workspace: {@code src/} (a copy of {@code sourceDir}), {@code venv.py}, {@code
   * requirements.txt}, {@code build-commands.json}, {@code plan.json}. Returns the number of source
   * files copied.
   *
   * @throws BuildException (input) when the release has build commands and its app is a package:
   *     the commands run in {@code /app}, where only a plain-files app is
   */
  public static int prepare(Workspace ws, Path sourceDir, BuildPlan plan, VenvScript script) {
    if (!Files.isDirectory(sourceDir)) {
      throw BuildException.input("source: " + sourceDir + " is not a directory");
    }
    int files = SourceTree.copy(sourceDir, ws.src());
    Path app = ws.src().resolve(plan.appPath()).normalize();
    if (!app.startsWith(ws.src()) || !Files.isDirectory(app)) {
      throw BuildException.input(
          "source: spec.source.path '" + plan.appPath() + "' is not a directory in " + sourceDir);
    }
    if (plan.hasBuildCommands() && VenvStep.isPackage(app)) {
      throw BuildException.input(
          "spec.build.commands: the app ("
              + (plan.appPath().equals(".") ? "the source root" : plan.appPath())
              + ") is a Python package (pyproject.toml or setup.py), installed into the venv;"
              + " build commands run in /app, where a plain-files app is at run time, and are not"
              + " supported for a package app: remove spec.build.commands and ship their output"
              + " with the package, or deploy the app as plain files");
    }
    try {
      script.writeTo(ws.script());
    } catch (java.io.UncheckedIOException e) {
      throw BuildException.environment(e.getMessage());
    }
    try {
      StringBuilder text = new StringBuilder();
      plan.requirements().forEach(l -> text.append(l).append('\n'));
      Files.writeString(ws.requirements(), text.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw BuildException.environment("cannot write " + ws.requirements() + ": " + e);
    }
    try {
      Files.writeString(
          ws.buildCommands(),
          JSON.writeValueAsString(plan.buildCommands()) + "\n",
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw BuildException.environment("cannot write " + ws.buildCommands() + ": " + e);
    }
    plan.write(ws.plan());
    return files;
  }
}
