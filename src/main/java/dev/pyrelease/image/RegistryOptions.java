package dev.pyrelease.image;

import java.nio.file.Path;

/**
 * How registries are reached: credentials and plain-HTTP access. "Where it goes" settings, kept
 * apart from what is built.
 *
 * @param credentials registry credentials (e.g. from a docker {@code config.json}); never logged
 * @param allowInsecureRegistries allow plain HTTP and unverified TLS (loopback test registries)
 * @param cacheDir Jib's layer cache ({@code null}: Jib's defaults); reusing one across builds saves
 *     re-compressing unchanged layers
 * @param credentialsOverHttp send credentials to a registry that answers over plain HTTP (a trusted
 *     loopback registry; {@code --registry-credentials-over-http})
 */
public record RegistryOptions(
    RegistryCredentials credentials,
    boolean allowInsecureRegistries,
    Path cacheDir,
    boolean credentialsOverHttp) {

  public RegistryOptions {
    credentials = credentials == null ? RegistryCredentials.none() : credentials;
  }

  /** Credentials over HTTPS only. */
  public RegistryOptions(
      RegistryCredentials credentials, boolean allowInsecureRegistries, Path cacheDir) {
    this(credentials, allowInsecureRegistries, cacheDir, false);
  }

  /** No credentials, TLS required, Jib's caches. */
  public static RegistryOptions defaults() {
    return new RegistryOptions(RegistryCredentials.none(), false, null);
  }

  /** These options with insecure access on or off. */
  public RegistryOptions withAllowInsecureRegistries(boolean on) {
    return new RegistryOptions(credentials, on, cacheDir, credentialsOverHttp);
  }

  /** These options with that cache directory. */
  public RegistryOptions withCacheDir(Path dir) {
    return new RegistryOptions(credentials, allowInsecureRegistries, dir, credentialsOverHttp);
  }
}
