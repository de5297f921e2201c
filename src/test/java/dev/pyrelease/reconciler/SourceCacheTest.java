package dev.pyrelease.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.source.GitCredentials;
import dev.pyrelease.source.SourceException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SourceCacheTest {
  static final GitCredentials NONE = GitCredentials.none();
  final FakeGit fake =
      new FakeGit()
          .ref("main", "a".repeat(40))
          .ref("v1", "1".repeat(40))
          .file("a".repeat(40), "requirements.txt", "django==5.2.1\n")
          .file("1".repeat(40), "requirements.txt", "django==5.2.1\n");
  final SlowGit git = new SlowGit(fake, 0);
  Instant now = Instant.parse("2026-12-08T00:00:00Z");
  final Clock clock =
      new Clock() {
        @Override
        public Instant instant() {
          return now;
        }

        @Override
        public java.time.ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }
      };
  final SourceCache cache = new SourceCache(git, clock, Duration.ofMinutes(5));

  static PythonRelease release(String name, String ref, long generation) {
    PythonRelease r = FleetHarness.release("ns", name, ref);
    r.getSpec().getSource().getGit().setUrl("https://git.test/shop.git");
    r.getMetadata().setGeneration(generation);
    return r;
  }

  @Test
  void anUnchangedSpecAsksGitOnceAndAChangedOneAgain() {
    assertThat(cache.resolve(release("shop", "main", 1), NONE).commit()).isEqualTo("a".repeat(40));
    now = now.plusSeconds(60);
    cache.resolve(release("shop", "main", 1), NONE);
    assertThat(git.resolves).hasValue(1);
    cache.resolve(release("shop", "v1", 2), NONE);
    assertThat(git.resolves).hasValue(2);
  }

  @Test
  void aFullShaIsNeverAskedAbout() {
    String sha = "B".repeat(40);
    assertThat(cache.resolve(release("shop", sha, 1), NONE).commit()).isEqualTo("b".repeat(40));
    assertThat(git.requests()).isZero();
  }

  @Test
  void aBranchIsPolledOnTheIntervalATagIsNot() {
    SourceCache tags =
        new SourceCache(
            new SlowGit(fake, 0) {
              @Override
              public ResolvedRef resolve(String url, String ref, GitCredentials c) {
                SourceCacheTest.this.git.resolves.incrementAndGet();
                return new ResolvedRef(fake.refs.get(ref), "refs/tags/" + ref, java.util.List.of());
              }
            },
            clock,
            Duration.ofMinutes(5));
    cache.resolve(release("shop", "main", 1), NONE);
    tags.resolve(release("tagged", "v1", 1), NONE);
    assertThat(cache.nextPoll(release("shop", "main", 1))).isEqualTo(Duration.ofMinutes(5));
    assertThat(tags.nextPoll(release("tagged", "v1", 1))).isNull();
    fake.ref("main", "c".repeat(40));
    now = now.plus(Duration.ofMinutes(5));
    assertThat(cache.resolve(release("shop", "main", 1), NONE).commit()).isEqualTo("c".repeat(40));
    tags.resolve(release("tagged", "v1", 1), NONE);
    assertThat(git.resolves).hasValue(3); // main twice, the tag once
  }

  @Test
  void aNewRefreshAnnotationAsksGitNow() {
    cache.resolve(release("shop", "main", 1), NONE);
    fake.ref("main", "c".repeat(40));
    PythonRelease asked = release("shop", "main", 1);
    asked.getMetadata().setAnnotations(Map.of(SourceCache.REFRESH, "1"));
    assertThat(cache.resolve(asked, NONE).commit()).isEqualTo("c".repeat(40));
    assertThat(git.resolves).hasValue(2);
  }

  @Test
  void releasesAskingTogetherShareOneLsRemoteButNotAcrossCredentials() {
    for (int i = 0; i < 50; i++) {
      cache.resolve(release("app" + i, "main", 1), NONE);
    }
    assertThat(git.resolves).hasValue(1);
    cache.resolve(release("private", "main", 1), GitCredentials.basic("u", "p"));
    assertThat(git.resolves).hasValue(2);
    assertThat(cache.commitOf("https://git.test/shop.git", "main")).isEqualTo("a".repeat(40));
  }

  @Test
  void requirementsAreReadOncePerCommitAndFailuresAreNotKept() {
    String a = "a".repeat(40);
    for (int i = 0; i < 20; i++) {
      assertThat(cache.requirements(release("app" + i, "main", 1).getSpec(), a, NONE)).isNotNull();
    }
    assertThat(git.trees).hasValue(1);
    fake.transientFailures.set(0);
    SourceCache failing =
        new SourceCache(
            new SlowGit(fake, 0) {
              int calls;

              @Override
              public dev.pyrelease.python.FileTree tree(String url, String c, GitCredentials cr) {
                if (calls++ == 0) {
                  throw new SourceException(SourceException.Kind.UNREACHABLE, "reset (fake)");
                }
                return fake.tree(url, c, cr);
              }
            },
            clock,
            Duration.ofMinutes(5));
    assertThatThrownBy(() -> failing.requirements(release("x", "main", 1).getSpec(), a, NONE))
        .isInstanceOf(SourceException.class);
    assertThat(failing.requirements(release("x", "main", 1).getSpec(), a, NONE)).isNotNull();
  }

  @Test
  void aSpecChangeOrANewRefreshStartsAReconcileAStatusWriteDoesNot() {
    PythonRelease before = release("shop", "main", 1);
    PythonRelease status = release("shop", "main", 1);
    status.setStatus(new dev.pyrelease.api.v1alpha1.PythonReleaseStatus());
    assertThat(SourceCache.worthReconciling(status, before)).isFalse();
    assertThat(SourceCache.worthReconciling(release("shop", "v1", 2), before)).isTrue();
    PythonRelease asked = release("shop", "main", 1);
    asked.getMetadata().setAnnotations(Map.of(SourceCache.REFRESH, "now"));
    assertThat(SourceCache.worthReconciling(asked, before)).isTrue();
    assertThat(SourceCache.worthReconciling(asked, asked)).isFalse();
  }
}
