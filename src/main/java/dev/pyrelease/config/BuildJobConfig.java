package dev.pyrelease.config;

import java.time.Duration;

/**
 * What the build Job is made of besides the release: the operator's own image (the {@code source}
 * and {@code assemble} containers run it) and the pod's limits and lifetime.
 *
 * @param operatorImage {@code PYRELEASE_OPERATOR_IMAGE}
 * @param cpu build pod CPU limit ({@code PYRELEASE_BUILD_CPU})
 * @param memory build pod memory limit ({@code PYRELEASE_BUILD_MEMORY})
 * @param deadlineSeconds the Job's activeDeadlineSeconds ({@code PYRELEASE_BUILD_DEADLINE_SECONDS})
 * @param backoffLimit the Job's backoffLimit ({@code PYRELEASE_BUILD_BACKOFF_LIMIT})
 * @param ttlSeconds the Job's ttlSecondsAfterFinished ({@code PYRELEASE_BUILD_TTL_SECONDS})
 * @param registryCredentialsOverHttp the assemble step may send the push credentials to a registry
 *     that answers over plain HTTP ({@code PYRELEASE_REGISTRY_CREDENTIALS_OVER_HTTP}, default
 *     false): the CLI's {@code --registry-credentials-over-http}, for a trusted registry on the
 *     node's loopback that requires a login
 */
public record BuildJobConfig(
    String operatorImage,
    String cpu,
    String memory,
    long deadlineSeconds,
    int backoffLimit,
    int ttlSeconds,
    boolean registryCredentialsOverHttp) {

  public Duration deadline() {
    return Duration.ofSeconds(deadlineSeconds);
  }
}
