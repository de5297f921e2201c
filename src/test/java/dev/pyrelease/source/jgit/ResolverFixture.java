package dev.pyrelease.source.jgit;

import dev.pyrelease.source.GitCredentials;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh test repository and a resolver with its own cache, for each test of source.jgit. */
abstract class ResolverFixture {
  @TempDir Path tmp;
  TestRepos repo;
  JGitResolver resolver;
  final GitCredentials none = GitCredentials.none();

  @BeforeEach
  void setUpRepository() throws Exception {
    repo = TestRepos.create(tmp);
    resolver = new JGitResolver(tmp.resolve("cache"));
  }

  @AfterEach
  void closeResolver() {
    resolver.close();
  }
}
