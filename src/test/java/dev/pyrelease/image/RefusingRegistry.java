package dev.pyrelease.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A fake registry on loopback that answers every HTTP request with 401 (Basic challenge) and drops
 * TLS handshakes at once, as a plain-HTTP registry does, so clients fail over to HTTP.
 */
final class RefusingRegistry implements AutoCloseable {

  private final ServerSocket server;
  private final Thread thread;

  RefusingRegistry() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    thread = new Thread(this::serve, "refusing-registry");
    thread.setDaemon(true);
    thread.start();
  }

  int port() {
    return server.getLocalPort();
  }

  private void serve() {
    while (!server.isClosed()) {
      try (Socket s = server.accept()) {
        s.setSoTimeout(5000);
        InputStream in = s.getInputStream();
        int first = in.read();
        if (first == 0x16 || first < 0) {
          continue; // TLS ClientHello: close
        }
        StringBuilder head = new StringBuilder().append((char) first);
        while (!head.toString().endsWith("\r\n\r\n")) {
          int c = in.read();
          if (c < 0) {
            break;
          }
          head.append((char) c);
        }
        boolean isHead = head.toString().startsWith("HEAD");
        byte[] body =
            "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}"
                .getBytes(StandardCharsets.UTF_8);
        String response =
            "HTTP/1.1 401 Unauthorized\r\n"
                + "WWW-Authenticate: Basic realm=\"test\"\r\n"
                + "Docker-Distribution-Api-Version: registry/2.0\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: "
                + body.length
                + "\r\nConnection: close\r\n\r\n";
        OutputStream out = s.getOutputStream();
        out.write(response.getBytes(StandardCharsets.US_ASCII));
        if (!isHead) {
          out.write(body);
        }
        out.flush();
      } catch (IOException e) {
        // next connection
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
