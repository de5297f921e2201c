package dev.pyrelease.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HealthServerTest {
  @Test
  void livenessAlwaysReadinessWhenReady() throws Exception {
    AtomicBoolean ready = new AtomicBoolean(false);
    try (HealthServer s = new HealthServer(0, ready::get)) {
      HttpClient http = HttpClient.newHttpClient();
      assertThat(get(http, s.port(), "/healthz")).isEqualTo(200);
      assertThat(get(http, s.port(), "/readyz")).isEqualTo(503);
      ready.set(true);
      assertThat(get(http, s.port(), "/readyz")).isEqualTo(200);
    }
  }

  static int get(HttpClient http, int port, String path) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
