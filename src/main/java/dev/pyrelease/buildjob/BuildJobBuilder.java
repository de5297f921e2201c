package dev.pyrelease.buildjob;

import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.api.v1alpha1.SecretRef;
import dev.pyrelease.config.BuildJobConfig;
import dev.pyrelease.kube.Hardening;
import dev.pyrelease.kube.Labels;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The build Job of one revision, {@code <name>-build-r<N>}: one pod, init containers {@code source}
 * (operator image) and {@code venv} (base image), container {@code assemble} (operator image),
 * which writes its {@link AssembleResult} as the termination message. Pure: same inputs, same Job.
 * What each container is told is {@link BuildSteps}'; the rest is the pod around them.
 *
 * <p>Secrets are mounted as files only into the container that needs them, never as env: git
 * ({@code username}/{@code password}, or {@code ssh-privatekey}/{@code known_hosts} for git over
 * ssh, which the step reads into memory) → source ({@code --git-credentials DIR}); index (key
 * {@code netrc}, a netrc file) → venv ({@code --netrc DIR/netrc}); push (a {@code
 * kubernetes.io/dockerconfigjson} Secret, key {@code .dockerconfigjson} mounted as {@code
 * config.json}) → assemble ({@code --docker-config DIR/config.json}).
 *
 * <p>The venv container runs in the base image: the Job is created before the source step learns
 * whether the dependency image exists, so the source step is told {@code --venv-in-base-image} and
 * never picks app-only. A plain-files app on an existing dependency image skips the venv step (the
 * container exits at once); a package app gets the full step in the base image, and the assemble
 * step puts only the app layer on the existing dependency image.
 *
 * <p>A release with {@code spec.python.buildImage} (another image than the base) runs the venv
 * container in that image, pinned to its digest, between two init containers in the base (the run
 * image): {@code interpreter} (venv.py {@code --probe-interpreter}: the base's interpreter, which
 * the venv step must share, checked before pip runs) and {@code libraries} (venv.py {@code
 * --check-libraries}: the venv's shared libraries against the base's, for the closure check).
 *
 * <p>A release with {@code spec.build.commands} gets a fourth container, init container {@code
 * commands} (base image) between venv and assemble: venv.py {@code --commands-only} runs them as
 * the build user in {@code /app} (an emptyDir of its own, where the app the venv step exported is
 * copied, and from where it is copied back), with the venv mounted read-only and no Secret. Such a
 * release always gets the full venv step (the commands need the venv, which the base image lacks),
 * and on an existing dependency image only the app layer is written and uploaded. A pod's network
 * cannot be turned off: unlike {@code pyrelease build --runner podman}, the commands have the pod's
 * network.
 */
public final class BuildJobBuilder {
  public static final String SOURCE = SourceArgs.STEP;
  public static final String VENV = VenvArgs.STEP;
  public static final String ASSEMBLE = AssembleArgs.STEP;
  public static final String COMMANDS = CommandsArgs.STEP;
  public static final String WORKSPACE = "/workspace";

  /** Where the build commands run: a plain-files app's path at run time. */
  public static final String APP_DIR = "/app";

  /**
   * The operator image's class-data archive of the source and assemble steps' classes
   * (scripts/operator-image). An image built without it (--no-cds) names a missing file, which the
   * JVM ignores; the log is off so that a mismatch can never add lines to a step's output.
   */
  static final String CLASS_DATA_ARCHIVE = "/opt/pyrelease/cds/steps.jsa";

  /** Read by every JVM at start (the image's entrypoint passes its own flags on the command). */
  static final String JVM_OPTIONS = "JAVA_TOOL_OPTIONS";

  static final String SHORT_LIVED_JVM =
      "-XX:TieredStopAtLevel=1 -XX:SharedArchiveFile=" + CLASS_DATA_ARCHIVE + " -Xlog:cds=off";
  public static final String GIT_SECRET_DIR = "/var/run/secrets/pyrelease/git";
  public static final String INDEX_SECRET_DIR = "/var/run/secrets/pyrelease/index";
  public static final String PUSH_SECRET_DIR = "/var/run/secrets/pyrelease/push";

  /** The index Secret's key: a netrc file. */
  public static final String INDEX_NETRC_KEY = "netrc";

  /** The push Secret's key ({@code kubernetes.io/dockerconfigjson}), mounted as config.json. */
  public static final String PUSH_CONFIG_KEY = ".dockerconfigjson";

  /** The file the push Secret's key is mounted as, in {@link #PUSH_SECRET_DIR}. */
  public static final String PUSH_CONFIG_FILE = "config.json";

  static final long BUILD_USER = 65532L;

  /** Where each step writes its error (and assemble its result): the kubelet's default path. */
  public static final String TERMINATION_LOG = "/dev/termination-log";

