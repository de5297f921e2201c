package dev.pyrelease.operator;

import dev.pyrelease.image.ImageCopy;
import dev.pyrelease.image.ImageException;
import dev.pyrelease.image.ImageRef;
import dev.pyrelease.image.RegistryCredentials;
import dev.pyrelease.image.RegistryHttp;
import dev.pyrelease.reconciler.ImageCopier;
import java.util.Set;

/**
 * {@link ImageCopier} by blob mounts and a manifest put ({@link ImageCopy}), with the target
 * release's push credentials only (a release never borrows another's); plain HTTP only for the
 * registries the operator is configured to trust that way.
 */
public final class RegistryImageCopier implements ImageCopier {
  private final Set<String> insecureRegistries;

  public RegistryImageCopier(Set<String> insecureRegistries) {
    this.insecureRegistries = Set.copyOf(insecureRegistries);
  }

  @Override
  public String copy(String image, String repository, byte[] dockerConfigJson)
      throws CopyFailedException {
    try {
      ImageRef source = ImageRef.parse(image);
      ImageRef target = ImageRef.parse(repository);
      boolean plainHttp = insecureRegistries.contains(target.registry());
      RegistryCredentials credentials =
          dockerConfigJson == null
              ? RegistryCredentials.none()
              : RegistryCredentials.fromDockerConfigJson(dockerConfigJson);
      RegistryHttp registry = new RegistryHttp(credentials, plainHttp, plainHttp);
      return new ImageCopy(registry).copy(source, target).toString();
    } catch (ImageException | RuntimeException e) {
      throw new CopyFailedException(e.getMessage(), e);
    }
  }
}
