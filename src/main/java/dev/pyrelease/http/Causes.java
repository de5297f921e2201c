package dev.pyrelease.http;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLException;

/** One-line causes of transport failures, for messages that say what went wrong and no more. */
final class Causes {
  private Causes() {}

  /** "connection refused", "unknown host x", "connect timed out after 5s", ... */
  static String describe(Throwable e, URI target, TransportConfig config) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof HttpConnectTimeoutException) {
        return "connect timed out after " + seconds(config.connectTimeout());
      }
      if (t instanceof HttpTimeoutException) {
        return "no response within " + seconds(config.requestTimeout());
      }
      if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
        return "unknown host " + target.getHost();
      }
      if (t instanceof SSLException) {
        return "TLS error: " + t.getMessage();
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && m.toLowerCase(Locale.ROOT).contains("refused")) {
        return "connection refused";
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        // JDK 17's HttpClient reports a refused connection as ConnectException(null) caused by
        // ConnectException(null) caused by ClosedChannelException(null): no text at all
        String m = firstMessage(t);
        return m == null ? "connection refused" : "cannot connect: " + m;
      }
      if (t instanceof ClosedChannelException || t instanceof EOFException) {
        return "connection closed by the server";
      }
    }
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : Urls.mask(m);
  }

  private static String firstMessage(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getMessage();
      }
    }
    return null;
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }
}