  /** The steps' termination message: the file when written (assemble's result), else the log. */
  public static final String TERMINATION_POLICY = "FallbackToLogsOnError";

  /**
   * What one build is of: everything the key was computed from.
   *
   * @param baseImage the base (the run image), pinned to its digest
   * @param buildImage the image the venv step runs in when it is not the base ({@code
   *     spec.python.buildImage}), pinned to its digest; null when the venv step runs in the base
   */
  public record Request(
      int revision,
      String commit,
      String buildKey,
      String requirementsSha256,
      String baseImage,
      String buildImage) {
    public Request(
        int revision, String commit, String buildKey, String requirementsSha256, String baseImage) {
      this(revision, commit, buildKey, requirementsSha256, baseImage, null);
    }

    /** The image the venv container runs. */
    public String venvImage() {
      return buildImage != null ? buildImage : baseImage;
    }
  }

  private BuildJobBuilder() {}

  public static Job desired(PythonRelease release, Request req, BuildJobConfig config) {
    var spec = release.getSpec();
    Map<String, String> labels = Labels.revision(release, req.revision());
    labels.put(Labels.COMPONENT, "build");
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(Labels.BUILD_KEY, req.buildKey());
    annotations.put(Labels.COMMIT, req.commit());
    annotations.put(Labels.REQUIREMENTS_SHA, req.requirementsSha256());

    SecretRef git = spec.getSource().getGit().getSecretRef();
    SecretRef index = spec.getIndex().getSecretRef();
    SecretRef push = spec.getImage().getPushSecretRef();

    BuildSteps steps = BuildSteps.of(release, req, config.registryCredentialsOverHttp());
    List<Volume> volumes = new ArrayList<>();
    volumes.add(emptyDir("workspace"));
    volumes.add(emptyDir("venv"));
    volumes.add(emptyDir("tmp"));
    if (steps.commands() != null) {
      volumes.add(emptyDir("app"));
    }
    if (git != null) {
      volumes.add(secret("git-credentials", git));
    }
    if (index != null) {
      volumes.add(secret("index-credentials", index));
    }
    if (push != null) {
      Volume v = secret("push-credentials", push);
      v.getSecret()
          .setItems(
              List.of(
                  new io.fabric8.kubernetes.api.model.KeyToPathBuilder()
                      .withKey(PUSH_CONFIG_KEY)
                      .withPath(PUSH_CONFIG_FILE)
                      .build()));
      volumes.add(v);
    }

    Container source =
        step(SOURCE, config.operatorImage(), null, steps.source().toArgs(), config)
            .addAll(
                mount("workspace", WORKSPACE),
                git == null ? null : mount("git-credentials", GIT_SECRET_DIR))
            .build();
    Container venv =
        step(VENV, req.venvImage(), steps.venv().command(), steps.venv().toArgs(), config)
            .addAll(
                mount("workspace", WORKSPACE),
                mount("venv", "/opt/venv"),
                index == null ? null : mount("index-credentials", INDEX_SECRET_DIR))
            .build();
    // a writable HOME on the tmp emptyDir (the root filesystem is read-only): pip wants one even
    // with --no-cache-dir, JGit writes ~/.config/jgit, Jib caches under ~/.cache
    EnvVar home = new EnvVar("HOME", "/tmp", null);
    // the source and assemble JVMs live for seconds: C2's compilations of Jib's and
    // commons-compress's per-file code cost more CPU than they save (assemble of the Django
    // example: ~17% less CPU with C1 only), and mapping their classes from the image's archive
    // saves about a third of what loading and verifying them costs (BENCHMARKS.md)
    EnvVar c1 = new EnvVar(JVM_OPTIONS, SHORT_LIVED_JVM, null);
    // JGit finds its config by XDG_CONFIG_HOME, else by the JVM's user.home, which for a uid
    // without a passwd entry is "/": it logged two stack traces per checkout failing to write
    // /.config/jgit, and they could push a failed step's error out of its message (the log tail)
    EnvVar xdg = new EnvVar("XDG_CONFIG_HOME", "/tmp/.config", null);
    source.setEnv(List.of(home, xdg, c1));
    venv.setEnv(List.of(home));
    Container commands = null;
    if (steps.commands() != null) {
      // no Secret, the venv read-only: only /app (and /tmp) for the commands to write
      commands =
          step(
                  COMMANDS,
                  req.baseImage(),
                  steps.commands().command(),
                  steps.commands().toArgs(),
                  config)
              .addAll(
                  mount("workspace", WORKSPACE),
                  mount("venv", "/opt/venv", true),
                  mount("app", APP_DIR))
              .build();
      commands.setEnv(List.of(home));
    }
    // a build image builds the venv for the base: the base's interpreter is probed before (the
    // venv step compares its own with it before pip runs) and the venv's shared libraries are
    // checked in the base after, with no Secret and the venv read-only
    Container interpreter = null;
    Container libraries = null;
    if (req.buildImage() != null) {
      interpreter = runImageCheck(RunImageCheckArgs.INTERPRETER, req, config, home);
      libraries = runImageCheck(RunImageCheckArgs.LIBRARIES, req, config, home);
    }
    Container assemble =
        step(ASSEMBLE, config.operatorImage(), null, steps.assemble().toArgs(), config)
            .addAll(
                mount("workspace", WORKSPACE),
                mount("venv", "/opt/venv"),
                push == null ? null : mount("push-credentials", PUSH_SECRET_DIR))
            .build();
    assemble.setEnv(List.of(home, xdg, c1));
    assemble.setTerminationMessagePath(TERMINATION_LOG);

    return new JobBuilder()
        .withNewMetadata()
        .withName(Labels.buildJobName(release.getMetadata().getName(), req.revision()))
        .withNamespace(release.getMetadata().getNamespace())
        .withLabels(labels)
        .withAnnotations(annotations)
        .withOwnerReferences(Labels.owner(release))
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(config.backoffLimit())
        .withActiveDeadlineSeconds(config.deadlineSeconds())
        .withTtlSecondsAfterFinished(config.ttlSeconds())
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .withAnnotations(annotations)
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(BUILD_USER)
        .withRunAsGroup(BUILD_USER)
        .withFsGroup(BUILD_USER)
        .withNewSeccompProfile("", "RuntimeDefault")
        .endSecurityContext()
        .withInitContainers(initContainers(source, interpreter, venv, libraries, commands))
        .withContainers(assemble)
        .withVolumes(volumes)
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /** The init containers in the order they run, those a release does not need left out. */
  private static List<Container> initContainers(Container... steps) {
    List<Container> out = new ArrayList<>();
    for (Container c : steps) {
      if (c != null) {
        out.add(c);
      }
    }
    return out;
  }

  private static Container runImageCheck(
      String name, Request req, BuildJobConfig config, EnvVar home) {
    RunImageCheckArgs args =
        new RunImageCheckArgs(
            name, WORKSPACE + "/venv.py", WORKSPACE + "/plan.json", TERMINATION_LOG);
    Container c =
        step(name, req.baseImage(), args.command(), args.toArgs(), config)
            .addAll(mount("workspace", WORKSPACE), mount("venv", "/opt/venv", true))
            .build();
    c.setEnv(List.of(home));
    return c;
  }

  private static final class StepBuilder {
    private final Container c;

    StepBuilder(Container c) {
      this.c = c;
    }

    StepBuilder addAll(VolumeMount... mounts) {
      List<VolumeMount> list = new ArrayList<>();
      list.add(mount("tmp", "/tmp"));
      for (VolumeMount m : mounts) {
        if (m != null) {
          list.add(m);
        }
      }
      c.setVolumeMounts(list);
      return this;
    }

    Container build() {
      return c;
    }
  }

  /**
   * @param command the image's entrypoint replaced, or null to keep it (the operator image's is the
   *     CLI)
   */
  private static StepBuilder step(
      String name, String image, List<String> command, List<String> args, BuildJobConfig config) {
    Container c =
        new ContainerBuilder()
            .withName(name)
            .withImage(image)
            .withCommand(command)
            .withArgs(args)
            .withResources(resources(config))
            .withSecurityContext(Hardening.container())
            // a failed step's last log lines (its error: "venv: error: ...", "pyrelease source:
            // ...") become its termination message, which the operator puts in the Built
            // condition; with "File" a failed step left none, as only assemble writes that file
            .withTerminationMessagePolicy(TERMINATION_POLICY)
            .build();
    return new StepBuilder(c);
  }

  private static ResourceRequirements resources(BuildJobConfig config) {
    Map<String, Quantity> limits = new LinkedHashMap<>();
    limits.put("cpu", new Quantity(config.cpu()));
    limits.put("memory", new Quantity(config.memory()));
    return new ResourceRequirementsBuilder().withLimits(limits).withRequests(limits).build();
  }

  private static Volume emptyDir(String name) {
    return new VolumeBuilder().withName(name).withNewEmptyDir().endEmptyDir().build();
  }

  private static Volume secret(String name, SecretRef ref) {
    return new VolumeBuilder()
        .withName(name)
        .withNewSecret()
        .withSecretName(ref.getName())
        .withDefaultMode(0440)
        .endSecret()
        .build();
  }

  private static VolumeMount mount(String name, String path) {
    return mount(name, path, name.endsWith("-credentials"));
  }

  private static VolumeMount mount(String name, String path, boolean readOnly) {
    return new VolumeMountBuilder()
        .withName(name)
        .withMountPath(path)
        .withReadOnly(readOnly ? Boolean.TRUE : null)
        .build();
  }
}
