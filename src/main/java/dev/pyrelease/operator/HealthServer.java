package dev.pyrelease.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code /healthz} (the process answers), {@code /readyz} (the operator is started and its
 * informers are healthy) for the Deployment's probes, and {@code /metrics} (Prometheus text format)
 * when a source of metrics is given. The JDK's own HTTP server: no dependency.
 */
public final class HealthServer implements AutoCloseable {
  private final HttpServer server;

  public HealthServer(int port, BooleanSupplier ready) {
    this(port, ready, null, null);
  }

  /**
   * @param metrics the {@code /metrics} body, or null for no {@code /metrics}
   * @param metricsContentType its Content-Type
   */
  public HealthServer(
      int port, BooleanSupplier ready, Supplier<String> metrics, String metricsContentType) {
    try {
      server = HttpServer.create(new InetSocketAddress(port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on health port " + port, e);
    }
    server.createContext("/healthz", x -> answer(x, true));
    server.createContext("/readyz", x -> answer(x, ready.getAsBoolean()));
    if (metrics != null) {
      server.createContext("/metrics", x -> send(x, 200, metricsContentType, metrics.get()));
    }
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void answer(HttpExchange x, boolean ok) throws IOException {
    send(x, ok ? 200 : 503, "text/plain; charset=utf-8", ok ? "ok\n" : "not ready\n");
  }

  private static void send(HttpExchange x, int status, String contentType, String text)
      throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", contentType);
    if ("HEAD".equals(x.getRequestMethod())) {
      x.sendResponseHeaders(status, -1);
      x.close();
      return;
    }
    x.sendResponseHeaders(status, body.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
