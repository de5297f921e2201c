package dev.pyrelease.image;

/** A registry refused the credentials given (or their absence) for a repository. */
public class RegistryUnauthorizedException extends ImageException {
  public RegistryUnauthorizedException(String registry, String repository, Throwable t) {
    this(
        registry,
        repository,
        "unauthorized (check the push/pull credentials for this registry)",
        t);
  }

  public RegistryUnauthorizedException(
      String registry, String repository, String reason, Throwable t) {
    super(
        "registry "
            + registry
            + " refused access"
            + (repository != null ? " to " + repository : "")
            + ": "
            + reason,
        registry,
        t);
  }
}
