package dev.pyrelease.reconciler;

/**
 * Copies a built image into another repository without building it again (the registry-backed one
 * mounts every blob and puts the manifest): how a release reuses the build of another release with
 * the same build key that pushes elsewhere.
 */
@FunctionalInterface
public interface ImageCopier {

  /**
   * @param image the image, {@code repository@sha256:…}
   * @param repository where the copy goes
   * @param dockerConfigJson the target release's push credentials (a docker config.json), or null
   * @return the copy, {@code repository@sha256:…} (the same digest)
   * @throws CopyFailedException the copy cannot be made this way (the release builds instead)
   */
  String copy(String image, String repository, byte[] dockerConfigJson) throws CopyFailedException;

  /** Why a copy could not be made. */
  final class CopyFailedException extends Exception {
    public CopyFailedException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
