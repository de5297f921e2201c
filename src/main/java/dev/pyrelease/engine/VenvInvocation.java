package dev.pyrelease.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One run of the venv script: in which image, with which index, for which app, and whether it runs
 * the release's build commands.
 *
 * @param workspace the shared workspace (its requirements.txt, src/, out/, wheels/, venv/)
 * @param image the image to run in: the base image, or the dependency image for {@code appOnly};
 *     ignored by the host runner
 * @param appOnly install only the app into the venv that is already there (the dependency image)
 * @param appPath the app directory relative to the workspace's src/, or null for no app
 * @param indexUrl a PEP 503 simple index without credentials, or null
 * @param findLinks find-links URLs without credentials (used when indexUrl is null)
 * @param requireHashes pass {@code --require-hashes}
 * @param pythonVersion X.Y the interpreter must have
 * @param netrc the index credentials file (netrc format), or null; mounted read-only, never logged
 * @param commands whether this run runs the build commands ({@link Commands})
 * @param rebase venv.py {@code --rebase} with the workspace's rebase input ({@link
 *     VenvStep.Mode#REBASED})
 * @param task what the run does ({@link Task}): the venv step, or a check in the run image
 * @param runImage when {@code image} is a build image: the run image (pinned) whose interpreter the
 *     venv step's must be, which a {@link Task#PROBE_INTERPRETER} run found; else null
 */
