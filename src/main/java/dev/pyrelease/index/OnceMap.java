package dev.pyrelease.index;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * Runs work once per key; concurrent callers share it. Failures other than NOT_FOUND, HASH_MISMATCH
 * and INVALID are not kept, so a later call may try again.
 */
final class OnceMap<T> {
  private final ConcurrentHashMap<String, CompletableFuture<T>> results = new ConcurrentHashMap<>();

  T get(String key, Supplier<T> work) {
    CompletableFuture<T> mine = new CompletableFuture<>();
    CompletableFuture<T> existing = results.putIfAbsent(key, mine);
    if (existing == null) {
      try {
        mine.complete(work.get());
      } catch (RuntimeException e) {
        mine.completeExceptionally(e);
        if (!(e instanceof IndexException ie) || ie.kind() == IndexException.Kind.UNREACHABLE) {
          results.remove(key, mine);
        }
      }
      existing = mine;
    }
    try {
      return existing.get();
    } catch (ExecutionException e) {
      throw rethrow(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IndexException(IndexException.Kind.UNREACHABLE, "", "interrupted");
    }
  }

  /** What a task's failure is for the caller: the same IndexException with the caller's stack. */
  static RuntimeException rethrow(Throwable t) {
    if (t instanceof IndexException ie) {
      // a fresh instance so the caller's stack shows up, same kind and message
      return new IndexException(ie.kind(), ie.url(), ie.getMessage(), ie);
    }
    if (t instanceof RuntimeException re) {
      return re;
    }
    if (t instanceof Error err) {
      throw err;
    }
    return unexpected(t);
  }

  static IndexException unexpected(Throwable t) {
    return new IndexException(IndexException.Kind.UNREACHABLE, "", "unexpected failure: " + t, t);
  }
}
