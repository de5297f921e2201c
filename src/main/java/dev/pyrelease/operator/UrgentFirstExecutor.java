package dev.pyrelease.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * JOSDK's reconcile executor with one change: reconciles of urgent resources (a rollback, see
 * {@code reconciler.Urgency}) are taken from the queue before the others; among equals, first in
 * first out. JOSDK queues one task per resource with an event (never two for one resource), so a
 * rollback waits for the next free thread, not behind every release of a fleet-wide change.
 *
 * <p>JOSDK has no priority of its own; its task ({@code EventProcessor.ReconcilerExecutor}) holds
 * the resource as the informer had it when the task was queued, read here by reflection. Should a
 * JOSDK upgrade rename it, every task is treated as not urgent (plain FIFO, JOSDK's own order) —
 * {@code UrgentFirstExecutorTest} fails then, rather than the operator.
 */
final class UrgentFirstExecutor extends ThreadPoolExecutor {
  private final Predicate<HasMetadata> urgent;
  private final AtomicLong sequence = new AtomicLong();

  UrgentFirstExecutor(int threads, Predicate<HasMetadata> urgent) {
    super(
        threads,
        threads,
        0,
        TimeUnit.MILLISECONDS,
        new PriorityBlockingQueue<>(),
        named("ReconcilerExecutor-pythonrelease-"));
    this.urgent = urgent;
  }

  @Override
  public void execute(Runnable task) {
    super.execute(
        task instanceof Ranked
            ? task
            : new Ranked(task, isUrgent(task), sequence.getAndIncrement()));
  }

  private boolean isUrgent(Runnable task) {
    HasMetadata resource = resourceOf(task);
    try {
      return resource != null && urgent.test(resource);
    } catch (RuntimeException e) {
      return false; // a half-filled resource: it takes its turn
    }
  }

  /** The resource a JOSDK reconcile task is for, or null for any other task. */
  static HasMetadata resourceOf(Runnable task) {
    try {
      Field f = task.getClass().getDeclaredField("executionScope");
      f.setAccessible(true);
      Object scope = f.get(task);
      Method get = scope.getClass().getDeclaredMethod("getResource");
      get.setAccessible(true);
      Object r = get.invoke(scope);
      return r instanceof HasMetadata h ? h : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** A task with its rank: urgent first, then by arrival. */
  record Ranked(Runnable task, boolean urgent, long sequence)
      implements Runnable, Comparable<Ranked> {
    @Override
    public void run() {
      task.run();
    }

    @Override
    public int compareTo(Ranked o) {
      if (urgent != o.urgent) {
        return urgent ? -1 : 1;
      }
      return Long.compare(sequence, o.sequence);
    }
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      return t;
    };
  }
}
