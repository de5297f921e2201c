package dev.pyrelease.engine;

import dev.pyrelease.image.ImageException;
import dev.pyrelease.image.ImageRef;
import dev.pyrelease.image.RegistryHttp;
import dev.pyrelease.image.RegistryUnauthorizedException;
import dev.pyrelease.image.RegistryUnreachableException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The manifest digest of a base image, for the dependency key: a reference that already has a
 * digest is taken as is; a tag is resolved with one manifest HEAD (Docker-Content-Digest) through
 * the build's {@link RegistryHttp} (its connections, scheme and tokens are shared with the image
 * writer's calls); a docker-save archive is identified by the sha256 of the file. A tag can move,
 * so every call asks the registry.
 */
public final class BaseImageDigest {
  private final RegistryHttp registry;

  public BaseImageDigest(RegistryHttp registry) {
    this.registry = registry;
  }

  /** A message of {@link #resolve} about the build image ({@code spec.python.buildImage}). */
  public static String asBuildImage(String message) {
    return message
        .replace("the base image", "the build image")
        .replace("base image", "build image");
  }

  public static String ofTar(Path tar) {
    return "sha256:" + SourceTree.sha256(tar);
  }

  /**
   * @throws BuildException ENVIRONMENT when the registry cannot be reached or refuses, INPUT when
   *     the image does not exist
   */
  public String resolve(String reference) {
    ImageRef ref = ImageRef.parse(reference);
    if (ref.digest() != null) {
      return ref.digest();
    }
    Optional<String> digest;
    try {
      digest = registry.manifestDigest(ref);
    } catch (RegistryUnreachableException e) {
      throw BuildException.environment(
          "registry "
              + ref.registry()
              + " unreachable while resolving the base image "
              + reference
              + ": "
              + e.reason(),
          e);
    } catch (RegistryUnauthorizedException e) {
      throw BuildException.environment(
          "registry " + ref.registry() + " refused access to the base image " + reference, e);
    } catch (ImageException e) {
      throw BuildException.environment(
          e.getMessage() + " (resolving the base image " + reference + ")", e);
    }
    return digest.orElseThrow(
        () -> BuildException.input("base image " + reference + " does not exist"));
  }
}
