package dev.pyrelease.index;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLException;

/**
 * {@link PackageIndex} over {@code http(s)://} (one shared {@link HttpClient}, HTTP/1.1,
 * keep-alive) and {@code file://} (read in place).
 *
 * <p>Project pages are requested with {@code Accept: application/vnd.pypi.simple.v1+json,
 * application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.1}: a PEP 691 server answers JSON, any
 * other server (Artifactory, devpi, {@code python -m http.server}) HTML; the parser follows the
 * response's {@code Content-Type}. Redirects (up to 10) are followed by hand so that credentials
 * are only ever sent to the index's own origin, and never from https to http.
 */
public final class HttpPackageIndex implements PackageIndex {
  static final String ACCEPT =
      "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2,"
          + " text/html;q=0.1";

  /** First range read from a wheel's end: EOCD + central directory of most wheels. */
  static final int TAIL_BYTES = 64 * 1024;

  /** Whole downloads of zips up to this size are read in memory rather than via a temp file. */
  static final int IN_MEMORY_LIMIT = 32 << 20;

  private static final int MAX_REDIRECTS = 10;
  private static final int SEND_ATTEMPTS = 3;
  private static final Pattern VALID_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
  private static final Pattern CONTENT_RANGE =
      Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)", Pattern.CASE_INSENSITIVE);

  /** Per-instance counters, for tests and diagnostics. */
  static final class Stats {
    final AtomicInteger pageRequests = new AtomicInteger();
    final AtomicInteger rangeRequests = new AtomicInteger();
    final AtomicInteger fullDownloads = new AtomicInteger();
    final AtomicInteger metadataFiles = new AtomicInteger();
    final AtomicInteger retries = new AtomicInteger();
  }

  private record FindLinks(Map<String, List<IndexFile>> byProject, List<IndexFile> sdists) {}

  private final IndexLocation location;
  private final IndexConfig config;
  private final Object lock = new Object();

  /** Clients by kind: [0] plain http (no trust store loaded), [1] https. Guarded by lock. */
  private final CompletableFuture<HttpClient>[] clients = newClientSlots();

  private ExecutorService pool; // guarded by lock
  private boolean closed; // guarded by lock
  private final ConcurrentHashMap<String, CompletableFuture<List<IndexFile>>> pages =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, CompletableFuture<String>> metadata =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, CompletableFuture<FindLinks>> findLinks =
      new ConcurrentHashMap<>();
  final Stats stats = new Stats();

  public HttpPackageIndex(IndexLocation location, IndexConfig config) {
    this.location = java.util.Objects.requireNonNull(location, "location");
    this.config = java.util.Objects.requireNonNull(config, "config");
    // Building an HttpClient costs a few hundred ms on a cold JVM: start it now, in the
    // background, so it overlaps with whatever the caller does before its first request.
    for (URI u : location.urls()) {
      if (Urls.isHttp(u)) {
        clientFuture(u);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static CompletableFuture<HttpClient>[] newClientSlots() {
    return (CompletableFuture<HttpClient>[]) new CompletableFuture<?>[2];
  }

  public IndexLocation location() {
    return location;
  }

  public IndexConfig config() {
    return config;
  }

  // ---------------------------------------------------------------- files

  @Override
  public List<IndexFile> files(String normalizedProjectName) {
    String name = Names.normalize(normalizedProjectName);
    if (!VALID_NAME.matcher(name).matches()) {
      throw new IndexException(
          IndexException.Kind.NOT_FOUND,
          location.display(),
          "'" + normalizedProjectName + "' is not a valid project name");
    }
    return once(
        pages,
        name,
        () -> location.kind() == IndexLocation.Kind.SIMPLE ? simpleProject(name) : linked(name));
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
          first = unexpected(ex.getCause());
        }
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        futures.values().forEach(f -> f.cancel(true));
        throw interrupted(location.display());
      }
    }
    if (first != null) {
      throw first;
    }
    return out;
  }

  private List<IndexFile> simpleProject(String name) {
    URI base = location.urls().get(0);
    URI page = base.resolve(name + "/");
    if (Urls.isFile(base)) {
      return fileProject(base, page, name);
    }
    stats.pageRequests.incrementAndGet();
    HttpResponse<InputStream> r;
    try {
      r =
          send(
              page,
              Map.of("Accept", ACCEPT, "Accept-Encoding", "gzip", "Cache-Control", "max-age=0"),
              HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw pageUnreachable(page, describe(e, page), e);
    }
    int status = r.statusCode();
    if (status == 404 || status == 410) {
      drain(r.body());
      throw new IndexException(
          IndexException.Kind.NOT_FOUND,
          location.displayUrl(page),
          "project '"
              + name
              + "' is not on index "
              + location.display()
              + " (HTTP "
              + status
              + " for "
              + location.displayUrl(page)
              + ")");
    }
    if (status != 200) {
      drain(r.body());
      throw pageUnreachable(page, httpStatus(status), null);
    }
    String body;
    try (InputStream in = decoded(r)) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw pageUnreachable(page, describe(e, page), e);
    }
    String type = r.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
    try {
      return type.contains("json")
          ? SimplePages.parseJson(body, r.uri())
          : SimplePages.parseHtml(body, r.uri());
    } catch (IllegalArgumentException e) {
      throw new IndexException(
          IndexException.Kind.INVALID,
          location.displayUrl(page),
          "index "
              + location.display()
              + " returned an unreadable page for '"
              + name
              + "': "
              + e.getMessage(),
          e);
    }
  }

  private List<IndexFile> fileProject(URI base, URI page, String name) {
    Path baseDir = Path.of(base);
    if (!Files.isDirectory(baseDir)) {
      throw new IndexException(
          IndexException.Kind.UNREACHABLE,
          base.toString(),
          "index " + base + " is unreachable: directory " + baseDir + " does not exist");
    }
    Path dir = Path.of(page);
    if (!Files.isDirectory(dir)) {
      throw new IndexException(
          IndexException.Kind.NOT_FOUND,
          page.toString(),
          "project '" + name + "' is not on index " + base + " (no directory " + dir + ")");
    }
    Path html = dir.resolve("index.html");
    try {
      if (Files.isRegularFile(html)) {
        return SimplePages.parseHtml(Files.readString(html, StandardCharsets.UTF_8), page);
      }
      return listDirectory(dir);
    } catch (IOException e) {
      throw new IndexException(
          IndexException.Kind.UNREACHABLE,
          page.toString(),
          "index " + base + " is unreachable: cannot read " + dir + ": " + e.getMessage(),
          e);
    }
  }

  private static List<IndexFile> listDirectory(Path dir) throws IOException {
    List<IndexFile> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(Files::isRegularFile)
          .map(p -> p.getFileName().toString())
          .filter(Names::isDistribution)
          .sorted()
          .forEach(
              n ->
                  out.add(
                      new IndexFile(
                          n, dir.resolve(n).toUri().toString(), null, null, false, null, null)));
    }
    return out;
  }

  // ------------------------------------------------------------ find-links

  private List<IndexFile> linked(String name) {
    FindLinks fl = once(findLinks, "", this::loadFindLinks);
    List<IndexFile> out = new ArrayList<>(fl.byProject().getOrDefault(name, List.of()));
    for (IndexFile f : fl.sdists()) {
      if (!name.equals(Names.sdistProjectGuess(f.filename()))
          && Names.sdistBelongsTo(f.filename(), name)) {
        out.add(f);
      }
    }
    if (out.isEmpty()) {
      throw new IndexException(
          IndexException.Kind.NOT_FOUND,
          location.display(),
          "project '" + name + "' is not in find-links " + location.display());
    }
    return List.copyOf(out);
  }

  private FindLinks loadFindLinks() {
    // Sequentially, in the calling thread: this may run inside a batch task on the pool, and
    // waiting there for more pool tasks could deadlock a full pool. Find-links lists are short.
    List<List<IndexFile>> parts = new ArrayList<>();
    for (URI u : location.urls()) {
      parts.add(findLinksPage(u));
    }
    Map<String, List<IndexFile>> byProject = new LinkedHashMap<>();
    List<IndexFile> sdists = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (List<IndexFile> files : parts) {
      for (IndexFile f : files) {
        if (!seen.add(f.filename())) {
          continue; // first location wins, like pip's link order
        }
        String key =
            f.isWheel() ? Names.wheelProject(f.filename()) : Names.sdistProjectGuess(f.filename());
        if (key != null) {
          byProject.computeIfAbsent(key, k -> new ArrayList<>()).add(f);
        }
        if (!f.isWheel()) {
          sdists.add(f);
        }
      }
    }
    return new FindLinks(byProject, sdists);
  }

  private List<IndexFile> findLinksPage(URI u) {
    if (Urls.isFile(u)) {
      Path path = Path.of(u);
      try {
        if (Files.isDirectory(path)) {
          return listDirectory(path);
        }
        return SimplePages.parseHtml(Files.readString(path, StandardCharsets.UTF_8), u);
      } catch (IOException e) {
        throw new IndexException(
            IndexException.Kind.UNREACHABLE,
            u.toString(),
            "find-links "
                + u
                + " is unreachable: "
                + (e instanceof java.nio.file.NoSuchFileException
                    ? "no such file or directory"
                    : e.toString()),
            e);
      }
    }
    stats.pageRequests.incrementAndGet();
    try {
      HttpResponse<InputStream> r =
          send(
              u,
              Map.of(
                  "Accept", "text/html", "Accept-Encoding", "gzip", "Cache-Control", "max-age=0"),
              HttpResponse.BodyHandlers.ofInputStream());
      if (r.statusCode() != 200) {
        drain(r.body());
        throw new IndexException(
            IndexException.Kind.UNREACHABLE,
            location.displayUrl(u),
            "find-links "
                + location.displayUrl(u)
                + " is unreachable: "
                + httpStatus(r.statusCode()));
      }
      try (InputStream in = decoded(r)) {
        return SimplePages.parseHtml(
            new String(in.readAllBytes(), StandardCharsets.UTF_8), r.uri());
      }
    } catch (IOException e) {
      throw new IndexException(
          IndexException.Kind.UNREACHABLE,
          location.displayUrl(u),
          "find-links " + location.displayUrl(u) + " is unreachable: " + describe(e, u),
          e);
    }
  }

  // -------------------------------------------------------------- metadata

  @Override
  public String metadata(IndexFile file) {
    return once(metadata, file.url(), () -> loadMetadata(file));
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
      out.put(e.getKey(), join(e.getValue()));
    }
    return out;
  }

  private String loadMetadata(IndexFile f) {
    if (f.metadataUrl() != null) {
      String viaPep658 = pep658(f);
      if (viaPep658 != null) {
        return viaPep658;
      }
    }
    URI u = Urls.parseLenient(f.url());
    if (Urls.isFile(u)) {
      return Archives.readMetadata(Path.of(u), f.filename(), f.url());
    }
    String lower = f.filename().toLowerCase(Locale.ROOT);
    if (config.rangeRequests() && (lower.endsWith(".whl") || lower.endsWith(".zip"))) {
      return viaRange(f, u);
    }
    return viaDownload(f, u);
  }

  /** The PEP 658 metadata file, hash-checked; null when it turns out to be missing (404). */
  private String pep658(IndexFile f) {
    URI mu = Urls.parseLenient(f.metadataUrl());
    byte[] body;
    stats.metadataFiles.incrementAndGet();
    if (Urls.isFile(mu)) {
      try {
        body = Files.readAllBytes(Path.of(mu));
      } catch (java.nio.file.NoSuchFileException e) {
        return null;
      } catch (IOException e) {
        throw fileUnreachable(mu, e.toString(), e);
      }
    } else {
      try {
        HttpResponse<byte[]> r = send(mu, Map.of(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() == 404 || r.statusCode() == 410) {
          return null;
        }
        if (r.statusCode() != 200) {
          throw fileUnreachable(mu, httpStatus(r.statusCode()), null);
        }
        body = r.body();
      } catch (IOException e) {
        throw fileUnreachable(mu, describe(e, mu), e);
      }
    }
    if (f.metadataSha256() != null) {
      String got = sha256(body);
      if (!got.equalsIgnoreCase(f.metadataSha256())) {
        throw new IndexException(
            IndexException.Kind.HASH_MISMATCH,
            location.displayUrl(mu),
            "sha256 mismatch for the metadata of "
                + f.filename()
                + " ("
                + location.displayUrl(mu)
                + "): index says "
                + f.metadataSha256()
                + ", file has "
                + got);
      }
    }
    return new String(body, StandardCharsets.UTF_8);
  }

  private String viaRange(IndexFile f, URI u) {
    HttpResponse<InputStream> r;
    stats.rangeRequests.incrementAndGet();
    try {
      r =
          send(
              u,
              Map.of("Range", "bytes=-" + TAIL_BYTES),
              HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw fileUnreachable(u, describe(e, u), e);
    }
    int status = r.statusCode();
    if (status == 200) { // server ignores Range: this is the whole file already
      return fromFullBody(f, u, r);
    }
    if (status != 206) {
      drain(r.body());
      if (status == 416) {
        return viaDownload(f, u);
      }
      throw fileUnreachable(u, httpStatus(status), null);
    }
    Matcher cr = CONTENT_RANGE.matcher(r.headers().firstValue("Content-Range").orElse(""));
    byte[] tail;
    try (InputStream in = r.body()) {
      tail = in.readAllBytes();
    } catch (IOException e) {
      throw fileUnreachable(u, describe(e, u), e);
    }
    if (!cr.find() || cr.group(3).equals("*")) {
      return viaDownload(f, u);
    }
    long start = Long.parseLong(cr.group(1));
    long total = Long.parseLong(cr.group(3));
    boolean wheel = f.isWheel();
    byte[] entry;
    try {
      entry =
          RemoteZip.readEntry(
              tail,
              start,
              total,
              (s, e) -> rangeRead(u, s, e),
              names ->
                  wheel
                      ? Archives.pickWheelMetadata(names, f.filename())
                      : Archives.pickSdistPkgInfo(names),
              new int[1]);
    } catch (IOException e) {
      // odd zip layout or a server that stopped honouring Range: take the slow, sure way
      return viaDownload(f, u);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted(location.displayUrl(u));
    }
    if (entry == null) {
      throw Archives.missing(f.filename(), location.displayUrl(u), wheel);
    }
    return new String(entry, StandardCharsets.UTF_8);
  }

  private byte[] rangeRead(URI u, long start, long endExclusive) throws IOException {
    stats.rangeRequests.incrementAndGet();
    HttpResponse<byte[]> r;
    try {
      r =
          send(
              u,
              Map.of("Range", "bytes=" + start + "-" + (endExclusive - 1)),
              HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw fileUnreachable(u, describe(e, u), e);
    }
    if (r.statusCode() != 206) {
      throw new IOException("range request answered with HTTP " + r.statusCode());
    }
    Matcher cr = CONTENT_RANGE.matcher(r.headers().firstValue("Content-Range").orElse(""));
    if (!cr.find() || Long.parseLong(cr.group(1)) != start) {
      throw new IOException("unexpected Content-Range");
    }
    return r.body();
  }

  private String viaDownload(IndexFile f, URI u) {
    HttpResponse<InputStream> r;
    try {
      r = send(u, Map.of(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw fileUnreachable(u, describe(e, u), e);
    }
    if (r.statusCode() != 200) {
      drain(r.body());
      throw fileUnreachable(u, httpStatus(r.statusCode()), null);
    }
    return fromFullBody(f, u, r);
  }

  /**
   * Reads a whole file, checks its sha256 and reads the metadata out of it: zips up to {@link
   * #IN_MEMORY_LIMIT} in memory (no disk round trip), anything else via a temp file that is deleted
   * afterwards.
   */
  private String fromFullBody(IndexFile f, URI u, HttpResponse<InputStream> r) {
    stats.fullDownloads.incrementAndGet();
    long length = r.headers().firstValueAsLong("Content-Length").orElse(-1);
    String lower = f.filename().toLowerCase(Locale.ROOT);
    boolean zip = lower.endsWith(".whl") || lower.endsWith(".zip");
    MessageDigest md = sha256();
    Path tmp = null;
    try {
      if (zip && length >= 0 && length <= IN_MEMORY_LIMIT) {
        byte[] data;
        try (InputStream in = new DigestInputStream(r.body(), md)) {
          data = in.readNBytes(IN_MEMORY_LIMIT + 1);
          if (in.read() >= 0 || data.length > IN_MEMORY_LIMIT) {
            throw new IOException("body longer than its Content-Length");
          }
        }
        checkHash(f, u, md);
        boolean wheel = f.isWheel();
        byte[] entry;
        try {
          entry =
              RemoteZip.readEntry(
                  data,
                  0,
                  data.length,
                  (s, e) -> java.util.Arrays.copyOfRange(data, (int) s, (int) e),
                  names ->
                      wheel
                          ? Archives.pickWheelMetadata(names, f.filename())
                          : Archives.pickSdistPkgInfo(names),
                  new int[1]);
        } catch (IOException e) {
          throw new IndexException(
              IndexException.Kind.INVALID,
              location.displayUrl(u),
              "cannot read "
                  + f.filename()
                  + " from "
                  + location.displayUrl(u)
                  + ": "
                  + e.getMessage(),
              e);
        }
        if (entry == null) {
          throw Archives.missing(f.filename(), location.displayUrl(u), wheel);
        }
        return new String(entry, StandardCharsets.UTF_8);
      }
      tmp = Files.createTempFile("pyrelease-index-", ".part");
      try (InputStream in = new DigestInputStream(r.body(), md);
          OutputStream out = Files.newOutputStream(tmp)) {
        in.transferTo(out);
      }
      checkHash(f, u, md);
      return Archives.readMetadata(tmp, f.filename(), location.displayUrl(u));
    } catch (IOException e) {
      throw fileUnreachable(u, describe(e, u), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted(location.displayUrl(u));
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // a leftover temp file is harmless
        }
      }
    }
  }

  private void checkHash(IndexFile f, URI u, MessageDigest md) {
    String got = HexFormat.of().formatHex(md.digest());
    if (f.sha256() != null && !got.equalsIgnoreCase(f.sha256())) {
      throw new IndexException(
          IndexException.Kind.HASH_MISMATCH,
          location.displayUrl(u),
          "sha256 mismatch for "
              + f.filename()
              + " downloaded from "
              + location.displayUrl(u)
              + ": index says "
              + f.sha256()
              + ", file has "
              + got);
    }
  }

  // ------------------------------------------------------------------ HTTP

  private <T> HttpResponse<T> send(
      URI target, Map<String, String> headers, HttpResponse.BodyHandler<T> handler)
      throws IOException {
    URI current = target;
    for (int hop = 0; ; hop++) {
      String auth = authorizationFor(current);
      URI clean = Urls.clean(current);
      HttpRequest.Builder b =
          HttpRequest.newBuilder(clean)
              .GET()
              .timeout(config.requestTimeout())
              .header("User-Agent", config.userAgent());
      headers.forEach(b::header);
      if (auth != null) {
        b.header("Authorization", auth);
      }
      HttpResponse<T> r = sendWithRetries(clean, b.build(), handler);
      int s = r.statusCode();
      var where = r.headers().firstValue("Location");
      if ((s == 301 || s == 302 || s == 303 || s == 307 || s == 308) && where.isPresent()) {
        if (r.body() instanceof InputStream in) {
          drain(in);
        }
        if (hop >= MAX_REDIRECTS) {
          throw new IOException("too many redirects");
        }
        URI next = clean.resolve(Urls.parseLenient(where.get()));
        if ("https".equalsIgnoreCase(clean.getScheme())
            && !"https".equalsIgnoreCase(next.getScheme())) {
          throw new IOException("refusing redirect from https to " + Urls.mask(next));
        }
        current = next;
        continue;
      }
      return r;
    }
  }

  /**
   * Sends a GET, again up to twice when the server dropped the connection without an answer (busy
   * servers do: python's http.server closes what its accept backlog cannot hold). A refused
   * connection or a timeout is not retried: the index is down or too slow, and saying so at once is
   * more useful than waiting three times as long.
   */
  private <T> HttpResponse<T> sendWithRetries(
      URI clean, HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        return client(clean).send(request, handler);
      } catch (java.net.ConnectException | java.net.http.HttpTimeoutException e) {
        throw e;
      } catch (IOException e) {
        if (attempt >= SEND_ATTEMPTS) {
          throw e;
        }
        stats.retries.incrementAndGet();
        sleepBeforeRetry(clean, attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw interrupted(location.displayUrl(clean));
      }
    }
  }

  private void sleepBeforeRetry(URI clean, int attempt) {
    try {
      Thread.sleep(50L * attempt * attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted(location.displayUrl(clean));
    }
  }

  /** Basic auth for this URL: its own userinfo, else the location's credentials (same origin). */
  private String authorizationFor(URI u) {
    String info = u.getUserInfo();
    if (info != null && !info.isEmpty()) {
      return "Basic "
          + java.util.Base64.getEncoder()
              .encodeToString(
                  (info.contains(":") ? info : info + ":").getBytes(StandardCharsets.UTF_8));
    }
    return location.mayAuthenticate(u) ? location.authorizationHeader() : null;
  }

  private HttpClient client(URI target) throws IOException {
    try {
      return clientFuture(target).get();
    } catch (ExecutionException e) {
      throw new IOException("cannot create the HTTP client: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted(location.displayUrl(target));
    }
  }

  private CompletableFuture<HttpClient> clientFuture(URI target) {
    boolean tls = "https".equalsIgnoreCase(target.getScheme());
    int slot = tls ? 1 : 0;
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("package index client is closed");
      }
      if (clients[slot] == null) {
        CompletableFuture<HttpClient> f = new CompletableFuture<>();
        clients[slot] = f;
        Thread t =
            new Thread(
                () -> {
                  try {
                    f.complete(buildClient(tls));
                  } catch (RuntimeException | Error e) {
                    f.completeExceptionally(e);
                  }
                },
                "pyrelease-index-init");
        t.setDaemon(true);
        t.start();
      }
      return clients[slot];
    }
  }

  private HttpClient buildClient(boolean tls) {
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(config.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER);
    if (!tls) {
      // This client only ever speaks plain http (https targets use the other one): give it an
      // SSLContext without trust material so that building it does not load the JDK trust store.
      try {
        javax.net.ssl.SSLContext none = javax.net.ssl.SSLContext.getInstance("TLS");
        none.init(new javax.net.ssl.KeyManager[0], new javax.net.ssl.TrustManager[0], null);
        b.sslContext(none);
      } catch (java.security.GeneralSecurityException e) {
        // fall back to the default context
      }
    }
    return b.build();
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

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      if (pool != null) {
        pool.shutdownNow();
      }
      // JDK 17's HttpClient has no close(); its threads are daemons and its idle connections
      // are closed when it is garbage collected
      clients[0] = null;
      clients[1] = null;
    }
  }

  @Override
  public String toString() {
    return "HttpPackageIndex[" + location + "]";
  }

  // --------------------------------------------------------------- helpers

  /**
   * Runs {@code work} once per key; concurrent callers share it. Failures other than NOT_FOUND,
   * HASH_MISMATCH and INVALID are not cached, so a later call may retry.
   */
  private static <T> T once(
      ConcurrentHashMap<String, CompletableFuture<T>> cache, String key, Supplier<T> work) {
    CompletableFuture<T> mine = new CompletableFuture<>();
    CompletableFuture<T> existing = cache.putIfAbsent(key, mine);
    if (existing == null) {
      try {
        mine.complete(work.get());
      } catch (RuntimeException e) {
        mine.completeExceptionally(e);
        if (!(e instanceof IndexException ie) || ie.kind() == IndexException.Kind.UNREACHABLE) {
          cache.remove(key, mine);
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

  private <T> T join(Future<T> f) {
    try {
      return f.get();
    } catch (ExecutionException e) {
      throw rethrow(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted(location.display());
    }
  }

  private static RuntimeException rethrow(Throwable t) {
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

  private static IndexException unexpected(Throwable t) {
    return new IndexException(IndexException.Kind.UNREACHABLE, "", "unexpected failure: " + t, t);
  }

  private IndexException pageUnreachable(URI page, String cause, Throwable e) {
    return new IndexException(
        IndexException.Kind.UNREACHABLE,
        location.displayUrl(page),
        "index "
            + location.display()
            + " is unreachable: "
            + cause
            + " (GET "
            + location.displayUrl(page)
            + ")",
        e);
  }

  private IndexException fileUnreachable(URI u, String cause, Throwable e) {
    return new IndexException(
        IndexException.Kind.UNREACHABLE,
        location.displayUrl(u),
        "file " + location.displayUrl(u) + " is unreachable: " + cause,
        e);
  }

  private static IndexException interrupted(String url) {
    return new IndexException(IndexException.Kind.UNREACHABLE, url, url + ": interrupted");
  }

  private static String httpStatus(int status) {
    String text =
        switch (status) {
          case 401 -> " Unauthorized (check the index credentials)";
          case 403 -> " Forbidden (check the index credentials)";
          case 404 -> " Not Found";
          case 500 -> " Internal Server Error";
          case 502 -> " Bad Gateway";
          case 503 -> " Service Unavailable";
          case 504 -> " Gateway Timeout";
          default -> "";
        };
    return "HTTP " + status + text;
  }

  /** One-line cause: "connection refused", "unknown host x", "connect timed out after 5s", ... */
  String describe(Throwable e, URI target) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof HttpConnectTimeoutException) {
        return "connect timed out after " + seconds(config.connectTimeout());
      }
      if (t instanceof HttpTimeoutException) {
        return "no response within " + seconds(config.requestTimeout());
      }
      if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
        return "unknown host " + target.getHost();
      }
      if (t instanceof SSLException) {
        return "TLS error: " + t.getMessage();
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && m.toLowerCase(Locale.ROOT).contains("refused")) {
        return "connection refused";
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        // JDK 17's HttpClient reports a refused connection as ConnectException(null) caused by
        // ConnectException(null) caused by ClosedChannelException(null): no text at all
        String m = firstMessage(t);
        return m == null ? "connection refused" : "cannot connect: " + m;
      }
      if (t instanceof ClosedChannelException || t instanceof EOFException) {
        return "connection closed by the server";
      }
    }
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m;
  }

  private static String firstMessage(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getMessage();
      }
    }
    return null;
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  private static InputStream decoded(HttpResponse<InputStream> r) throws IOException {
    String enc = r.headers().firstValue("Content-Encoding").orElse("");
    return enc.equalsIgnoreCase("gzip") ? new GZIPInputStream(r.body()) : r.body();
  }

  private static void drain(InputStream in) {
    try (in) {
      in.skip(1 << 16);
    } catch (IOException ignored) {
      // closing is all that matters
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256(byte[] data) {
    return HexFormat.of().formatHex(sha256().digest(data));
  }
}
