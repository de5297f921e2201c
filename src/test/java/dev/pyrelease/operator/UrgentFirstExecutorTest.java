package dev.pyrelease.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyrelease.api.v1alpha1.PythonRelease;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class UrgentFirstExecutorTest {
  /** Stands in for JOSDK's task: the same field and getter names. */
  static final class Scope {
    private final HasMetadata resource;

    Scope(HasMetadata resource) {
      this.resource = resource;
    }

    HasMetadata getResource() {
      return resource;
    }
  }

  static final class Task implements Runnable {
    private final Scope executionScope;
    private final Runnable body;

    Task(String name, Runnable body) {
      PythonRelease r = new PythonRelease();
      r.getMetadata().setName(name);
      this.executionScope = new Scope(r);
      this.body = body;
    }

    @Override
    public void run() {
      body.run();
    }
  }

  @Test
  void urgentTasksLeaveTheQueueFirstAndOthersInOrder() throws Exception {
    UrgentFirstExecutor ex =
        new UrgentFirstExecutor(1, r -> r.getMetadata().getName().startsWith("rollback"));
    CountDownLatch busy = new CountDownLatch(1);
    List<String> ran = new CopyOnWriteArrayList<>();
    ex.execute(new Task("first", () -> await(busy)));
    for (String n : List.of("a", "b", "rollback-1", "c", "rollback-2")) {
      ex.execute(new Task(n, () -> ran.add(n)));
    }
    ex.execute(() -> ran.add("plain")); // not a reconcile: takes its turn
    busy.countDown();
    ex.shutdown();
    assertThat(ex.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    assertThat(ran).containsExactly("rollback-1", "rollback-2", "a", "b", "c", "plain");
  }

  @Test
  void readsTheResourceOfJosdksTask() {
    PythonRelease r = new PythonRelease();
    r.getMetadata().setName("shop");
    assertThat(UrgentFirstExecutor.resourceOf(new Task("shop", () -> {})))
        .extracting(h -> h.getMetadata().getName())
        .isEqualTo("shop");
    assertThat(UrgentFirstExecutor.resourceOf(() -> {})).isNull();
  }

  /** The names the executor reads in JOSDK's own task are still there (a JOSDK upgrade). */
  @Test
  void josdksTaskStillHoldsItsResourceWhereTheExecutorLooks() throws Exception {
    Class<?> task =
        Class.forName(
            "io.javaoperatorsdk.operator.processing.event.EventProcessor$ReconcilerExecutor");
    Class<?> scope = task.getDeclaredField("executionScope").getType();
    assertThat(scope.getDeclaredMethod("getResource").getReturnType())
        .isAssignableFrom(HasMetadata.class);
  }

  private static void await(CountDownLatch l) {
    try {
      l.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
