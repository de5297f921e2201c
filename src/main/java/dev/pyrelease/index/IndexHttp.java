package dev.pyrelease.index;

import dev.pyrelease.http.HttpTransport;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/**
 * The index's requests over the shared transport: GETs carrying the location's credentials (only to
 * its own origins), and the messages their failures make, with credentials masked.
 */
final class IndexHttp {
  private final HttpTransport transport;
  private final IndexLocation location;

  IndexHttp(HttpTransport transport, IndexLocation location) {
    this.transport = transport;
    this.location = location;
  }

  IndexLocation location() {
    return location;
  }

  /** A GET; an interrupt is an UNREACHABLE {@link IndexException} (and the flag stays set). */
  <T> HttpResponse<T> get(URI target, Map<String, String> headers, HttpResponse.BodyHandler<T> h)
      throws IOException {
    HttpRequest.Builder b = HttpRequest.newBuilder(target).GET();
    headers.forEach(b::header);
    try {
      return transport.send(b.build(), location.credentials(), h);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted(location.displayUrl(target));
    }
  }

  String describe(Throwable e, URI target) {
    return transport.describe(e, target);
  }

  IndexException fileUnreachable(URI u, String cause, Throwable e) {
    return new IndexException(
        IndexException.Kind.UNREACHABLE,
        location.displayUrl(u),
        "file " + location.displayUrl(u) + " is unreachable: " + cause,
        e);
  }

  static IndexException interrupted(String url) {
    return new IndexException(IndexException.Kind.UNREACHABLE, url, url + ": interrupted");
  }

  static String httpStatus(int status) {
    String text =
        switch (status) {
          case 401 -> " Unauthorized (check the index credentials)";
          case 403 -> " Forbidden (check the index credentials)";
          case 404 -> " Not Found";
          case 500 -> " Internal Server Error";
          case 502 -> " Bad Gateway";
          case 503 -> " Service Unavailable";
          case 504 -> " Gateway Timeout";
          default -> "";
        };
    return "HTTP " + status + text;
  }

  /** Closes a body that is not wanted, reading a little so the connection may be reused. */
  static void drain(InputStream in) {
    try (in) {
      in.skip(1 << 16);
    } catch (IOException ignored) {
      // closing is all that matters
    }
  }
}
