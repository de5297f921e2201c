package dev.pyrelease.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyrelease.image.RegistryCredentials;
import dev.pyrelease.image.RegistryHttp;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link BaseImageDigest} against a plain-HTTP registry with insecure access: a TLS attempt only
 * until HTTP has answered once, and the tag still resolved on every call (it can move).
 */
class BaseImageDigestSchemeTest {
  static final String D1 = "sha256:" + "1".repeat(64);
  static final String D2 = "sha256:" + "2".repeat(64);

  ServerSocket server;
  Thread loop;
  final AtomicInteger tlsHellos = new AtomicInteger();
  final AtomicInteger heads = new AtomicInteger();

  /** The digest the tag points at; null: close plain-HTTP connections unanswered. */
  final AtomicReference<String> digest = new AtomicReference<>(D1);

  @BeforeEach
  void start() throws IOException {
    server = new ServerSocket(0);
    loop = new Thread(this::serve);
    loop.setDaemon(true);
    loop.start();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    loop.join(2000);
  }

  /** One request per connection: a TLS ClientHello is dropped; a HEAD gets the digest. */
  void serve() {
    while (!server.isClosed()) {
      try (Socket s = server.accept()) {
        PushbackInputStream in = new PushbackInputStream(s.getInputStream());
        int first = in.read();
        if (first == 0x16) { // TLS handshake record
          tlsHellos.incrementAndGet();
          continue;
        }
        in.unread(first);
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
        String line;
        while ((line = r.readLine()) != null && !line.isEmpty()) {
          // request line and headers
        }
        heads.incrementAndGet();
        String d = digest.get();
        if (d == null) {
          continue;
        }
        OutputStream out = s.getOutputStream();
        out.write(
            ("HTTP/1.1 200 OK\r\nDocker-Content-Digest: "
                    + d
                    + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
      } catch (IOException e) {
        // closed, or the client went away
      }
    }
  }

  String base() {
    return "127.0.0.1:" + server.getLocalPort() + "/python:3.11";
  }

  @Test
  void afterHttpAnsweredOnceNoMoreTlsAttemptsButEveryCallResolves() {
    BaseImageDigest digests =
        new BaseImageDigest(new RegistryHttp(RegistryCredentials.none(), true, false));
    assertThat(digests.resolve(base())).isEqualTo(D1);
    int tls = tlsHellos.get(); // the JDK's client may retry a handshake
    assertThat(tls).isPositive();

    digest.set(D2); // the tag moved
    assertThat(digests.resolve(base())).isEqualTo(D2);
    assertThat(digests.resolve(base())).isEqualTo(D2);
    assertThat(tlsHellos).as("no TLS attempt after HTTP answered").hasValue(tls);
    assertThat(heads).hasValue(3);
  }

  @Test
  void whenHttpStopsAnsweringItAsksAsTheFirstTimeAgain() {
    BaseImageDigest digests =
        new BaseImageDigest(new RegistryHttp(RegistryCredentials.none(), true, false));
    assertThat(digests.resolve(base())).isEqualTo(D1);
    int tls = tlsHellos.get();
    digest.set(null);
    assertThatThrownBy(() -> digests.resolve(base()))
        .isInstanceOf(BuildException.class)
        .hasMessageContaining("unreachable while resolving the base image");
    // the remembered HTTP, then HTTPS and HTTP again
    assertThat(tlsHellos.get()).isGreaterThan(tls);
    tls = tlsHellos.get();
    digest.set(D1);
    assertThat(digests.resolve(base())).isEqualTo(D1);
    assertThat(tlsHellos.get()).as("forgotten: HTTPS first again").isGreaterThan(tls);
  }

  @Test
  void withoutInsecureAccessOnlyHttpsIsTried() {
    BaseImageDigest digests =
        new BaseImageDigest(new RegistryHttp(RegistryCredentials.none(), false, false));
    assertThatThrownBy(() -> digests.resolve(base())).isInstanceOf(BuildException.class);
    assertThat(tlsHellos.get()).isPositive();
    assertThat(heads).hasValue(0);
  }
}
