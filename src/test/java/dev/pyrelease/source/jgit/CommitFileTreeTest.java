package dev.pyrelease.source.jgit;

import static dev.pyrelease.source.jgit.TestRepos.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pyrelease.python.FileTree;
import dev.pyrelease.python.ParsedRequirements;
import dev.pyrelease.python.RequirementsFile;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;

/** A commit's files read without a checkout: links followed inside the tree only. */
class CommitFileTreeTest extends ResolverFixture {
  private FileTree.Kind kind(String commit, String path) {
    return resolver.tree(repo.url, commit, none).resolve(path).kind();
  }

  @Test
  void followsSymlinksInsideTheTree() {
    assertThat(read(resolver, repo.url, repo.c3, "requirements/current.txt", none))
        .contains("django==5.2.18");
    assertThat(read(resolver, repo.url, repo.c3, "reqs/current.txt", none))
        .contains("django==5.2.18");
    FileTree tree = resolver.tree(repo.url, repo.c3, none);
    assertThat(tree.resolve("reqs/current.txt").realPath())
        .as("one file by two names is one file")
        .isEqualTo(tree.resolve("requirements/prod.txt").realPath());
  }

  @Test
  void missingFilesAndDirectories() {
    assertThat(kind(repo.c3, "requirements/nope.txt")).isEqualTo(FileTree.Kind.MISSING);
    assertThat(kind(repo.c3, "requirements")).isEqualTo(FileTree.Kind.DIRECTORY);
    assertThat(kind(repo.c3, "reqs")).isEqualTo(FileTree.Kind.DIRECTORY);
    // dev.txt exists only on dev
    assertThat(kind(repo.c3, "dev.txt")).isEqualTo(FileTree.Kind.MISSING);
    assertThat(kind(repo.c2, "dev.txt")).isEqualTo(FileTree.Kind.FILE);
    // a file used as a directory
    assertThat(kind(repo.c3, "requirements/prod.txt/x")).isEqualTo(FileTree.Kind.MISSING);
    assertThat(kind(repo.c3, "../etc/passwd")).isEqualTo(FileTree.Kind.OUTSIDE);
  }

  @Test
  void linksOutOfTheTreeLeadOutside() throws Exception {
    String c = repo.commitLink("requirements/evil.txt", "../../../../etc/passwd");
    String abs = repo.commitLink("requirements/abs.txt", "/etc/passwd");
    assertThat(kind(c, "requirements/evil.txt")).isEqualTo(FileTree.Kind.OUTSIDE);
    assertThat(kind(abs, "requirements/abs.txt")).isEqualTo(FileTree.Kind.OUTSIDE);
  }

  @Test
  void physicalDotDotAfterALinkCannotClimbOut() throws Exception {
    // here -> .  (the root); here/../x lexically is x, physically the root's parent
    repo.commitLink("here", ".");
    String c = repo.commitLink("sneaky", "here/../origin/requirements/prod.txt");
    assertThat(kind(c, "sneaky")).isEqualTo(FileTree.Kind.OUTSIDE);
  }

  @Test
  void aLinkLoopIsMissing() throws Exception {
    repo.commitLink("loop-a", "loop-b");
    String c = repo.commitLink("loop-b", "loop-a");
    assertThat(kind(c, "loop-a")).isEqualTo(FileTree.Kind.MISSING);
  }

  @Test
  void requirementsWithIncludesReadableWithRequirementsFile() {
    ParsedRequirements parsed =
        RequirementsFile.read(resolver.tree(repo.url, repo.c1, none), "requirements/prod.txt");
    assertThat(parsed.problems()).isEmpty();
    assertThat(parsed.requirements())
        .extracting(l -> l.requirementText())
        .containsExactly("requests==2.32.3", "django==5.2.17");
    assertThat(parsed.requirements().get(0).location()).isEqualTo("requirements/base.txt:1");

    // through links: reqs/current.txt -> requirements/prod.txt -> -r base.txt
    ParsedRequirements p2 =
        RequirementsFile.read(resolver.tree(repo.url, repo.c3, none), "reqs/current.txt");
    assertThat(p2.problems()).isEmpty();
    assertThat(p2.requirements())
        .extracting(l -> l.requirementText())
        .containsExactly("requests==2.32.3", "django==5.2.18");
  }

  @Test
  void requirementsInAnAppDirectoryAndAMissingInclude() throws Exception {
    try (Git git = Git.open(repo.dir.toFile())) {
      TestRepos.write(
          repo.dir, "svc/requirements.txt", "-r common/base.txt\n-c missing.txt\nflask==3.1.0\n");
      TestRepos.write(
          repo.dir,
          "svc/common/base.txt",
          "--requirement=../../requirements/base.txt\nitsdangerous==2.2.0\n");
      git.add().addFilepattern(".").call();
      PersonIdent who = new PersonIdent("Test", "test@example.com");
      String c = git.commit().setMessage("svc").setAuthor(who).setCommitter(who).call().name();
      ParsedRequirements p =
          RequirementsFile.read(resolver.tree(repo.url, c, none), "svc/requirements.txt");
      assertThat(p.problems())
          .extracting(x -> x.toString())
          .anyMatch(s -> s.contains("missing.txt"));
      // includes are confined to the repository (as check --source and the build read them), so a
      // service may share the root's requirements
      assertThat(p.problems()).hasSize(1);
      assertThat(p.requirements())
          .extracting(l -> l.requirementText())
          .contains("flask==3.1.0", "itsdangerous==2.2.0", "requests==2.32.3");
    }
  }

  @Test
  void aMissingRequirementsFileIsAProblem() {
    ParsedRequirements p =
        RequirementsFile.read(resolver.tree(repo.url, repo.c3, none), "app/requirements.txt");
    assertThat(p.problems())
        .singleElement()
        .satisfies(x -> assertThat(x.what()).isEqualTo("file not found"));
  }
}
