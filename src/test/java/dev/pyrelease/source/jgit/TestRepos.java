package dev.pyrelease.source.jgit;

import dev.pyrelease.python.FileTree;
import dev.pyrelease.source.GitCredentials;
import dev.pyrelease.source.GitResolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * A real repository built with JGit:
 *
 * <pre>
 * c1 (main at first; tag v1.0 lightweight; branch release)
 *    requirements/prod.txt  "-r base.txt\ndjango==5.2.17\n"
 *    requirements/base.txt  "requests==2.32.3\n"
 *    requirements/current.txt -> prod.txt          (symlink)
 *    reqs -> requirements                           (symlink to a directory)
 *    bin/run.sh             executable
 *    app/__init__.py
 * c2 (branch dev; annotated tag v1.1; tag "release" — same name as the branch)
 *    + dev.txt
 * c3 (main)
 *    requirements/prod.txt  "-r base.txt\ndjango==5.2.18\n"
 * </pre>
 */
final class TestRepos {
  final Path dir;
  final String url;
  final String c1;
  final String c2;
  final String c3;

  private TestRepos(Path dir, String c1, String c2, String c3) {
    this.dir = dir;
    this.url = dir.toUri().toString();
    this.c1 = c1;
    this.c2 = c2;
    this.c3 = c3;
  }

  static TestRepos create(Path root) throws Exception {
    Path dir = root.resolve("origin");
    Files.createDirectories(dir);
    PersonIdent who = new PersonIdent("Test", "test@example.com");
    try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
      write(dir, "requirements/prod.txt", "-r base.txt\ndjango==5.2.17\n");
      write(dir, "requirements/base.txt", "requests==2.32.3\n");
      Files.createSymbolicLink(dir.resolve("requirements/current.txt"), Path.of("prod.txt"));
      Files.createSymbolicLink(dir.resolve("reqs"), Path.of("requirements"));
      write(dir, "bin/run.sh", "#!/bin/sh\necho run\n");
      Files.setPosixFilePermissions(
          dir.resolve("bin/run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
      write(dir, "app/__init__.py", "");
      git.add().addFilepattern(".").call();
      RevCommit c1 = git.commit().setMessage("c1").setAuthor(who).setCommitter(who).call();
      git.tag().setName("v1.0").setAnnotated(false).setObjectId(c1).call();
      git.branchCreate().setName("release").setStartPoint(c1).call();

      git.checkout().setCreateBranch(true).setName("dev").call();
      write(dir, "dev.txt", "dev\n");
      git.add().addFilepattern(".").call();
      RevCommit c2 = git.commit().setMessage("c2").setAuthor(who).setCommitter(who).call();
      git.tag().setName("v1.1").setAnnotated(true).setMessage("v1.1").setTagger(who).call();
      git.tag().setName("release").setAnnotated(false).setObjectId(c2).call();

      git.checkout().setName("main").call();
      write(dir, "requirements/prod.txt", "-r base.txt\ndjango==5.2.18\n");
      git.add().addFilepattern(".").call();
      RevCommit c3 = git.commit().setMessage("c3").setAuthor(who).setCommitter(who).call();
      return new TestRepos(dir, c1.name(), c2.name(), c3.name());
    }
  }

  /** A commit on main with {@code path} as a symlink to {@code target}; returns its SHA. */
  String commitLink(String path, String target) throws Exception {
    try (Git git = Git.open(dir.toFile())) {
      Path p = dir.resolve(path);
      Files.createDirectories(p.getParent());
      Files.createSymbolicLink(p, Path.of(target));
      git.add().addFilepattern(".").call();
      PersonIdent who = new PersonIdent("Test", "test@example.com");
      return git.commit().setMessage("link").setAuthor(who).setCommitter(who).call().name();
    }
  }

  /**
   * The text of the file at {@code path} of {@code commit}, read as the operator and {@code check}
   * read it: through the commit's tree.
   */
  static String read(
      GitResolver git, String url, String commit, String path, GitCredentials credentials) {
    FileTree tree = git.tree(url, commit, credentials);
    FileTree.Entry e = tree.resolve(path);
    if (e.kind() != FileTree.Kind.FILE) {
      throw new AssertionError(path + " at " + commit + " is " + e.kind());
    }
    try {
      return new String(tree.read(e), StandardCharsets.UTF_8);
    } catch (IOException x) {
      throw new UncheckedIOException(x);
    }
  }

  static void write(Path root, String rel, String text) throws IOException {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text, StandardCharsets.UTF_8);
  }
}
