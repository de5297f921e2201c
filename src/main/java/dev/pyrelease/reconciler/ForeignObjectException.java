package dev.pyrelease.reconciler;

/** An object the release needs to own has its name but belongs to someone else. Terminal. */
final class ForeignObjectException extends RuntimeException {
  ForeignObjectException(String message) {
    super(message);
  }
}
