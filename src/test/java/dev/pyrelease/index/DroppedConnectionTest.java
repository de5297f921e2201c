package dev.pyrelease.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A busy index that drops connections unanswered, as python's http.server does under load. */
class DroppedConnectionTest {
  private static final String PAGE =
      "<html><body><a href=\"../../files/x-1.0-py3-none-any.whl#sha256="
          + "a".repeat(64)
          + "\">x-1.0-py3-none-any.whl</a></body></html>";

  private ServerSocket server;
  private final AtomicInteger connections = new AtomicInteger();

  /** Drops the first {@code drops} connections without a byte, then answers every request. */
  private String start(int drops) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                  if (connections.incrementAndGet() <= drops) {
                    continue; // closed unanswered
                  }
                  InputStream in = s.getInputStream();
                  byte[] buf = new byte[8192];
                  int n = in.read(buf); // one small GET
                  if (n <= 0) {
                    continue;
                  }
                  byte[] body = PAGE.getBytes(StandardCharsets.UTF_8);
                  OutputStream out = s.getOutputStream();
                  out.write(
                      ("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: "
                              + body.length
                              + "\r\nConnection: close\r\n\r\n")
                          .getBytes(StandardCharsets.US_ASCII));
                  out.write(body);
                  out.flush();
                } catch (IOException e) {
                  // closed by the test
                }
              }
            });
    t.setDaemon(true);
    t.start();
    return "http://127.0.0.1:" + server.getLocalPort() + "/simple/";
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  @Test
  void aDroppedConnectionIsRetried() throws Exception {
    // the JDK client retries a dropped GET once by itself; three drops need our retries too
    String url = start(3);
    try (HttpPackageIndex index =
        new HttpPackageIndex(IndexLocation.simple(url), IndexConfig.defaults())) {
      assertThat(index.files("x"))
          .extracting(IndexFile::filename)
          .containsExactly("x-1.0-py3-none-any.whl");
      assertThat(index.retries()).isPositive();
    }
  }

  @Test
  void aServerThatKeepsDroppingIsUnreachableAfterThreeAttempts() throws Exception {
    String url = start(Integer.MAX_VALUE);
    try (HttpPackageIndex index =
        new HttpPackageIndex(IndexLocation.simple(url), IndexConfig.defaults())) {
      assertThatThrownBy(() -> index.files("x"))
          .isInstanceOf(IndexException.class)
          .hasMessageStartingWith("index " + url + " is unreachable");
      assertThat(index.retries()).isEqualTo(2);
      assertThat(connections.get()).isGreaterThanOrEqualTo(3);
    }
  }
}
