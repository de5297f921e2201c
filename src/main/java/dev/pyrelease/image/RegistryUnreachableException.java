package dev.pyrelease.image;

/** A registry could not be reached: connection refused, unknown host, timeout, TLS failure. */
public class RegistryUnreachableException extends ImageException {
  public RegistryUnreachableException(String registry, String cause, Throwable t) {
    super("registry " + registry + " unreachable: " + cause, registry, t);
  }

  @Override
  public boolean isTransient() {
    return true;
  }
}
