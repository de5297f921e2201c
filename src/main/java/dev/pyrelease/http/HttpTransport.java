package dev.pyrelease.http;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * The one HTTP client of pyrelease, under the package index and the registry client: a JDK {@link
 * HttpClient} per scheme (HTTP/1.1, keep-alive), redirects followed by hand, dropped connections
 * sent again.
 *
 * <p>Redirect rules: at most {@link TransportConfig#maxRedirects()}, never from https to anything
 * else, and the {@code Authorization} header is chosen afresh at every hop by the caller's {@link
 * Credentials}, so a secret only goes where its scope says (the JDK's own redirects would forward
 * it to another host, a storage backend for instance). A URL's own user info is sent as Basic to
 * that URL only. Messages of the exceptions thrown here name URLs masked.
 */
public final class HttpTransport implements AutoCloseable {
  private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS");

  private final TransportConfig config;
  private final Object lock = new Object();
  private final AtomicInteger retries = new AtomicInteger();

  /** Clients by kind: [0] plain http, [1] https. Guarded by lock. */
  @SuppressWarnings("unchecked")
  private final CompletableFuture<HttpClient>[] clients =
      (CompletableFuture<HttpClient>[]) new CompletableFuture<?>[2];

  private boolean closed; // guarded by lock

  public HttpTransport(TransportConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  public TransportConfig config() {
    return config;
  }

  /**
   * Starts building the client for {@code target}'s scheme in the background: that costs a few
   * hundred ms on a cold JVM, and can overlap with whatever the caller does before its first
   * request. Anything but http(s) is ignored.
   */
  public void prepare(URI target) {
    if (Urls.isHttp(target)) {
      clientFuture(isTls(target));
    }
  }

  /**
   * Sends {@code request}, following redirects. The request's own {@code Authorization} and {@code
   * User-Agent} headers are replaced: credentials come from {@code credentials} only.
   */
  public <T> HttpResponse<T> send(
      HttpRequest request, Credentials credentials, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    // a redirect's body is not what the caller asked for: read it away, whatever the handler
    HttpResponse.BodyHandler<T> skippingRedirects =
        info ->
            isRedirect(info.statusCode()) && info.headers().firstValue("Location").isPresent()
                ? HttpResponse.BodySubscribers.replacing(null)
                : handler.apply(info);
    URI current = request.uri();
    String method = request.method();
    for (int hop = 0; ; hop++) {
      URI clean = Urls.clean(current);
      String auth = userInfoBasic(current);
      if (auth == null) {
        auth = credentials.authorizationFor(clean);
      }
      HttpRequest.Builder b =
          HttpRequest.newBuilder(
                  request,
                  (name, value) ->
                      !name.equalsIgnoreCase("Authorization")
                          && !name.equalsIgnoreCase("User-Agent"))
              .uri(clean)
              .timeout(request.timeout().orElse(config.requestTimeout()))
              .header("User-Agent", config.userAgent());
      if (!method.equals(request.method())) {
        b.method(method, HttpRequest.BodyPublishers.noBody());
      }
      if (auth != null) {
        b.header("Authorization", auth);
      }
      HttpResponse<T> r = sendWithRetries(b.build(), skippingRedirects);
      Optional<String> where = r.headers().firstValue("Location");
      if (!isRedirect(r.statusCode()) || where.isEmpty()) {
        return r;
      }
      if (hop >= config.maxRedirects()) {
        throw new IOException("too many redirects");
      }
      URI next = clean.resolve(Urls.parseLenient(where.get()));
      if (isTls(clean) && !isTls(next)) {
        throw new IOException("refusing redirect from https to " + Urls.mask(next));
      }
      if (!Urls.isHttp(next)) {
        throw new IOException("refusing redirect to " + Urls.mask(next));
      }
      method = methodAfter(r.statusCode(), method);
      current = next;
    }
  }

  /** How many requests were sent again after a dropped connection. */
  public int retries() {
    return retries.get();
  }

  /** One-line cause of a failure of {@link #send}: "connection refused", "unknown host x", ... */
  public String describe(Throwable e, URI target) {
    return Causes.describe(e, target, config);
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      // JDK 17's HttpClient has no close(); its threads are daemons and its idle connections
      // are closed when it is garbage collected
      clients[0] = null;
      clients[1] = null;
    }
  }

  /**
   * Sends, again up to {@code attempts - 1} times when the server dropped the connection without an
   * answer (busy servers do: python's http.server closes what its accept backlog cannot hold), and
   * only idempotent methods. A refused connection, a timeout or a TLS refusal is not sent again:
   * the server is down, too slow or speaks something else, and saying so at once is more useful
   * than waiting three times as long.
   */
  private <T> HttpResponse<T> sendWithRetries(
      HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    HttpClient client = client(request.uri());
    int attempts = IDEMPOTENT.contains(request.method()) ? config.attempts() : 1;
    for (int attempt = 1; ; attempt++) {
      try {
        return client.send(request, handler);
      } catch (IOException e) {
        if (attempt >= attempts || !dropped(e)) {
          throw e;
        }
        retries.incrementAndGet();
        Thread.sleep(50L * attempt * attempt);
      }
    }
  }

  /** Whether the server closed the connection unanswered (as opposed to refused, slow, not TLS). */
  static boolean dropped(IOException e) {
    boolean closedEarly = false;
    boolean tls = false;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof HttpTimeoutException) {
        return false;
      }
      closedEarly |= t instanceof EOFException || t instanceof ClosedChannelException;
      tls |= t instanceof SSLException;
    }
    // a TLS failure is only a drop when the peer hung up mid-handshake
    return !tls || closedEarly;
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  /** 303, and 301/302 after a POST, continue as GET (as browsers and the JDK do); HEAD stays. */
  private static String methodAfter(int status, String method) {
    if (method.equals("HEAD") || method.equals("GET")) {
      return method;
    }
    if (status == 303 || ((status == 301 || status == 302) && method.equals("POST"))) {
      return "GET";
    }
    return method;
  }

  private static boolean isTls(URI u) {
    return "https".equalsIgnoreCase(u.getScheme());
  }

  private static String userInfoBasic(URI u) {
    String info = u.getUserInfo();
    if (info == null || info.isEmpty()) {
      return null;
    }
    int colon = info.indexOf(':');
    return colon < 0
        ? Credentials.basic(info, "")
        : Credentials.basic(info.substring(0, colon), info.substring(colon + 1));
  }

  private HttpClient client(URI target) throws IOException, InterruptedException {
    try {
      return clientFuture(isTls(target)).get();
    } catch (ExecutionException e) {
      throw new IOException("cannot create the HTTP client: " + e.getCause(), e.getCause());
    }
  }

  private CompletableFuture<HttpClient> clientFuture(boolean tls) {
    int slot = tls ? 1 : 0;
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("the HTTP client is closed");
      }
      if (clients[slot] == null) {
        CompletableFuture<HttpClient> f = new CompletableFuture<>();
        clients[slot] = f;
        Thread t =
            new Thread(
                () -> {
                  try {
                    f.complete(build(tls));
                  } catch (RuntimeException | Error e) {
                    f.completeExceptionally(e);
                  }
                },
                "pyrelease-http-init");
        t.setDaemon(true);
        t.start();
      }
      return clients[slot];
    }
  }

  private HttpClient build(boolean tls) {
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(config.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER);
    // the plain-http client never does TLS: a context without trust material spares loading the
    // JDK trust store
    SSLContext context =
        !tls ? InsecureTls.none() : config.insecureTls() ? InsecureTls.trustingEveryone() : null;
    if (context != null) {
      b.sslContext(context);
    }
    return b.build();
  }
}
