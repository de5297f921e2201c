package dev.pyrelease.source.jgit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyrelease.python.FileTree;
import dev.pyrelease.source.GitCredentials;
import dev.pyrelease.source.GitResolver;
import dev.pyrelease.source.SourceException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The port as the reconciler and the CLI use it: resolve, read at the commit, check out. */
class JGitResolverTest {
  @TempDir Path tmp;
  TestRepos repo;
  GitResolver git;
  final GitCredentials none = GitCredentials.none();

  @BeforeEach
  void setUp() throws Exception {
    repo = TestRepos.create(tmp);
    git = new JGitResolver(tmp.resolve("cache"));
  }

  @AfterEach
  void tearDown() {
    git.close();
  }

  @Test
  void resolveReadAndCheckOut() throws Exception {
    String commit = git.resolve(repo.url, "v1.1", none).commit();
    assertThat(commit).isEqualTo(repo.c2);
    FileTree tree = git.tree(repo.url, commit, none);
    assertThat(new String(tree.read(tree.resolve("dev.txt")), StandardCharsets.UTF_8))
        .isEqualTo("dev\n");
    assertThat(tree.resolve("nope.txt")).isEqualTo(FileTree.Entry.MISSING);
    Path out = git.checkout(repo.url, commit, tmp.resolve("ws/src"), none);
    assertThat(out).isEqualTo(tmp.resolve("ws/src"));
    assertThat(out.resolve("dev.txt")).hasContent("dev");
  }

  @Test
  void anUnknownRefIsNotFoundAndAnUnreachableRepositoryIsNot() {
    assertThatThrownBy(() -> git.resolve(repo.url, "nope", none))
        .isInstanceOfSatisfying(
            SourceException.class,
            e -> assertThat(e.kind()).isEqualTo(SourceException.Kind.NOT_FOUND))
        .hasMessageContaining("'nope' not found");
    String gone = tmp.resolve("gone").toUri().toString();
    assertThatThrownBy(() -> git.resolve(gone, "main", none))
        .isInstanceOfSatisfying(
            SourceException.class,
            e -> assertThat(e.kind()).isEqualTo(SourceException.Kind.UNREACHABLE));
  }
}
