package dev.pyrelease.operator;

import dev.pyrelease.image.ImageException;
import dev.pyrelease.image.ImageRef;
import dev.pyrelease.image.RegistryCredentials;
import dev.pyrelease.image.RegistryHttp;
import dev.pyrelease.release.BaseDigests;
import java.util.Optional;
import java.util.Set;

/**
 * {@link BaseDigests} by one manifest HEAD per resolution, anonymously (a tag can move, so nothing
 * is cached); plain HTTP only for the registries the operator is configured to trust that way.
 */
public final class RegistryBaseDigests implements BaseDigests {
  private final RegistryHttp secure = new RegistryHttp(RegistryCredentials.none(), false, false);
  private final RegistryHttp insecure = new RegistryHttp(RegistryCredentials.none(), true, false);
  private final Set<String> insecureRegistries;

  public RegistryBaseDigests(Set<String> insecureRegistries) {
    this.insecureRegistries = Set.copyOf(insecureRegistries);
  }

  @Override
  public String digest(String reference) throws NotFoundException, UnavailableException {
    ImageRef ref;
    try {
      ref = ImageRef.parse(reference);
    } catch (RuntimeException e) {
      throw new NotFoundException("'" + reference + "' is not an image reference");
    }
    RegistryHttp registry = insecureRegistries.contains(ref.registry()) ? insecure : secure;
    Optional<String> digest;
    try {
      digest = registry.manifestDigest(ref);
    } catch (ImageException | RuntimeException e) {
      throw new UnavailableException(
          "cannot resolve the base image " + reference + ": " + e.getMessage(), e);
    }
    return digest.orElseThrow(
        () -> new NotFoundException("the base image " + reference + " does not exist"));
  }
}
