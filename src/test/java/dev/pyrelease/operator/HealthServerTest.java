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
      assertThat(get(http, s.port(), "/metrics")).as("no metrics source: none").isEqualTo(404);
    }
  }

  @Test
  void metricsWhenGiven() throws Exception {
    try (HealthServer s =
        new HealthServer(0, () -> true, () -> "up 1\n", "text/plain; version=0.0.4")) {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("up 1\n");
      assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4");
    }
  }

  static int get(HttpClient http, int port, String path) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
