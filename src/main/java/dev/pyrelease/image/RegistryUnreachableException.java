package dev.pyrelease.image;

/** A registry could not be reached: connection refused, unknown host, timeout, TLS failure. */
public class RegistryUnreachableException extends ImageException {
  private final String reason;

  public RegistryUnreachableException(String registry, String cause, Throwable t) {
    super("registry " + registry + " unreachable: " + cause, registry, t);
    this.reason = cause;
  }

  /** Why: "connection refused", "timed out", "TLS handshake failed: ...". */
  public String reason() {
    return reason;
  }

  @Override
  public boolean isTransient() {
    return true;
  }
}
