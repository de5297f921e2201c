package dev.pyrelease.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuickExitTest {
  @Test
  void aLiveHttpClientsSelectorThreadIsStopped() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        x -> {
          x.sendResponseHeaders(200, -1);
          x.close();
        });
    server.start();
    try {
      HttpClient client = HttpClient.newHttpClient();
      HttpResponse<Void> r =
          client.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(selectors()).isNotEmpty(); // the client is alive: so is its selector

      QuickExit.prepare();

      assertThat(selectors()).isEmpty();
      assertThat(client).isNotNull(); // still referenced: the selector did not end by itself
    } finally {
      server.stop(0);
    }
  }

  private static List<Thread> selectors() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .filter(t -> t.getName().matches("HttpClient-\\d+-SelectorManager"))
        .toList();
  }
}
