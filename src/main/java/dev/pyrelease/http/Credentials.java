package dev.pyrelease.http;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Which {@code Authorization} header a request to a URL may carry: the scope of a secret. The
 * transport asks again at every redirect hop, so a secret reaches only the URLs its scope names.
 */
@FunctionalInterface
public interface Credentials {

  /** The header value for {@code target}, or null to send none. */
  String authorizationFor(URI target);

  /** Sends nothing. */
  static Credentials none() {
    return target -> null;
  }

  /** {@code authorization} (may be null) only to the origin (scheme, host, port) of {@code url}. */
  static Credentials forOrigin(URI url, String authorization) {
    return target -> authorization != null && Urls.sameOrigin(url, target) ? authorization : null;
  }

  /** The HTTP Basic header value for a user and password. */
  static String basic(String user, String password) {
    String pair = user + ":" + (password == null ? "" : password);
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }
}
