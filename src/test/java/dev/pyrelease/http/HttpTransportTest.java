package dev.pyrelease.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.EOFException;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transport's redirect, credential, retry and TLS rules against small local servers. */
class HttpTransportTest {
  static final TransportConfig CONFIG =
      TransportConfig.of(Duration.ofSeconds(5), Duration.ofSeconds(10), "pyrelease-test");

  @TempDir Path tmp;

  final List<HttpServer> servers = new CopyOnWriteArrayList<>();

  /** Each request: "server METHOD path Authorization [body]". */
  final List<String> seen = new CopyOnWriteArrayList<>();

  /** Path to "status location" for the paths that redirect; any other path answers 200. */
  final Map<String, String> redirects = new ConcurrentHashMap<>();

  final HttpTransport transport = new HttpTransport(CONFIG);

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(0));
    transport.close();
  }

  /** A server that redirects as {@link #redirects} says and else answers its name and the UA. */
  HttpServer start(String name) throws IOException {
    return serve(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0), name);
  }

  HttpServer serve(HttpServer server, String name) {
    server.createContext(
        "/",
        ex -> {
          String path = ex.getRequestURI().getRawPath();
          String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          seen.add(
              name
                  + " "
                  + ex.getRequestMethod()
                  + " "
                  + path
                  + " "
                  + ex.getRequestHeaders().getFirst("Authorization")
                  + (body.isEmpty() ? "" : " " + body));
          String redirect = redirects.get(path);
          if (redirect != null) {
            String[] parts = redirect.split(" ", 2);
            ex.getResponseHeaders().add("Location", parts[1]);
            reply(ex, Integer.parseInt(parts[0]), "moved");
          } else {
            reply(ex, 200, name + " " + ex.getRequestHeaders().getFirst("User-Agent"));
          }
        });
    server.start();
    servers.add(server);
    return server;
  }

  static void reply(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(status, head ? -1 : b.length);
    if (!head) {
      ex.getResponseBody().write(b);
    }
    ex.close();
  }

  static String base(HttpServer s) {
    return (s instanceof HttpsServer ? "https" : "http")
        + "://127.0.0.1:"
        + s.getAddress().getPort();
  }

  HttpResponse<String> get(String url, Credentials credentials) throws Exception {
    return transport.send(
        HttpRequest.newBuilder(URI.create(url)).build(),
        credentials,
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void credentialsFollowARedirectOnlyOnTheirOrigin() throws Exception {
    HttpServer a = start("a");
    HttpServer b = start("b");
    redirects.put("/same", "302 /blob");
    redirects.put("/other", "307 " + base(b) + "/blob");
    Credentials bearer = Credentials.forOrigin(URI.create(base(a)), "Bearer t0k");

    assertThat(get(base(a) + "/same", bearer).body()).isEqualTo("a pyrelease-test");
    HttpResponse<String> other = get(base(a) + "/other", bearer);
    assertThat(other.body()).isEqualTo("b pyrelease-test");
    assertThat(other.uri()).isEqualTo(URI.create(base(b) + "/blob"));
    assertThat(seen)
        .containsExactly(
            "a GET /same Bearer t0k",
            "a GET /blob Bearer t0k",
            "a GET /other Bearer t0k",
            "b GET /blob null");
  }

  @Test
  void aRequestsOwnAuthorizationHeaderIsNeverSent() throws Exception {
    HttpServer a = start("a");
    transport.send(
        HttpRequest.newBuilder(URI.create(base(a) + "/x"))
            .header("Authorization", "Bearer leaked")
            .header("User-Agent", "other")
            .build(),
        Credentials.none(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(seen).containsExactly("a GET /x null");
  }

  @Test
  void userInfoInALocationIsBasicForThatUrlAlone() throws Exception {
    HttpServer a = start("a");
    redirects.put("/start", "302 " + base(a).replace("://", "://bob:hunter2@") + "/files/x.whl");
    redirects.put("/files/x.whl", "302 /files/y.whl");
    get(base(a) + "/start", Credentials.none());
    assertThat(seen)
        .containsExactly(
            "a GET /start null",
            "a GET /files/x.whl " + Credentials.basic("bob", "hunter2"),
            "a GET /files/y.whl null");
  }

  @Test
  void redirectsStopAtTheLimit() throws Exception {
    HttpServer a = start("a");
    redirects.put("/one", "301 /two");
    redirects.put("/two", "302 /three");
    HttpTransport once =
        new HttpTransport(
            new TransportConfig(
                CONFIG.connectTimeout(), CONFIG.requestTimeout(), "x", false, 1, 1));
    assertThat(get(base(a) + "/two", Credentials.none()).body()).isEqualTo("a pyrelease-test");
    assertThatThrownBy(
            () ->
                once.send(
                    HttpRequest.newBuilder(URI.create(base(a) + "/one")).build(),
                    Credentials.none(),
                    HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class)
        .hasMessage("too many redirects");
  }

  @Test
  void seeOtherContinuesAsGetAndTemporaryRedirectKeepsMethodAndBody() throws Exception {
    HttpServer a = start("a");
    redirects.put("/see-other", "303 /upload");
    redirects.put("/temporary", "307 /upload");
    for (String path : List.of("/see-other", "/temporary")) {
      transport.send(
          HttpRequest.newBuilder(URI.create(base(a) + path))
              .PUT(HttpRequest.BodyPublishers.ofString("layer"))
              .build(),
          Credentials.none(),
          HttpResponse.BodyHandlers.ofString());
    }
    assertThat(seen)
        .containsExactly(
            "a PUT /see-other null layer",
            "a GET /upload null",
            "a PUT /temporary null layer",
            "a PUT /upload null layer");
  }

  @Test
  void httpsNeverRedirectsToHttpAndInsecureTlsTakesASelfSignedCertificate() throws Exception {
    HttpServer plain = start("plain");
    HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    https.setHttpsConfigurator(new HttpsConfigurator(selfSigned()));
    serve(https, "tls");
    HttpTransport insecure = new HttpTransport(CONFIG.withInsecureTls(true));

    redirects.put("/moved", "302 /ok");
    String down = base(plain).replace("://", "://bob:hunter2@") + "/x";
    redirects.put("/down", "302 " + down);
    assertThat(
            insecure
                .send(
                    HttpRequest.newBuilder(URI.create(base(https) + "/moved")).build(),
                    Credentials.none(),
                    HttpResponse.BodyHandlers.ofString())
                .body())
        .isEqualTo("tls pyrelease-test");
    assertThatThrownBy(
            () ->
                insecure.send(
                    HttpRequest.newBuilder(URI.create(base(https) + "/down")).build(),
                    Credentials.forOrigin(URI.create(base(https)), "Bearer t0k"),
                    HttpResponse.BodyHandlers.discarding()))
        .isInstanceOf(IOException.class)
        .hasMessage(
            "refusing redirect from https to " + base(plain).replace("://", "://bob:***@") + "/x");
    assertThat(seen).noneMatch(s -> s.startsWith("plain"));

    // verified TLS refuses the certificate, and says so in one line without retrying
    assertThatThrownBy(() -> get(base(https) + "/ok", Credentials.none()))
        .isInstanceOf(SSLException.class)
        .satisfies(
            e ->
                assertThat(transport.describe(e, URI.create(base(https))))
                    .startsWith("TLS error: "));
    assertThat(transport.retries()).isZero();
    insecure.close();
  }

  @Test
  void droppedConnectionsAreSentAgainForIdempotentMethodsOnly() throws Exception {
    AtomicInteger connections = new AtomicInteger();
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread t =
          new Thread(
              () -> {
                while (!server.isClosed()) {
                  try (Socket s = server.accept()) {
                    if (connections.incrementAndGet() % 3 != 0) {
                      continue; // closed unanswered, twice in three
                    }
                    InputStream in = s.getInputStream();
                    in.read(new byte[8192]);
                    OutputStream out = s.getOutputStream();
                    out.write(
                        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                            .getBytes(StandardCharsets.US_ASCII));
                  } catch (IOException e) {
                    // closed by the test
                  }
                }
              });
      t.setDaemon(true);
      t.start();
      URI url = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/");
      HttpResponse<String> r =
          transport.send(
              HttpRequest.newBuilder(url).build(),
              Credentials.none(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.body()).isEqualTo("ok");
      assertThat(transport.retries()).isPositive();

      int before = transport.retries();
      connections.set(0);
      assertThatThrownBy(
              () ->
                  transport.send(
                      HttpRequest.newBuilder(url).POST(HttpRequest.BodyPublishers.noBody()).build(),
                      Credentials.none(),
                      HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(IOException.class);
      assertThat(transport.retries()).isEqualTo(before);
    }
  }

  @Test
  void whatCountsAsADroppedConnection() {
    assertThat(HttpTransport.dropped(new IOException("HTTP/1.1 header parser received no bytes")))
        .isTrue();
    assertThat(HttpTransport.dropped(new IOException("x", new EOFException()))).isTrue();
    SSLHandshakeException hungUp = new SSLHandshakeException("Remote host terminated");
    hungUp.initCause(new EOFException());
    assertThat(HttpTransport.dropped(hungUp)).isTrue();
    assertThat(HttpTransport.dropped(new SSLException("Unsupported or unrecognized SSL message")))
        .isFalse();
    assertThat(HttpTransport.dropped(new ConnectException())).isFalse();
    assertThat(HttpTransport.dropped(new HttpTimeoutException("request timed out"))).isFalse();
  }

  @Test
  void aRefusedConnectionIsDescribedInOneLine() {
    assertThatThrownBy(() -> get("http://127.0.0.1:1/", Credentials.none()))
        .isInstanceOf(ConnectException.class)
        .satisfies(
            e ->
                assertThat(transport.describe(e, URI.create("http://127.0.0.1:1/")))
                    .isEqualTo("connection refused"));
    assertThat(transport.retries()).isZero();
  }

  SSLContext selfSigned() throws Exception {
    Path ks = tmp.resolve("ks.p12");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-keystore",
                ks.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                "changeit",
                "-keypass",
                "changeit",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-dname",
                "CN=server.invalid",
                "-validity",
                "2")
            .redirectErrorStream(true)
            .start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor()).isZero();
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (FileInputStream in = new FileInputStream(ks.toFile())) {
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, "changeit".toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);
    return tls;
  }
}
