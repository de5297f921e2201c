package dev.pyrelease.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pyrelease.api.v1alpha1.GitSource;
import dev.pyrelease.python.FileTree;
import dev.pyrelease.python.ParsedRequirements;
import dev.pyrelease.python.RequirementsFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.StoredConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JGitResolverTest {
  @TempDir Path tmp;
  TestRepos repo;
  JGitResolver resolver;
  final GitCredentials none = GitCredentials.none();

  @BeforeEach
  void setUp() throws Exception {
    repo = TestRepos.create(tmp);
    resolver = new JGitResolver(tmp.resolve("cache"));
  }

  @AfterEach
  void tearDown() {
    resolver.close();
  }

  // ------------------------------------------------------------------ resolve

  @Test
  void resolvesBranchesTagsAndHead() {
    assertThat(resolver.resolve(repo.url, "main", none)).isEqualTo(repo.c3);
    assertThat(resolver.resolve(repo.url, "dev", none)).isEqualTo(repo.c2);
    assertThat(resolver.resolve(repo.url, "refs/heads/dev", none)).isEqualTo(repo.c2);
    assertThat(resolver.resolve(repo.url, "v1.0", none)).isEqualTo(repo.c1);
    assertThat(resolver.resolve(repo.url, "refs/tags/v1.0", none)).isEqualTo(repo.c1);
    assertThat(resolver.resolve(repo.url, "HEAD", none)).isEqualTo(repo.c3);
    assertThat(resolver.resolve(repo.url, " main ", none)).isEqualTo(repo.c3);
  }

  @Test
  void annotatedTagResolvesToThePeeledCommit() {
    JGitResolver.ResolvedRef r = resolver.resolveRef(repo.url, "v1.1", none);
    assertThat(r.commit()).isEqualTo(repo.c2);
    assertThat(r.refName()).isEqualTo("refs/tags/v1.1");
  }

  @Test
  void ambiguousNamePrefersTheTagAsGitDoes() {
    JGitResolver.ResolvedRef r = resolver.resolveRef(repo.url, "release", none);
    assertThat(r.commit()).isEqualTo(repo.c2); // tag release -> c2, branch release -> c1
    assertThat(r.refName()).isEqualTo("refs/tags/release");
    assertThat(r.ambiguousWith()).containsExactly("refs/heads/release");
    assertThat(resolver.resolve(repo.url, "refs/heads/release", none)).isEqualTo(repo.c1);
  }

  @Test
  void fullShaPassesThroughWithoutNetwork() {
    String upper = repo.c1.toUpperCase();
    assertThat(resolver.resolve("https://nowhere.invalid/x.git", upper, none)).isEqualTo(repo.c1);
  }

  @Test
  void abbreviatedShaOfATipAndOfAnOlderCommit() {
    assertThat(resolver.resolve(repo.url, repo.c3.substring(0, 10), none)).isEqualTo(repo.c3);
    assertThat(resolver.resolve(repo.url, repo.c1.substring(0, 8), none)).isEqualTo(repo.c1);
  }

  @Test
  void unknownRefNamesTheRefAndListsAvailableOnes() {
    SourceException e =
        catchThrowableOfType(() -> resolver.resolve(repo.url, "v9.9", none), SourceException.class);
    assertThat(e.kind()).isEqualTo(SourceException.Kind.NOT_FOUND);
    assertThat(e.getMessage())
        .contains("'v9.9' not found")
        .contains("main")
        .contains("dev")
        .contains("tag v1.1");
  }

  @Test
  void unreachableRepository() {
    String url = tmp.resolve("no-such-repo").toUri().toString();
    SourceException e =
        catchThrowableOfType(() -> resolver.resolve(url, "main", none), SourceException.class);
    assertThat(e.kind()).isEqualTo(SourceException.Kind.UNREACHABLE);
    assertThat(e.getMessage()).contains("no-such-repo");
    assertThat(e.transientFailure()).isTrue();
  }

  @Test
  void connectionRefusedIsUnreachable() throws Exception {
    int port;
    try (var s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String url = "http://user:s3cret-pw@127.0.0.1:" + port + "/repo.git";
    SourceException e =
        catchThrowableOfType(() -> resolver.resolve(url, "main", none), SourceException.class);
    assertThat(e.kind()).isEqualTo(SourceException.Kind.UNREACHABLE);
    assertThat(e.getMessage()).contains("http://***@127.0.0.1:" + port).doesNotContain("s3cret");
  }

  @Test
  void unknownHostIsUnreachableWithTheCauseAndNoSecret() {
    String url = "https://bot:hunter2-token@nonexistent.invalid/shop.git";
    for (Runnable call :
        new Runnable[] {
          () -> resolver.resolve(url, "main", none),
          () -> resolver.readFile(url, repo.c1, "requirements/prod.txt", none)
        }) {
      SourceException e = catchThrowableOfType(call::run, SourceException.class);
      assertThat(e.kind()).isEqualTo(SourceException.Kind.UNREACHABLE);
      assertThat(e.getMessage())
          .contains("https://***@nonexistent.invalid/shop.git")
          .contains("UnknownHostException")
          .doesNotContain("hunter2");
      assertThat(e.getCause()).isNull();
    }
  }

  @Test
  void sshUrlsAreReportedAsUnsupported() {
    for (String url : List.of("ssh://git@example.com/x.git", "git@example.com:org/x.git")) {
      SourceException e =
          catchThrowableOfType(() -> resolver.resolve(url, "main", none), SourceException.class);
      assertThat(e.kind()).isEqualTo(SourceException.Kind.UNSUPPORTED);
    }
  }

  @Test
  void localRepositoriesCanBeDisabled() {
    try (JGitResolver strict =
        new JGitResolver(tmp.resolve("c2"), JGitResolver.DEFAULT_TIMEOUT, false)) {
      assertThatThrownBy(() -> strict.resolve(repo.url, "main", none))
          .isInstanceOfSatisfying(
              SourceException.class,
              e -> assertThat(e.kind()).isEqualTo(SourceException.Kind.UNSUPPORTED));
    }
  }

  // ------------------------------------------------------------------ readFile

  @Test
  void readsAFileAtAnOlderCommitAfterMainMoved() {
    String c1 = resolver.resolve(repo.url, "v1.0", none);
    assertThat(resolver.readFile(repo.url, c1, "requirements/prod.txt", none))
        .isEqualTo("-r base.txt\ndjango==5.2.17\n");
    // JGit's file:// transport (protocol v2) serves any reachable commit by SHA
    assertThat(resolver.lastFetch).isEqualTo("sha");
    assertThat(resolver.readFile(repo.url, repo.c3, "requirements/prod.txt", none))
        .isEqualTo("-r base.txt\ndjango==5.2.18\n");
    // cached: the origin can go away
    assertThat(resolver.readFile(repo.url, c1, "requirements/base.txt", none))
        .isEqualTo("requests==2.32.3\n");
  }

  @Test
  void readsACommitThatIsNoRefTip() throws Exception {
    // c1 is the tip of v1.0 and release; make a commit reachable only through history
    String c1Parentless = repo.c1;
    try (Git git = Git.open(repo.dir.toFile())) {
      git.tagDelete().setTags("v1.0", "release").call();
      git.branchDelete().setBranchNames("release").setForce(true).call();
    }
    assertThat(resolver.readFile(repo.url, c1Parentless, "requirements/prod.txt", none))
        .contains("django==5.2.17");
    assertThat(resolver.lastFetch).isEqualTo("sha");
  }

  @Test
  void readsAnUnadvertisedCommitWhenTheServerAllowsIt() throws Exception {
    try (Git git = Git.open(repo.dir.toFile())) {
      StoredConfig config = git.getRepository().getConfig();
      config.setBoolean("uploadpack", null, "allowReachableSHA1InWant", true);
      config.save();
      git.tagDelete().setTags("v1.0", "release").call();
      git.branchDelete().setBranchNames("release").setForce(true).call();
    }
    assertThat(resolver.readFile(repo.url, repo.c1, "requirements/prod.txt", none))
        .contains("django==5.2.17");
    assertThat(resolver.lastFetch).isEqualTo("sha");
  }

  @Test
  void followsSymlinksInsideTheTree() {
    assertThat(resolver.readFile(repo.url, repo.c3, "requirements/current.txt", none))
        .contains("django==5.2.18");
    assertThat(resolver.readFile(repo.url, repo.c3, "reqs/current.txt", none))
        .contains("django==5.2.18");
  }

  @Test
  void missingFilesDirectoriesAndBadPaths() {
    SourceException missing =
        catchThrowableOfType(
            () -> resolver.readFile(repo.url, repo.c3, "requirements/nope.txt", none),
            SourceException.class);
    assertThat(missing.kind()).isEqualTo(SourceException.Kind.PATH_NOT_FOUND);
    assertThat(missing.getMessage())
        .contains("requirements/nope.txt")
        .contains(repo.c3.substring(0, 12));

    assertThat(
            catchThrowableOfType(
                    () -> resolver.readFile(repo.url, repo.c3, "requirements", none),
                    SourceException.class)
                .getMessage())
        .contains("is a directory");
    // dev.txt exists only on dev
    assertThat(
            catchThrowableOfType(
                    () -> resolver.readFile(repo.url, repo.c3, "dev.txt", none),
                    SourceException.class)
                .kind())
        .isEqualTo(SourceException.Kind.PATH_NOT_FOUND);
    for (String bad : List.of("../etc/passwd", "/etc/passwd", "requirements/../../x")) {
      assertThat(
              catchThrowableOfType(
                      () -> resolver.readFile(repo.url, repo.c3, bad, none), SourceException.class)
                  .kind())
          .isEqualTo(SourceException.Kind.INVALID);
    }
  }

  @Test
  void linksOutOfTheTreeAreRefused() throws Exception {
    String c = repo.commitLink("requirements/evil.txt", "../../../../etc/passwd");
    String abs = repo.commitLink("requirements/abs.txt", "/etc/passwd");
    for (String[] p :
        List.of(
            new String[] {c, "requirements/evil.txt"},
            new String[] {abs, "requirements/abs.txt"})) {
      SourceException e =
          catchThrowableOfType(
              () -> resolver.readFile(repo.url, p[0], p[1], none), SourceException.class);
      assertThat(e.kind()).isEqualTo(SourceException.Kind.INVALID);
      assertThat(e.getMessage()).contains("outside the repository");
    }
    SourceException e =
        catchThrowableOfType(
            () -> resolver.checkout(repo.url, abs, tmp.resolve("out"), none),
            SourceException.class);
    assertThat(e.kind()).isEqualTo(SourceException.Kind.INVALID);
  }

  @Test
  void physicalDotDotAfterALinkCannotClimbOut() throws Exception {
    // here -> .  (the root); here/../x lexically is x, physically the root's parent
    repo.commitLink("here", ".");
    String c = repo.commitLink("sneaky", "here/../origin/requirements/prod.txt");
    SourceException e =
        catchThrowableOfType(
            () -> resolver.readFile(repo.url, c, "sneaky", none), SourceException.class);
    assertThat(e.kind()).isEqualTo(SourceException.Kind.INVALID);
  }

  @Test
  void unknownCommit() {
    String sha = "0123456789abcdef0123456789abcdef01234567";
    SourceException e =
        catchThrowableOfType(
            () -> resolver.readFile(repo.url, sha, "x", none), SourceException.class);
    assertThat(e.kind()).isEqualTo(SourceException.Kind.NOT_FOUND);
    assertThat(e.getMessage()).contains(sha);
    assertThatThrownBy(() -> resolver.readFile(repo.url, "main", "x", none))
        .isInstanceOfSatisfying(
            SourceException.class,
            x -> assertThat(x.kind()).isEqualTo(SourceException.Kind.INVALID));
  }

  // ------------------------------------------------------------------ checkout / materialise

  @Test
  void checkoutWritesFilesModesAndLinks() throws Exception {
    Path out = tmp.resolve("src");
    Files.createDirectories(out.resolve("stale"));
    Files.writeString(out.resolve("stale/old.txt"), "old");
    JGitResolver.Checkout co = resolver.checkoutTree(repo.url, repo.c3, "", out, none);
    assertThat(co.root()).isEqualTo(out);
    assertThat(co.files()).isEqualTo(4);
    assertThat(co.links()).isEqualTo(2);
    assertThat(out.resolve("stale")).doesNotExist();
    assertThat(out.resolve(".git")).doesNotExist();
    assertThat(Files.readString(out.resolve("requirements/prod.txt"))).contains("5.2.18");
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("bin/run.sh"))))
        .isEqualTo("rwxr-xr-x");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(out.resolve("requirements/base.txt"))))
        .isEqualTo("rw-r--r--");
    assertThat(Files.isSymbolicLink(out.resolve("reqs"))).isTrue();
    assertThat(Files.readSymbolicLink(out.resolve("reqs"))).isEqualTo(Path.of("requirements"));
    assertThat(Files.readString(out.resolve("reqs/current.txt"))).contains("5.2.18");
    assertThat(out.resolve("app/__init__.py")).exists();
    assertThat(out.resolve("dev.txt")).doesNotExist();
  }

  @Test
  void checkoutThroughTheOperatorSignature() {
    Path out = resolver.checkout(repo.url, repo.c2, tmp.resolve("ws/src"), none);
    assertThat(out.resolve("dev.txt")).hasContent("dev");
  }

  @Test
  void materializeASubdirectory() throws Exception {
    Path out = resolver.materialize(repo.url, repo.c1, "requirements", tmp.resolve("m"), none);
    assertThat(out).isEqualTo(tmp.resolve("m/requirements"));
    assertThat(Files.readString(out.resolve("prod.txt"))).contains("5.2.17");
    assertThat(tmp.resolve("m/bin")).doesNotExist();
    // through a link to a directory
    Path viaLink = resolver.materialize(repo.url, repo.c1, "reqs", tmp.resolve("m2"), none);
    assertThat(viaLink.resolve("base.txt")).exists();
    assertThat(tmp.resolve("m2/reqs/base.txt")).exists();
  }

  @Test
  void requirementsWithIncludesReadableWithRequirementsFile() throws Exception {
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

  // ------------------------------------------------------------------ operator interface

  @Test
  void gitResolverInterface() throws Exception {
    GitResolver r = resolver;
    GitSource src = new GitSource();
    src.setUrl(repo.url);
    src.setRef("v1.1");
    String commit = r.resolve(src, GitResolver.Credentials.NONE);
    assertThat(commit).isEqualTo(repo.c2);
    FileTree tree = r.tree(repo.url, commit, GitResolver.Credentials.NONE);
    assertThat(new String(tree.read(tree.resolve("dev.txt")), StandardCharsets.UTF_8))
        .isEqualTo("dev\n");
    assertThat(tree.resolve("nope.txt")).isEqualTo(FileTree.Entry.MISSING);
    src.setRef("nope");
    assertThatThrownBy(() -> r.resolve(src, GitResolver.Credentials.NONE))
        .isInstanceOf(GitResolver.UnknownRefException.class)
        .hasMessageContaining("'nope' not found");
    src.setUrl(tmp.resolve("gone").toUri().toString());
    assertThatThrownBy(() -> r.resolve(src, GitResolver.Credentials.NONE))
        .isExactlyInstanceOf(GitResolver.GitException.class)
        .hasCauseInstanceOf(SourceException.class);
  }

  @Test
  void concurrentReadsOfOneRepository() throws Exception {
    var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<String>> fs = new java.util.ArrayList<>();
      for (int i = 0; i < 32; i++) {
        String c = i % 2 == 0 ? repo.c1 : repo.c3;
        fs.add(pool.submit(() -> resolver.readFile(repo.url, c, "requirements/prod.txt", none)));
      }
      for (int i = 0; i < fs.size(); i++) {
        assertThat(fs.get(i).get()).contains(i % 2 == 0 ? "5.2.17" : "5.2.18");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void timing() {
    long t0 = System.nanoTime();
    String c = resolver.resolve(repo.url, "main", none);
    long t1 = System.nanoTime();
    resolver.readFile(repo.url, c, "requirements/prod.txt", none);
    long t2 = System.nanoTime();
    resolver.readFile(repo.url, c, "requirements/base.txt", none);
    long t3 = System.nanoTime();
    System.out.printf(
        "[timing] file:// resolve %.1f ms, first readFile (fetch) %.1f ms, cached readFile %.1f ms%n",
        (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6);
  }
}
