package dev.pyrelease.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One run of the venv script: in which image, with which index, for which app.
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
    Path netrc) {

  public VenvInvocation {
    Objects.requireNonNull(workspace, "workspace");
    findLinks = findLinks == null ? List.of() : List.copyOf(findLinks);
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
    args.add("--venv");
    args.add(Workspace.VENV_PATH);
    args.add("--out");
    args.add(inside.apply(workspace.out()));
    args.add("--wheels");
    args.add(inside.apply(workspace.wheels()));
    if (pythonVersion != null) {
      args.add("--python-version");
      args.add(pythonVersion);
    }
    if (netrc != null) {
      args.add("--netrc");
      args.add(netrcInside);
    }
    return args;
  }
}
