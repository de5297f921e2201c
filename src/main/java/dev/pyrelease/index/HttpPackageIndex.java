package dev.pyrelease.index;

import dev.pyrelease.http.HttpTransport;
import dev.pyrelease.http.Urls;
import java.net.URI;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * {@link PackageIndex} over {@code http(s)://} (the shared {@link HttpTransport}: keep-alive,
 * redirects that keep credentials on the index's own origins and never go from https to http,
 * dropped connections retried) and {@code file://} (read in place). Project pages come from {@link
 * ProjectPages}, metadata from {@link WheelMetadata}; this class runs them once per name or file,
 * and many at once on a small pool.
 */
public final class HttpPackageIndex implements PackageIndex {
  private static final Pattern VALID_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");

  private final IndexLocation location;
  private final IndexConfig config;
  private final HttpTransport transport;
  private final ProjectPages pages;
  private final WheelMetadata wheels;
  private final OnceMap<List<IndexFile>> files = new OnceMap<>();
  private final OnceMap<String> metadata = new OnceMap<>();
  private final Object lock = new Object();
  private ExecutorService pool; // guarded by lock
  private boolean closed; // guarded by lock
  final IndexStats stats = new IndexStats();

  public HttpPackageIndex(IndexLocation location, IndexConfig config) {
    this.location = Objects.requireNonNull(location, "location");
    this.config = Objects.requireNonNull(config, "config");
    this.transport = new HttpTransport(config.transport());
    IndexHttp http = new IndexHttp(transport, location);
    this.pages = new ProjectPages(http, stats);
    this.wheels = new WheelMetadata(http, config.rangeRequests(), stats);
    // so that building the client overlaps with whatever the caller does before its first request
    for (URI u : location.urls()) {
      if (Urls.isHttp(u)) {
        transport.prepare(u);
      }
    }
  }

  public IndexLocation location() {
    return location;
  }

  public IndexConfig config() {
    return config;
  }

  /** How many requests were sent again after a dropped connection. */
  int retries() {
    return transport.retries();
  }

  @Override
  public List<IndexFile> files(String normalizedProjectName) {
    String name = Names.normalize(normalizedProjectName);
    if (!VALID_NAME.matcher(name).matches()) {
      throw new IndexException(
          IndexException.Kind.NOT_FOUND,
          location.display(),
          "'" + normalizedProjectName + "' is not a valid project name");
    }
    return files.get(name, () -> pages.files(name));
  }

  @Override
  public Map<String, List<IndexFile>> files(List<String> names) {
    Map<String, Future<List<IndexFile>>> futures = new LinkedHashMap<>();
    ExecutorService p = pool();
    for (String n : names) {
      futures.computeIfAbsent(n, k -> p.submit(() -> files(k)));
    }
    Map<String, List<IndexFile>> out = new LinkedHashMap<>();
    IndexException first = null;
    for (var e : futures.entrySet()) {
      try {
        out.put(e.getKey(), e.getValue().get());
      } catch (ExecutionException ex) {
        if (ex.getCause() instanceof IndexException ie) {
          if (ie.kind() != IndexException.Kind.NOT_FOUND && first == null) {
            first = ie;
          }
        } else if (first == null) {
          first = OnceMap.unexpected(ex.getCause());
        }
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        futures.values().forEach(f -> f.cancel(true));
        throw IndexHttp.interrupted(location.display());
      }
    }
    if (first != null) {
      throw first;
    }
    return out;
  }

  @Override
  public String metadata(IndexFile file) {
    return metadata.get(file.url(), () -> wheels.read(file));
  }

  @Override
  public Map<IndexFile, String> metadata(Collection<IndexFile> files) {
    Map<IndexFile, Future<String>> futures = new LinkedHashMap<>();
    ExecutorService p = pool();
    for (IndexFile f : files) {
      futures.computeIfAbsent(f, k -> p.submit(() -> metadata(k)));
    }
    Map<IndexFile, String> out = new LinkedHashMap<>();
    for (var e : futures.entrySet()) {
      try {
        out.put(e.getKey(), e.getValue().get());
      } catch (ExecutionException ex) {
        throw OnceMap.rethrow(ex.getCause());
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw IndexHttp.interrupted(location.display());
      }
    }
    return out;
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      if (pool != null) {
        pool.shutdownNow();
      }
    }
    transport.close();
  }

  @Override
  public String toString() {
    return "HttpPackageIndex[" + location + "]";
  }

  private ExecutorService pool() {
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("package index client is closed");
      }
      if (pool == null) {
        AtomicInteger n = new AtomicInteger();
        pool =
            Executors.newFixedThreadPool(
                config.concurrency(),
                r -> {
                  Thread t = new Thread(r, "pyrelease-index-" + n.incrementAndGet());
                  t.setDaemon(true);
                  return t;
                });
      }
      return pool;
    }
  }
}
