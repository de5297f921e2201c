package dev.pyrelease.buildjob;

import static dev.pyrelease.buildjob.BuildJobBuilder.GIT_SECRET_DIR;
import static dev.pyrelease.buildjob.BuildJobBuilder.INDEX_NETRC_KEY;
import static dev.pyrelease.buildjob.BuildJobBuilder.INDEX_SECRET_DIR;
import static dev.pyrelease.buildjob.BuildJobBuilder.PUSH_CONFIG_FILE;
import static dev.pyrelease.buildjob.BuildJobBuilder.PUSH_SECRET_DIR;
import static dev.pyrelease.buildjob.BuildJobBuilder.TERMINATION_LOG;
import static dev.pyrelease.buildjob.BuildJobBuilder.WORKSPACE;

import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.api.v1alpha1.PythonReleaseSpec;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * What each step of one build is told: all the Job builder decides about the steps. Paths are the
 * pod's: the workspace and the secrets where {@link BuildJobBuilder} mounts them.
 */
public record BuildSteps(
    SourceArgs source, VenvArgs venv, CommandsArgs commands, AssembleArgs assemble) {
  /**
   * What each step is told. The source step adds what only the cluster build needs (fetch this
   * commit of this URL); the venv step runs the script the source step wrote with what the source
   * step decided (full venv, app only, or nothing), read from the plan; the build commands (only
   * when the release has {@code spec.build.commands}, else {@code commands} is null) run from the
   * plan too. The commands themselves travel in the release ({@link SourceArgs#releaseJson()}): the
   * source step keys them, with the one function the operator keys them with, and writes them into
   * the plan.
   */
  public static BuildSteps of(PythonRelease release, BuildJobBuilder.Request req) {
    return of(release, req, false);
  }

  /**
   * {@link #of(PythonRelease, BuildJobBuilder.Request)}, the assemble step allowed to send the push
   * credentials over plain HTTP ({@code PYRELEASE_REGISTRY_CREDENTIALS_OVER_HTTP}; only where it
   * uses plain HTTP at all, a registry on the node's loopback).
   */
  public static BuildSteps of(
      PythonRelease release, BuildJobBuilder.Request req, boolean credentialsOverHttp) {
    var spec = release.getSpec();
    String repository = spec.getImage().getRepository();
    boolean insecure = loopback(repository) || loopback(req.baseImage());
    boolean commands =
        spec.getBuild() != null
            && spec.getBuild().getCommands() != null
            && !spec.getBuild().getCommands().isEmpty();
    return new BuildSteps(
        new SourceArgs(
            releaseJson(release, req.buildImage()),
            spec.getSource().getGit().getUrl(),
            req.commit(),
            spec.getSource().getGit().getSecretRef() == null ? null : GIT_SECRET_DIR,
            WORKSPACE + "/checkout",
            WORKSPACE,
            req.baseImage(),
            repository,
            true,
            TERMINATION_LOG,
            insecure),
        new VenvArgs(
            WORKSPACE + "/venv.py",
            WORKSPACE + "/plan.json",
            TERMINATION_LOG,
            spec.getIndex().getSecretRef() == null
                ? null
                : INDEX_SECRET_DIR + "/" + INDEX_NETRC_KEY),
        commands
            ? new CommandsArgs(WORKSPACE + "/venv.py", WORKSPACE + "/plan.json", TERMINATION_LOG)
            : null,
        new AssembleArgs(
            WORKSPACE,
            insecure,
            insecure && credentialsOverHttp,
            spec.getImage().getPushSecretRef() == null
                ? null
                : PUSH_SECRET_DIR + "/" + PUSH_CONFIG_FILE,
            true,
            TERMINATION_LOG));
  }

  /**
   * A registry on the node's loopback ({@code 127.0.0.1}, {@code localhost}, e.g. a node-local
   * registry or mirror) is reached over plain HTTP, as {@code scripts/operator-image} does.
   */
  static boolean loopback(String image) {
    String host = image.split("/", 2)[0];
    return image.contains("/")
        && (host.equals("localhost")
            || host.startsWith("localhost:")
            || host.equals("127.0.0.1")
            || host.startsWith("127.0.0.1:"));
  }

  /** The release as the source step validates it: name, namespace and spec, nothing else. */
  static String releaseJson(PythonRelease release) {
    return releaseJson(release, null);
  }

  /**
   * The release as the source step validates it, its {@code spec.python.buildImage} the one the
   * operator resolved: pinned to the digest it keyed (so the pod keys the same image even if the
   * tag moves), or none when the venv step runs in the base.
   */
  static String releaseJson(PythonRelease release, String buildImage) {
    PythonRelease copy = new PythonRelease();
    copy.getMetadata().setName(release.getMetadata().getName());
    copy.getMetadata().setNamespace(release.getMetadata().getNamespace());
    PythonReleaseSpec spec = Serialization.clone(release.getSpec());
    if (spec.getPython() != null) {
      spec.getPython().setBuildImage(buildImage);
    }
    copy.setSpec(spec);
    return Serialization.asJson(copy);
  }
}
