package dev.pyrelease.index;

import java.util.concurrent.atomic.AtomicInteger;

/** Per-client counters, for tests and diagnostics. */
final class IndexStats {
  final AtomicInteger pageRequests = new AtomicInteger();
  final AtomicInteger rangeRequests = new AtomicInteger();
  final AtomicInteger fullDownloads = new AtomicInteger();
  final AtomicInteger metadataFiles = new AtomicInteger();
}
