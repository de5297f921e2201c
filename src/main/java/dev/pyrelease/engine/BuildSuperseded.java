package dev.pyrelease.engine;

/**
 * A build whose source changed while it ran, so its release was not tagged (see {@link
 * dev.pyrelease.image.SupersededException}). Not a failure: {@code build --watch} builds again.
 */
public final class BuildSuperseded extends RuntimeException {
  public BuildSuperseded(String message) {
    super(message);
  }
}
