package dev.pyrelease.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pyrelease.source.SourceException;
import dev.pyrelease.status.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An unknown ref is the spec's problem (terminal); any other git failure is retried (thrown). */
class SourceStageTest {
  // no secretRef in these releases: the client is never asked
  private final Credentials noSecrets = new Credentials(null);

  static SourceCache cache(FakeGit git) {
    return new SourceCache(git, java.time.Clock.systemUTC(), java.time.Duration.ofMinutes(5));
  }

  @Test
  void anUnknownRefIsTerminal() {
    SourceStage.Result r =
        new SourceStage(cache(new FakeGit()), noSecrets)
            .run(Kube.release("ns", "shop", "v9"), new Outcome(List.of()));
    assertThat(r.commit()).isNull();
    assertThat(r.terminal().reason()).isEqualTo("UnknownRef");
    assertThat(r.terminal().message())
        .startsWith("spec.source.git.ref: 'v9' does not exist in https://git.test/shop.git");
  }

  @Test
  void anyOtherFailureIsThrownForARetry() {
    FakeGit git = new FakeGit().ref("v1", "c1");
    git.transientFailures.set(1);
    SourceStage stage = new SourceStage(cache(git), noSecrets);
    SourceException e =
        catchThrowableOfType(
            () -> stage.run(Kube.release("ns", "shop", "v1"), new Outcome(List.of())),
            SourceException.class);
    assertThat(e.kind()).isEqualTo(SourceException.Kind.UNREACHABLE);
    assertThat(stage.run(Kube.release("ns", "shop", "v1"), new Outcome(List.of())).commit())
        .isEqualTo("c1");
  }
}
