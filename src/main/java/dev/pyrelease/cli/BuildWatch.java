package dev.pyrelease.cli;

import dev.pyrelease.engine.BuildException;
import dev.pyrelease.engine.BuildSession;
import dev.pyrelease.engine.BuildWorkspace;
import dev.pyrelease.engine.watch.SourceWatcher;
import dev.pyrelease.engine.watch.WatchSession;
import dev.pyrelease.validate.ManifestReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * {@code build --watch} on the command line: the usage errors found before the first build, the
 * builds as {@link BuildCommand} makes them, and the exit codes; the watching itself is {@link
 * WatchSession}'s.
 */
final class BuildWatch {
  private final BuildCommand build;
  private final PrintWriter out;
  private final PrintWriter err;

  BuildWatch(BuildCommand build, PrintWriter out, PrintWriter err) {
    this.build = build;
    this.out = out;
    this.err = err;
  }

  int run() {
    Path source = build.release.source();
    Path file = build.release.file();
    if (source == null) {
      err.println("pyrelease build: --watch needs --source DIR, the directory to watch");
      return Exit.USAGE;
    }
    if (!Files.isDirectory(source)) {
      err.println("pyrelease build: --source " + source + " is not a directory");
      return Exit.USAGE;
    }
    // the CRD's schema is parsed once, and the session's writer and resolver are shared so that
    // they keep what they learnt; the files the flags name are checked before the first build
    ManifestReader manifests = ManifestReader.fromGeneratedCrd();
    BuildSession session;
    try {
      session = build.session();
      BuildSupport.checkNetrc(build.indexCredentials);
    } catch (BuildException e) {
      return build.fail(e, true);
    }
    Set<Path> outputs = new HashSet<>();
    if (build.target.tar() != null) {
      outputs.add(build.target.tar());
    }
    if (build.workspace.workspace() != null) {
      outputs.add(build.workspace.workspace());
    }
    WatchSession watching;
    try {
      watching = WatchSession.open(source, file, outputs, out, err);
    } catch (IOException e) {
      err.println("pyrelease build: cannot watch " + source + " and " + file + ": " + e);
      return Exit.USAGE;
    }
    BuildWorkspace workspaces = build.openWorkspace();
    try {
      watching.run(
          new WatchSession.Build() {
            @Override
            public void run(BooleanSupplier superseded) {
              build.build(
                  workspaces,
                  source,
                  null,
                  new BuildCommand.Rebuild(session, manifests, superseded));
            }

            @Override
            public void internalError(RuntimeException e) {
              err.println("pyrelease build: internal error: " + e);
              if (build.output.json()) {
                Map<String, Object> error = Map.of("kind", "internal", "message", e.toString());
                out.println(BuildSupport.json(Map.of("error", error), true));
                out.flush();
              }
            }
          },
          workspaces::close,
          end -> {
            QuickExit.prepare();
            Runtime.getRuntime().halt(end == WatchSession.End.STOPPED ? Exit.OK : Exit.USAGE);
          });
      return Exit.OK;
    } catch (SourceWatcher.GoneException e) {
      err.println("pyrelease build: " + e.getMessage() + "; stopped watching");
      return Exit.USAGE;
    }
  }
}