public record VenvInvocation(
    Workspace workspace,
    String image,
    boolean appOnly,
    String appPath,
    String indexUrl,
    List<String> findLinks,
    boolean requireHashes,
    String pythonVersion,
    Path netrc,
    Commands commands,
    boolean rebase,
    Task task,
    String runImage) {

  /**
   * What a run does. The two checks run in the run image (the base) when the venv step runs in a
   * build image ({@code spec.python.buildImage}); they are isolated like a run with the build
   * commands (no network, no credentials, the venv read-only, only {@code out/} writable).
   */
  public enum Task {
    /** The venv step (with or without the build commands). */
    VENV,
    /** Before the venv step: the run image's interpreter, written to {@code out/}. */
    PROBE_INTERPRETER,
    /** After it: the venv's extension modules' shared libraries against the run image's. */
    CHECK_LIBRARIES
  }

  /**
   * The build commands' part in a run. A run that has one is isolated by its runner as far as it
   * can: no network, the venv read-only, only {@link #RUN_DIR} (the workspace's {@code
   * out/app-files}) and a private {@code /tmp} writable, no credentials.
   */
  public enum Commands {
    /** The venv step only. */
    NONE,
    /** The app's export (app-only, a plain-files app: no network needed), then the commands. */
    AFTER_APP,
    /** Only the commands, on the app an earlier run exported, with the venv it made. */
    ONLY
  }

  /** Where the build commands run: a plain-files app's path at run time (venv.py's RUN_DIR). */
  public static final String RUN_DIR = "/app";

  /** The build commands' HOME and TMPDIR are made under this (venv.py's COMMANDS_TMP). */
  public static final String COMMANDS_TMP = "/tmp/pyrelease-commands";

  public VenvInvocation {
    Objects.requireNonNull(workspace, "workspace");
    findLinks = findLinks == null ? List.of() : List.copyOf(findLinks);
    commands = commands == null ? Commands.NONE : commands;
    task = task == null ? Task.VENV : task;
    if (commands != Commands.NONE && netrc != null) {
      throw new IllegalArgumentException("a run with the build commands gets no credentials");
    }
  }

  /** A run in the run image itself (no build image). */
  public VenvInvocation(
      Workspace workspace,
      String image,
      boolean appOnly,
      String appPath,
      String indexUrl,
      List<String> findLinks,
      boolean requireHashes,
      String pythonVersion,
      Path netrc,
      Commands commands,
      boolean rebase) {
    this(
        workspace,
        image,
        appOnly,
        appPath,
        indexUrl,
        findLinks,
        requireHashes,
        pythonVersion,
        netrc,
        commands,
        rebase,
        Task.VENV,
        null);
  }

  /** A check in the run image {@code image} ({@link Task#PROBE_INTERPRETER} or LIBRARIES). */
  public static VenvInvocation check(Workspace workspace, String image, Task task) {
    if (task == Task.VENV) {
      throw new IllegalArgumentException("not a check: " + task);
    }
    return new VenvInvocation(
        workspace,
        image,
        false,
        null,
        null,
        List.of(),
        false,
        null,
        null,
        Commands.NONE,
        false,
        task,
        null);
  }

  /** A run without a rebase. */
  public VenvInvocation(
      Workspace workspace,
      String image,
      boolean appOnly,
      String appPath,
      String indexUrl,
      List<String> findLinks,
      boolean requireHashes,
      String pythonVersion,
      Path netrc,
      Commands commands) {
    this(
        workspace,
        image,
        appOnly,
        appPath,
        indexUrl,
        findLinks,
        requireHashes,
        pythonVersion,
        netrc,
        commands,
        false);
  }

  /** A run of the venv step without build commands. */
  public VenvInvocation(
      Workspace workspace,
      String image,
      boolean appOnly,
      String appPath,
      String indexUrl,
      List<String> findLinks,
      boolean requireHashes,
      String pythonVersion,
      Path netrc) {
    this(
        workspace,
        image,
        appOnly,
        appPath,
        indexUrl,
        findLinks,
        requireHashes,
        pythonVersion,
        netrc,
        Commands.NONE);
  }

  /** The build commands alone, in {@code image} with the workspace's venv (a full venv step's). */
  public static VenvInvocation commandsOnly(Workspace workspace, String image) {
    return new VenvInvocation(
        workspace, image, false, null, null, List.of(), false, null, null, Commands.ONLY);
  }

  /** Whether this run runs the build commands. */
  public boolean runsCommands() {
    return commands != Commands.NONE;
  }

  /** Whether the runner isolates this run (the build commands, and the run image's checks). */
  public boolean isolated() {
    return runsCommands() || task != Task.VENV;
  }

  /**
   * The script's arguments, with workspace paths as the script sees them.
   *
   * @param inside maps a path under the workspace to the path the script sees
   * @param netrcInside the netrc path as the script sees it
   */
  public List<String> scriptArgs(Function<Path, String> inside, String netrcInside) {
    List<String> args = new ArrayList<>();
    args.add(inside.apply(workspace.script()));
    if (task != Task.VENV) {
      args.add(task == Task.PROBE_INTERPRETER ? "--probe-interpreter" : "--check-libraries");
      args.add("--venv");
      args.add(Workspace.VENV_PATH);
      args.add("--out");
      args.add(inside.apply(workspace.out()));
      return args;
    }
    if (commands == Commands.ONLY) {
      args.add("--commands-only");
      commandArgs(args, inside);
      args.add("--venv");
      args.add(Workspace.VENV_PATH);
      args.add("--out");
      args.add(inside.apply(workspace.out()));
      return args;
    }
    if (!appOnly) {
      args.add("--requirements");
      args.add(inside.apply(workspace.requirements()));
      if (indexUrl != null) {
        args.add("--index-url");
        args.add(indexUrl);
      } else {
        for (String f : findLinks) {
          args.add("--find-links");
          args.add(f);
        }
      }
      if (requireHashes) {
        args.add("--require-hashes");
      }
    } else {
      args.add("--app-only");
      // the app, if a package, may need its build backend from the index
      if (indexUrl != null) {
        args.add("--index-url");
        args.add(indexUrl);
      }
    }
    if (appPath != null) {
      args.add("--app");
      Path app = workspace.src().resolve(appPath).normalize();
      args.add(inside.apply(app));
    }
    if (commands == Commands.AFTER_APP) {
      commandArgs(args, inside);
    }
    args.add("--venv");
    args.add(Workspace.VENV_PATH);
    args.add("--out");
    args.add(inside.apply(workspace.out()));
    args.add("--wheels");
    args.add(inside.apply(workspace.wheels()));
    if (rebase) {
      args.add("--rebase");
      args.add(inside.apply(workspace.rebaseInput()));
    }
    if (pythonVersion != null) {
      args.add("--python-version");
      args.add(pythonVersion);
    }
    if (netrc != null) {
      args.add("--netrc");
      args.add(netrcInside);
    }
    if (runImage != null) {
      args.add("--run-image");
      args.add(runImage);
      args.add("--build-image");
      args.add(image);
    }
    return args;
  }

  private void commandArgs(List<String> args, Function<Path, String> inside) {
    args.add("--build-commands");
    args.add(inside.apply(workspace.buildCommands()));
    args.add("--termination-log");
    args.add(inside.apply(workspace.commandsError()));
  }
}
