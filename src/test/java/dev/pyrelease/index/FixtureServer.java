package dev.pyrelease.index;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback static file server for tests: optional HTTP Range support, optional required Basic
 * auth, redirects, forced statuses and delays per path, PEP 691 JSON negotiation ({@code
 * index.json} next to {@code index.html}). Records every request.
 */
final class FixtureServer implements AutoCloseable {
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

  record Request(String path, String range, String authorization, String accept) {}

  private final HttpServer server;
  private final ExecutorService executor;
  private final Path root;
  volatile boolean ranges = true;
  volatile String requiredAuthorization;
  final Map<String, String> redirects = new ConcurrentHashMap<>();
  final Map<String, Integer> statuses = new ConcurrentHashMap<>();
  final Map<String, Long> delaysMillis = new ConcurrentHashMap<>();
  final List<Request> requests = new CopyOnWriteArrayList<>();
  final AtomicLong bytesSent = new AtomicLong();

  private FixtureServer(Path root) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    this.executor = Executors.newFixedThreadPool(16);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  static FixtureServer start(Path root) throws IOException {
    return new FixtureServer(root);
  }

  int port() {
    return server.getAddress().getPort();
  }

  String url(String path) {
    return "http://127.0.0.1:" + port() + "/" + path;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getRawPath();
      var h = ex.getRequestHeaders();
      requests.add(
          new Request(
              path, h.getFirst("Range"), h.getFirst("Authorization"), h.getFirst("Accept")));
      Long delay = delaysMillis.get(path);
      if (delay != null) {
        try {
          Thread.sleep(delay);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      String need = requiredAuthorization;
      if (need != null && !need.equals(h.getFirst("Authorization"))) {
        ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"fixture\"");
        ex.sendResponseHeaders(401, -1);
        return;
      }
      if (redirects.containsKey(path)) {
        ex.getResponseHeaders().add("Location", redirects.get(path));
        ex.sendResponseHeaders(302, -1);
        return;
      }
      if (statuses.containsKey(path)) {
        ex.sendResponseHeaders(statuses.get(path), -1);
        return;
      }
      Path file =
          root.resolve(
                  java.net.URLDecoder.decode(
                      path.substring(1).replace("+", "%2B"),
                      java.nio.charset.StandardCharsets.UTF_8))
              .normalize();
      if (!file.startsWith(root)) {
        ex.sendResponseHeaders(403, -1);
        return;
      }
      String type = "application/octet-stream";
      if (Files.isDirectory(file)) {
        String accept = h.getFirst("Accept");
        Path json = file.resolve("index.json");
        if (accept != null
            && accept.contains("application/vnd.pypi.simple.v1+json")
            && Files.exists(json)) {
          file = json;
          type = "application/vnd.pypi.simple.v1+json";
        } else {
          file = file.resolve("index.html");
          type = "text/html; charset=utf-8";
        }
      } else if (file.toString().endsWith(".html")) {
        type = "text/html";
      }
      if (!Files.isRegularFile(file)) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      long size = Files.size(file);
      long start = 0;
      long end = size - 1;
      int status = 200;
      String range = h.getFirst("Range");
      if (ranges) {
        ex.getResponseHeaders().add("Accept-Ranges", "bytes");
      }
      if (ranges && range != null) {
        Matcher m = RANGE.matcher(range.trim());
        if (m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
          if (m.group(1).isEmpty()) {
            start = Math.max(0, size - Long.parseLong(m.group(2)));
          } else {
            start = Long.parseLong(m.group(1));
            if (!m.group(2).isEmpty()) {
              end = Math.min(end, Long.parseLong(m.group(2)));
            }
          }
          if (start > end) {
            ex.getResponseHeaders().add("Content-Range", "bytes */" + size);
            ex.sendResponseHeaders(416, -1);
            return;
          }
          status = 206;
          ex.getResponseHeaders().add("Content-Range", "bytes " + start + "-" + end + "/" + size);
        }
      }
      long length = end - start + 1;
      ex.getResponseHeaders().add("Content-Type", type);
      ex.sendResponseHeaders(status, length == 0 ? -1 : length);
      try (InputStream in = Files.newInputStream(file);
          OutputStream out = ex.getResponseBody()) {
        in.skipNBytes(start);
        byte[] buf = new byte[1 << 16];
        long left = length;
        while (left > 0) {
          int n = in.read(buf, 0, (int) Math.min(buf.length, left));
          if (n < 0) {
            break;
          }
          out.write(buf, 0, n);
          left -= n;
        }
        bytesSent.addAndGet(length - left);
      }
    } catch (IOException e) {
      // client went away (e.g. stopped reading after a range); nothing to do
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
