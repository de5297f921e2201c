package dev.pyrelease.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The operator's configuration, read once from a map of environment variables (only {@code Main}
 * and the CLI read the real environment). Immutable; every field has a default so an empty map is a
 * working configuration.
 *
 * @param namespaces namespaces to watch ({@code PYRELEASE_NAMESPACES}, comma-separated); empty
 *     means all namespaces
 * @param operatorImage the operator's own image, used for the build Job's {@code source} and {@code
 *     assemble} containers ({@code PYRELEASE_OPERATOR_IMAGE})
 * @param baseImages default base image per Python version ({@code PYRELEASE_BASE_IMAGE_3_11=...})
 * @param standbySeconds default warm standby when a release does not say ({@code
 *     PYRELEASE_STANDBY_SECONDS})
 * @param progressDeadlineSeconds default rollout deadline ({@code
 *     PYRELEASE_PROGRESS_DEADLINE_SECONDS})
 * @param buildCpu build pod CPU limit ({@code PYRELEASE_BUILD_CPU})
 * @param buildMemory build pod memory limit ({@code PYRELEASE_BUILD_MEMORY})
 * @param buildDeadlineSeconds build Job activeDeadlineSeconds ({@code
 *     PYRELEASE_BUILD_DEADLINE_SECONDS})
 * @param buildBackoffLimit build Job backoffLimit ({@code PYRELEASE_BUILD_BACKOFF_LIMIT})
 * @param buildTtlSeconds build Job ttlSecondsAfterFinished ({@code PYRELEASE_BUILD_TTL_SECONDS})
 * @param insecureRegistries registries ({@code host[:port]}) the operator may ask over plain HTTP
 *     when it resolves a base image's digest ({@code PYRELEASE_INSECURE_REGISTRIES}, comma
 *     separated; default none)
 * @param reconcileThreads concurrent reconciliations ({@code PYRELEASE_RECONCILE_THREADS})
 * @param gitCacheDir where fetched commits are cached ({@code PYRELEASE_GIT_CACHE_DIR})
 * @param allowLocalGit accept file:// and path git URLs ({@code PYRELEASE_GIT_ALLOW_LOCAL=true});
 *     off by default so a spec cannot read the operator pod's file system
 * @param leaseName leader election Lease ({@code PYRELEASE_LEADER_ELECTION_LEASE}); null: no leader
 *     election (one replica)
 * @param leaseNamespace the Lease's namespace ({@code PYRELEASE_LEADER_ELECTION_NAMESPACE})
 * @param identity this replica's name in the Lease ({@code PYRELEASE_POD_NAME})
 * @param healthPort port of /healthz and /readyz ({@code PYRELEASE_HEALTH_PORT}); 0: none
 * @param exitOnLeaseLoss exit the process when the Lease is lost, so the pod restarts as a follower
 *     ({@code PYRELEASE_LEADER_ELECTION_EXIT_ON_LOSS}, default true; tests turn it off)
 */
public record OperatorConfig(
    Set<String> namespaces,
    String operatorImage,
    Map<String, String> baseImages,
    int standbySeconds,
    int progressDeadlineSeconds,
    String buildCpu,
    String buildMemory,
    long buildDeadlineSeconds,
    int buildBackoffLimit,
    int buildTtlSeconds,
    Set<String> insecureRegistries,
    int reconcileThreads,
    String gitCacheDir,
    boolean allowLocalGit,
    String leaseName,
    String leaseNamespace,
    String identity,
    int healthPort,
    boolean exitOnLeaseLoss) {

  public static final String DEFAULT_OPERATOR_IMAGE = "ghcr.io/pyrelease/pyrelease:latest";
  private static final String BASE_IMAGE_PREFIX = "PYRELEASE_BASE_IMAGE_";

  public OperatorConfig {
    namespaces = Set.copyOf(namespaces);
    baseImages = Map.copyOf(baseImages);
    insecureRegistries = Set.copyOf(insecureRegistries);
  }

  public static OperatorConfig from(Map<String, String> env) {
    Map<String, String> bases = new TreeMap<>();
    env.forEach(
        (k, v) -> {
          if (k.startsWith(BASE_IMAGE_PREFIX) && !v.isBlank()) {
            bases.put(k.substring(BASE_IMAGE_PREFIX.length()).replace('_', '.'), v.trim());
          }
        });
    return new OperatorConfig(
        csv(env.getOrDefault("PYRELEASE_NAMESPACES", "")),
        env.getOrDefault("PYRELEASE_OPERATOR_IMAGE", DEFAULT_OPERATOR_IMAGE),
        bases,
        intOf(env, "PYRELEASE_STANDBY_SECONDS", 600),
        intOf(env, "PYRELEASE_PROGRESS_DEADLINE_SECONDS", 600),
        env.getOrDefault("PYRELEASE_BUILD_CPU", "2"),
        env.getOrDefault("PYRELEASE_BUILD_MEMORY", "2Gi"),
        intOf(env, "PYRELEASE_BUILD_DEADLINE_SECONDS", 1800),
        intOf(env, "PYRELEASE_BUILD_BACKOFF_LIMIT", 0),
        intOf(env, "PYRELEASE_BUILD_TTL_SECONDS", 86400),
        csv(env.getOrDefault("PYRELEASE_INSECURE_REGISTRIES", "")),
        intOf(env, "PYRELEASE_RECONCILE_THREADS", 10),
        env.getOrDefault("PYRELEASE_GIT_CACHE_DIR", gitCacheDefault(env)),
        Boolean.parseBoolean(env.getOrDefault("PYRELEASE_GIT_ALLOW_LOCAL", "false")),
        blankToNull(env.get("PYRELEASE_LEADER_ELECTION_LEASE")),
        blankToNull(env.get("PYRELEASE_LEADER_ELECTION_NAMESPACE")),
        blankToNull(env.get("PYRELEASE_POD_NAME")),
        intOf(env, "PYRELEASE_HEALTH_PORT", 0),
        Boolean.parseBoolean(env.getOrDefault("PYRELEASE_LEADER_ELECTION_EXIT_ON_LOSS", "true")));
  }

  /** The base image for a Python version, or null when none is configured. */
  public String baseImageFor(String pythonVersion) {
    return baseImages.get(pythonVersion);
  }

  public Duration buildDeadline() {
    return Duration.ofSeconds(buildDeadlineSeconds);
  }

  private static String gitCacheDefault(Map<String, String> env) {
    String cache = env.get("PYRELEASE_CACHE_DIR");
    return cache == null || cache.isBlank() ? "/tmp/pyrelease-git" : cache + "/git";
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private static Set<String> csv(String list) {
    return Arrays.stream(list.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toSet());
  }

  private static int intOf(Map<String, String> env, String key, int fallback) {
    String v = env.get(key);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n < 0) {
        throw new IllegalArgumentException(key + " must not be negative: " + v);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " is not a number: " + v, e);
    }
  }
}
