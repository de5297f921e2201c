package dev.pyrelease.image;

import com.google.cloud.tools.jib.api.InsecureRegistryException;
import com.google.cloud.tools.jib.api.RegistryAuthenticationFailedException;
import com.google.cloud.tools.jib.registry.RegistryCredentialsNotSentException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLException;

/** Maps Jib's and the HTTP stack's exceptions to {@link ImageException}s with one-line messages. */
final class Failures {

  static final String NOT_SENT =
      "credentials required but not sent over plain HTTP "
          + "(allow it with --registry-credentials-over-http, for a trusted loopback registry only)";

  private Failures() {}

  /** A failure of a build: base from {@code base}, pushed to {@code target}. */
  static ImageException map(Exception e, BaseImage base, ImageTarget target) {
    ImageRef baseRef = base instanceof BaseImage.Registry r ? r.ref() : null;
    ImageRef targetRef = target instanceof ImageTarget.Registry r ? r.image() : null;
    List<Throwable> chain = chain(e);

    for (Throwable t : chain) {
      if (t instanceof com.google.cloud.tools.jib.api.RegistryUnauthorizedException u) {
        ImageRef which = pick(u.getImageReference(), baseRef, targetRef);
        return new RegistryUnauthorizedException(
            which != null ? which.registry() : "?", which != null ? which.repository() : null, e);
      }
      if (t instanceof RegistryCredentialsNotSentException) {
        ImageRef which = pick(t.getMessage(), baseRef, targetRef);
        return new RegistryUnauthorizedException(
            which != null ? which.registry() : "?",
            which != null ? which.repository() : null,
            NOT_SENT,
            e);
      }
      if (t instanceof RegistryAuthenticationFailedException a) {
        String registry = a.getMessage();
        ImageRef which = pick(registry, baseRef, targetRef);
        return new RegistryUnauthorizedException(
            which != null ? which.registry() : "?", which != null ? which.repository() : null, e);
      }
    }
    for (Throwable t : chain) {
      if (t instanceof NoSuchFileException nf && base instanceof BaseImage.Tar tar) {
        if (tar.file().toString().equals(nf.getFile())) {
          return new BaseImageNotFoundException(tar.toString(), null, e);
        }
      }
    }
    String network = networkCause(chain);
    if (network != null) {
      ImageRef which = unreachableOf(baseRef, targetRef);
      String registry = which != null ? which.registry() : registries(baseRef, targetRef);
      return new RegistryUnreachableException(registry, network, e);
    }
    for (Throwable t : chain) {
      if (t instanceof InsecureRegistryException) {
        ImageRef which = pick(t.getMessage(), baseRef, targetRef);
        String registry = which != null ? which.registry() : registries(baseRef, targetRef);
        return new RegistryUnreachableException(
            registry,
            "not HTTPS with a trusted certificate (if you trust it, allow it with --insecure-registry;"
                + " the operator: PYRELEASE_INSECURE_REGISTRIES)",
            e);
      }
    }
    if (baseRef != null && isManifestUnknown(chain, baseRef)) {
      return new BaseImageNotFoundException(baseRef.toString(), baseRef.registry(), e);
    }
    return new ImageException("image build failed: " + oneLine(deepestMessage(chain)), null, e);
  }

  /** A call to {@code registry} that got no HTTP answer. */
  static RegistryUnreachableException unreachable(IOException e, String registry) {
    String cause = networkCause(chain(e));
    if (cause == null) {
      cause = oneLine(e.getClass().getSimpleName() + ": " + deepestMessage(chain(e)));
    }
    return new RegistryUnreachableException(registry, cause, e);
  }

  private static String networkCause(List<Throwable> chain) {
    for (Throwable t : chain) {
      if (t instanceof UnknownHostException) {
        return "unknown host " + t.getMessage();
      }
      if (t instanceof ConnectException) {
        return "connection refused";
      }
      if (t instanceof NoRouteToHostException) {
        return "no route to host";
      }
      if (t instanceof SocketTimeoutException || t instanceof InterruptedIOException) {
        return "timed out";
      }
      if (t instanceof SSLException) {
        return "TLS handshake failed: " + oneLine(t.getMessage());
      }
    }
    for (Throwable t : chain) {
      String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
      if (m.contains("connection refused")) {
        return "connection refused";
      }
      if (m.contains("connection reset") || m.contains("unexpected end of stream")) {
        return "connection reset";
      }
    }
    return null;
  }

  private static boolean isManifestUnknown(List<Throwable> chain, ImageRef baseRef) {
    for (Throwable t : chain) {
      String m = String.valueOf(t.getMessage());
      String lower = m.toLowerCase(Locale.ROOT);
      if ((lower.contains("manifest_unknown")
              || lower.contains("manifest unknown")
              || lower.contains("name_unknown")
              || lower.contains("not found"))
          && (m.contains(baseRef.repository()) || lower.contains("manifest"))) {
        return true;
      }
    }
    return false;
  }

  /** Which of base and target an exception's message names (by registry/repository). */
  private static ImageRef pick(String text, ImageRef base, ImageRef target) {
    if (text != null) {
      if (target != null && text.contains(target.repositoryName())) {
        return target;
      }
      if (base != null && text.contains(base.repositoryName())) {
        return base;
      }
      if (target != null && text.contains(target.registry())) {
        return target;
      }
      if (base != null && text.contains(base.registry())) {
        return base;
      }
    }
    return target != null ? target : base;
  }

  /** The first of the registries that does not accept a TCP connection now. */
  private static ImageRef unreachableOf(ImageRef base, ImageRef target) {
    for (ImageRef r : new ImageRef[] {base, target}) {
      if (r != null && !accepts(r.registry())) {
        return r;
      }
    }
    return null;
  }

  private static boolean accepts(String registry) {
    String host = registry;
    int port = 443;
    int colon = registry.lastIndexOf(':');
    if (colon > 0 && registry.indexOf(']') < colon) {
      host = registry.substring(0, colon);
      try {
        port = Integer.parseInt(registry.substring(colon + 1));
      } catch (NumberFormatException e) {
        return false;
      }
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 2000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String registries(ImageRef base, ImageRef target) {
    Set<String> names = new LinkedHashSet<>();
    if (base != null) {
      names.add(base.registry());
    }
    if (target != null) {
      names.add(target.registry());
    }
    return names.isEmpty() ? "?" : String.join(" or ", names);
  }

  private static List<Throwable> chain(Throwable e) {
    List<Throwable> out = new ArrayList<>();
    for (Throwable t = e; t != null && !out.contains(t); t = t.getCause()) {
      out.add(t);
    }
    return out;
  }

  private static String deepestMessage(List<Throwable> chain) {
    for (int i = chain.size() - 1; i >= 0; i--) {
      String m = chain.get(i).getMessage();
      if (m != null && !m.isBlank()) {
        return m;
      }
    }
    return chain.get(0).getClass().getSimpleName();
  }

  static String oneLine(String s) {
    if (s == null) {
      return "";
    }
    String line = s.strip().split("\\R", 2)[0];
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }
}
