package dev.pyrelease.image;

/** The base image (a registry image, or a tar file) does not exist. */
public class BaseImageNotFoundException extends ImageException {
  public BaseImageNotFoundException(String base, String registry, Throwable t) {
    super("base image not found: " + base, registry, t);
  }
}
