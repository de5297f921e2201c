package dev.pyrelease.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.FileInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RegistryHttp} against small local servers: bearer and basic challenges, tokens asked once
 * per repository and access and again after a 401, credentials kept off plain HTTP, and insecure
 * access to a registry with a self-signed certificate.
 */
class RegistryHttpTest {
  static final String DIGEST = "sha256:" + "a".repeat(64);

  @TempDir Path tmp;

  HttpServer server;

  /** Each request: "METHOD path?query Authorization". */
  final List<String> seen = new CopyOnWriteArrayList<>();

  /** The token the registry takes; the token endpoint hands out tokens named after a counter. */
  volatile String validToken = "t1";

  int tokensIssued;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  String registry() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  static RegistryCredentials creds(String registry, String user, String password)
      throws IOException {
    Path f = Files.createTempFile("docker-config", ".json");
    String auth =
        Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    Files.writeString(f, "{\"auths\":{\"" + registry + "\":{\"auth\":\"" + auth + "\"}}}");
    return RegistryCredentials.fromDockerConfig(f);
  }

  /** A registry asking for bearer tokens from its /token endpoint (user alice, password s3cret). */
  void startBearerRegistry() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/token",
        ex -> {
          record(ex);
          String basic =
              "Basic "
                  + Base64.getEncoder()
                      .encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8));
          if (!basic.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            reply(ex, 401, Map.of(), "{}");
            return;
          }
          tokensIssued++;
          validToken = "t" + tokensIssued;
          reply(ex, 200, Map.of(), "{\"token\":\"" + validToken + "\"}");
        });
    server.createContext(
        "/v2/",
        ex -> {
          record(ex);
          if (!("Bearer " + validToken).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            reply(
                ex,
                401,
                Map.of(
                    "WWW-Authenticate",
                    "Bearer realm=\"http://" + registry() + "/token\",service=\"test-registry\""),
                "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
            return;
          }
          reply(ex, 200, Map.of("Docker-Content-Digest", DIGEST), "");
        });
    server.start();
  }

  void record(HttpExchange ex) {
    seen.add(
        ex.getRequestMethod()
            + " "
            + ex.getRequestURI()
            + " "
            + ex.getRequestHeaders().getFirst("Authorization"));
  }

  static void reply(HttpExchange ex, int status, Map<String, String> headers, String body)
      throws IOException {
    headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(status, head || b.length == 0 ? -1 : b.length);
    if (!head && b.length > 0) {
      ex.getResponseBody().write(b);
    }
    ex.close();
  }

  @Test
  void aBearerTokenIsAskedOncePerRepositoryAndAccessAndAgainAfterA401() throws Exception {
    startBearerRegistry();
    RegistryHttp http = new RegistryHttp(creds(registry(), "alice", "s3cret"), true, true);
    ImageRef app = ImageRef.parse(registry() + "/team/app:v1");

    assertThat(http.manifestDigest(app)).contains(DIGEST);
    assertThat(http.manifestDigest(app)).contains(DIGEST);
    List<String> tokenCalls = seen.stream().filter(s -> s.startsWith("GET /token")).toList();
    assertThat(tokenCalls).hasSize(1);
    assertThat(tokenCalls.get(0))
        .contains("scope=repository%3Ateam%2Fapp%3Apull")
        .contains("service=test-registry");

    // push access is another token (pull,push scope)
    assertThat(http.hasBlob(app, DIGEST)).isTrue();
    assertThat(seen.stream().filter(s -> s.startsWith("GET /token")).toList())
        .hasSize(2)
        .last()
        .asString()
        .contains("scope=repository%3Ateam%2Fapp%3Apull%2Cpush");

    // the registry stops taking the token: a new one is asked for, and the call goes through
    validToken = "expired";
    seen.clear();
    assertThat(http.manifestDigest(app)).contains(DIGEST);
    assertThat(seen)
        .extracting(s -> s.split(" ")[0] + " " + s.split(" ")[1].replaceAll("\\?.*", ""))
        .containsExactly(
            "HEAD /v2/team/app/manifests/v1", "GET /token", "HEAD /v2/team/app/manifests/v1");
  }

  @Test
  void refusedCredentialsAreUnauthorizedAndNeverInTheMessage() throws Exception {
    startBearerRegistry();
    RegistryHttp http = new RegistryHttp(creds(registry(), "alice", "wrong-pw"), true, true);
    assertThatThrownBy(() -> http.manifestDigest(ImageRef.parse(registry() + "/team/app:v1")))
        .isInstanceOf(RegistryUnauthorizedException.class)
        .hasMessageContaining(registry())
        .hasMessageNotContaining("wrong-pw");
  }

  @Test
  void credentialsAreNotSentOverPlainHttpUnlessAllowed() throws Exception {
    startBearerRegistry();
    RegistryHttp http = new RegistryHttp(creds(registry(), "alice", "s3cret"), true, false);
    assertThatThrownBy(() -> http.manifestDigest(ImageRef.parse(registry() + "/team/app:v1")))
        .isInstanceOf(RegistryUnauthorizedException.class)
        .hasMessageContaining("not sent over plain HTTP");
    assertThat(seen).isNotEmpty().allMatch(s -> s.endsWith(" null"));
  }

  @Test
  void aPlainHttpRegistryWithoutInsecureAccessSaysWhatToAllow() throws Exception {
    // what Go's net/http (the registry's server) answers to a TLS hello
    try (java.net.ServerSocket plain = new java.net.ServerSocket(0)) {
      Thread t =
          new Thread(
              () -> {
                while (!plain.isClosed()) {
                  try (java.net.Socket c = plain.accept()) {
                    c.getInputStream().read(new byte[512]);
                    c.getOutputStream()
                        .write(
                            "HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n"
                                .getBytes(StandardCharsets.US_ASCII));
                  } catch (IOException e) {
                    // closed
                  }
                }
              });
      t.setDaemon(true);
      t.start();
      String registry = "127.0.0.1:" + plain.getLocalPort();
      assertThatThrownBy(
              () ->
                  new RegistryHttp(RegistryCredentials.none(), false, false)
                      .manifestDigest(ImageRef.parse(registry + "/team/app:v1")))
          .isInstanceOf(RegistryUnreachableException.class)
          .hasMessageStartingWith("registry " + registry + " unreachable: TLS handshake failed")
          .hasMessageEndingWith("(if it is plain HTTP, allow it with --insecure-registry)");
    }
  }

  @Test
  void aMissingManifestIsEmptyAndAServerErrorSaysWhat() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/v2/",
        ex -> {
          if (ex.getRequestURI().getPath().endsWith("/missing")) {
            reply(ex, 404, Map.of(), "");
          } else {
            reply(
                ex,
                500,
                Map.of(),
                "{\"errors\":[{\"code\":\"UNKNOWN\",\"message\":\"disk full\"}]}");
          }
        });
    server.start();
    RegistryHttp http = new RegistryHttp(RegistryCredentials.none(), true, false);
    assertThat(http.manifestDigest(ImageRef.parse(registry() + "/team/app:missing"))).isEmpty();
    assertThatThrownBy(() -> http.manifest(ImageRef.parse(registry() + "/team/app:missing")))
        .isInstanceOf(BaseImageNotFoundException.class);
    assertThatThrownBy(() -> http.blob(ImageRef.parse(registry() + "/team/app"), DIGEST))
        .isInstanceOf(ImageException.class)
        .hasMessage(
            "registry "
                + registry()
                + " answered HTTP 500 to blob "
                + DIGEST
                + ": UNKNOWN disk full");
  }

  @Test
  void insecureAccessTakesASelfSignedCertificateAndSecureAccessRefusesIt() throws Exception {
    Path ks = tmp.resolve("ks.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p =
        new ProcessBuilder(
                keytool.toString(),
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
                "registry",
                "-keyalg",
                "EC",
                "-dname",
                "CN=registry.invalid",
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
    HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    https.setHttpsConfigurator(new HttpsConfigurator(tls));
    List<String> schemes = new ArrayList<>();
    https.createContext(
        "/v2/",
        ex -> {
          schemes.add("https");
          reply(ex, 200, Map.of("Docker-Content-Digest", DIGEST), "");
        });
    https.start();
    server = https;
    ImageRef ref = ImageRef.parse(registry() + "/team/app:v1");

    // the certificate names another host and no CA signed it: insecure access takes it anyway
    assertThat(new RegistryHttp(RegistryCredentials.none(), true, false).manifestDigest(ref))
        .contains(DIGEST);
    assertThat(schemes).containsExactly("https");
    assertThatThrownBy(
            () -> new RegistryHttp(RegistryCredentials.none(), false, false).manifestDigest(ref))
        .isInstanceOf(RegistryUnreachableException.class)
        .hasMessageContaining("TLS handshake failed");
  }
}
