package dev.pyrelease.operator;

import dev.pyrelease.image.ImageException;
import dev.pyrelease.image.ImageRef;
import dev.pyrelease.image.RegistryCredentials;
import dev.pyrelease.image.RegistryHttp;
import dev.pyrelease.release.BaseDigests;
import java.util.Optional;
import java.util.Set;

/**
 * {@link BaseDigests} by one manifest HEAD per resolution (a tag can move, so nothing is cached),
 * with the release's pull credentials for the base's registry when it has them, else anonymously;
 * plain HTTP only for the registries the operator is configured to trust that way.
 */
public final class RegistryBaseDigests implements BaseDigests {
  private final RegistryHttp secure = new RegistryHttp(RegistryCredentials.none(), false, false);
  private final RegistryHttp insecure = new RegistryHttp(RegistryCredentials.none(), true, false);
  private final Set<String> insecureRegistries;

  public RegistryBaseDigests(Set<String> insecureRegistries) {
    this.insecureRegistries = Set.copyOf(insecureRegistries);
  }

  @Override
  public String digest(String reference, byte[] dockerConfigJson)
      throws NotFoundException, UnavailableException {
    ImageRef ref;
    try {
      ref = ImageRef.parse(reference);
    } catch (RuntimeException e) {
      throw new NotFoundException("'" + reference + "' is not an image reference");
    }
    boolean plainHttp = insecureRegistries.contains(ref.registry());
    RegistryCredentials credentials =
        dockerConfigJson == null
            ? RegistryCredentials.none()
            : RegistryCredentials.fromDockerConfigJson(dockerConfigJson);
    RegistryHttp registry =
        credentials.forRegistry(ref.registry()).isEmpty()
            ? (plainHttp ? insecure : secure)
            // a client of its own: its tokens belong to this release's credentials
            : new RegistryHttp(credentials, plainHttp, plainHttp);
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
