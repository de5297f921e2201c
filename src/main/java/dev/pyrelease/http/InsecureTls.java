package dev.pyrelease.http;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/** The two TLS contexts that are not the JDK's default. */
final class InsecureTls {
  private InsecureTls() {}

  /** Insecure access: any certificate, any host name. */
  static SSLContext trustingEveryone() {
    X509ExtendedTrustManager any =
        new X509ExtendedTrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] c, String a) {}

          @Override
          public void checkServerTrusted(X509Certificate[] c, String a) {}

          @Override
          public void checkClientTrusted(X509Certificate[] c, String a, Socket s) {}

          @Override
          public void checkServerTrusted(X509Certificate[] c, String a, Socket s) {}

          @Override
          public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) {}

          @Override
          public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) {}

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {any}, new SecureRandom());
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no TLS in this JVM", e);
    }
  }

  /**
   * A context without trust material, for a client that only ever speaks plain http: building a
   * client with the default context loads the JDK trust store, a cost on a cold JVM. Null when the
   * JVM refuses (then the default is used).
   */
  static SSLContext none() {
    try {
      SSLContext none = SSLContext.getInstance("TLS");
      none.init(new KeyManager[0], new TrustManager[0], null);
      return none;
    } catch (GeneralSecurityException e) {
      return null;
    }
  }
}
