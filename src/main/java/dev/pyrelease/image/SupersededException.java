package dev.pyrelease.image;

/**
 * The image was built, but its inputs changed while it was: its tag is not written, since it would
 * name content the build did not read. Not a failure: whoever changed the inputs builds again.
 */
public final class SupersededException extends ImageException {
  public SupersededException(String image) {
    super("the source changed while " + image + " was built: not tagged", null, null);
  }
}
