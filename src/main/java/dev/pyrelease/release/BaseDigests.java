package dev.pyrelease.release;

import java.util.function.Supplier;

/**
 * Resolves a base image reference to its manifest digest, so that the key the operator records is
 * the key the build pod computes (which always knows the digest it builds on). A reference that
 * already names a digest is that digest, without asking anyone.
 */
@FunctionalInterface
public interface BaseDigests {

  /**
   * @return {@code sha256:…}
   * @throws NotFoundException the registry answered that the image does not exist (terminal until
   *     the spec or the registry changes)
   * @throws UnavailableException the registry could not be asked (transient: retried)
   */
  String digest(String reference, byte[] dockerConfigJson)
      throws NotFoundException, UnavailableException;

  /**
   * The base as keyed: the reference and its digest.
   *
   * @param dockerConfigJson the pull credentials (a docker {@code config.json}), asked for only
   *     when the registry must be asked; it may give null (anonymous)
   */
  default BaseImageRef resolve(String reference, Supplier<byte[]> dockerConfigJson)
      throws NotFoundException, UnavailableException {
    int at = reference.indexOf("@sha256:");
    return new BaseImageRef(
        reference,
        at >= 0 ? reference.substring(at + 1) : digest(reference, dockerConfigJson.get()));
  }

  /** The image does not exist. */
  final class NotFoundException extends Exception {
    public NotFoundException(String message) {
      super(message);
    }
  }

  /** The registry could not be reached, or refused to answer. */
  final class UnavailableException extends Exception {
    public UnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
