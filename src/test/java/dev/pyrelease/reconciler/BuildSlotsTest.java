package dev.pyrelease.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The build limit, the order of who waits, and one build per key, without a server. */
class BuildSlotsTest {
  final List<ResourceID> woken = new ArrayList<>();
  final BuildSlots slots = new BuildSlots(2, Clock.systemUTC());

  {
    slots.wakeWith(woken::add);
  }

  static ResourceID id(String name) {
    return new ResourceID(name, "ns");
  }

  @Test
  void theLimitHoldsAndAFinishedBuildWakesABuildOfASpecChangeBeforeABaseRebuild() {
    assertThat(slots.tryStart(id("a"), false, "ns/a-build-r1", "ka", Set.of()).start()).isTrue();
    assertThat(slots.tryStart(id("b"), true, "ns/b-build-r1", "kb", Set.of()).start()).isTrue();
    // full: a base rebuild queued first, a user build after it
    assertThat(slots.tryStart(id("p"), true, "ns/p-build-r1", "kp", Set.of()))
        .isEqualTo(BuildSlots.Decision.QUEUED);
    assertThat(slots.tryStart(id("u"), false, "ns/u-build-r1", "ku", Set.of()))
        .isEqualTo(BuildSlots.Decision.QUEUED);
    assertThat(slots.waiting()).containsExactly(1, 1);

    slots.finished("ns/a-build-r1", "ka");
    assertThat(woken).as("the user's build goes first").containsExactly(id("u"));
    // while the woken user has not come back, a base rebuild does not take its slot
    assertThat(slots.tryStart(id("p"), true, "ns/p-build-r1", "kp", Set.of()).start()).isFalse();
    assertThat(slots.tryStart(id("u"), false, "ns/u-build-r1", "ku", Set.of()).start()).isTrue();

    slots.finished("ns/b-build-r1", "kb");
    assertThat(woken).containsExactly(id("u"), id("p"));
    assertThat(slots.tryStart(id("p"), true, "ns/p-build-r1", "kp", Set.of()).start()).isTrue();
  }

  @Test
  void theInformersRunningJobsCountTooAndAJobItShowsIsNotCountedTwice() {
    assertThat(slots.tryStart(id("a"), false, "ns/a-build-r1", "ka", Set.of()).start()).isTrue();
    // the informer now shows a's Job and another operator-made Job from before a restart
    Set<String> running = Set.of("ns/a-build-r1", "other/x-build-r3");
    assertThat(slots.tryStart(id("b"), false, "ns/b-build-r1", "kb", running).start()).isFalse();
    assertThat(
            slots.tryStart(id("b"), false, "ns/b-build-r1", "kb", Set.of("ns/a-build-r1")).start())
        .isTrue();
  }

  @Test
  void aSecondReleaseOfAKeyJustStartedJoinsItsJobAndIsWokenWhenItEnds() {
    assertThat(slots.tryStart(id("a"), false, "ns/a-build-r1", "k", Set.of()).start()).isTrue();
    BuildSlots.Decision d = slots.tryStart(id("b"), false, "ns/b-build-r1", "k", Set.of());
    assertThat(d.start()).isFalse();
    assertThat(d.join()).isEqualTo("ns/a-build-r1");
    slots.finished("ns/a-build-r1", "k");
    assertThat(woken).containsExactly(id("b"));
  }

  @Test
  void withoutALimitEveryBuildStarts() {
    BuildSlots unlimited = new BuildSlots(0, Clock.systemUTC());
    for (int i = 0; i < 50; i++) {
      assertThat(
              unlimited
                  .tryStart(id("r" + i), true, "ns/r" + i + "-build-r1", "k" + i, Set.of())
                  .start())
          .isTrue();
    }
  }
}
