package dev.pyrelease.image;

/**
 * Building or pushing an image failed. The message is one line, fit to print as-is (no stack trace
 * needed); it never contains credentials.
 */
public class ImageException extends Exception {

  private final String registry;

  public ImageException(String message, String registry, Throwable cause) {
    super(message, cause);
    this.registry = registry;
  }

  /** The registry involved ({@code host[:port]}), or {@code null}. */
  public String registry() {
    return registry;
  }

  /** Whether retrying later may help (network trouble) rather than needing a fix. */
  public boolean isTransient() {
    return false;
  }
}
