package dev.pyrelease.config;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The operator's configuration, read once from a map of environment variables (only {@code Main}
 * and the CLI read the real environment). Immutable; every field has a default so an empty map is a
 * working configuration. Grouped by who uses it, so that a builder takes only its part.
 *
 * @param namespaces namespaces to watch ({@code PYRELEASE_NAMESPACES}, comma-separated); empty
 *     means all namespaces
 * @param reconcileThreads concurrent reconciliations ({@code PYRELEASE_RECONCILE_THREADS})
 * @param buildJob the build Job's image, limits and lifetime
 * @param rollout the rollout's default timings
 * @param baseImages default base image per Python version ({@code PYRELEASE_BASE_IMAGE_3_11=...})
 * @param insecureRegistries registries ({@code host[:port]}) the operator may ask over plain HTTP
 *     when it resolves a base image's digest ({@code PYRELEASE_INSECURE_REGISTRIES}, comma
 *     separated; default none)
 * @param git the git cache, whether local URLs are allowed, how often branches are polled
 * @param leaderElection the Lease, when more than one replica runs
 * @param healthPort port of /healthz, /readyz and /metrics ({@code PYRELEASE_HEALTH_PORT}); 0: none
 * @param scheduling the cluster-wide build limit and how often base image tags are re-resolved
 */
public record OperatorConfig(
    Set<String> namespaces,
    int reconcileThreads,
    BuildJobConfig buildJob,
    RolloutDefaults rollout,
    Map<String, String> baseImages,
    Set<String> insecureRegistries,
    GitConfig git,
    LeaderElection leaderElection,
    int healthPort,
    BuildScheduling scheduling) {

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
        intOf(env, "PYRELEASE_RECONCILE_THREADS", 10),
        new BuildJobConfig(
            env.getOrDefault("PYRELEASE_OPERATOR_IMAGE", DEFAULT_OPERATOR_IMAGE),
            env.getOrDefault("PYRELEASE_BUILD_CPU", "2"),
            env.getOrDefault("PYRELEASE_BUILD_MEMORY", "2Gi"),
            intOf(env, "PYRELEASE_BUILD_DEADLINE_SECONDS", 1800),
            intOf(env, "PYRELEASE_BUILD_BACKOFF_LIMIT", 0),
            intOf(env, "PYRELEASE_BUILD_TTL_SECONDS", 86400),
            boolOf(env, "PYRELEASE_REGISTRY_CREDENTIALS_OVER_HTTP")),
        new RolloutDefaults(
            intOf(env, "PYRELEASE_STANDBY_SECONDS", 600),
            intOf(env, "PYRELEASE_PROGRESS_DEADLINE_SECONDS", 600)),
        bases,
        csv(env.getOrDefault("PYRELEASE_INSECURE_REGISTRIES", "")),
        new GitConfig(
            env.getOrDefault("PYRELEASE_GIT_CACHE_DIR", gitCacheDefault(env)),
            Boolean.parseBoolean(env.getOrDefault("PYRELEASE_GIT_ALLOW_LOCAL", "false")),
            java.time.Duration.ofSeconds(intOf(env, "PYRELEASE_GIT_POLL_SECONDS", 300))),
        new LeaderElection(
            blankToNull(env.get("PYRELEASE_LEADER_ELECTION_LEASE")),
            blankToNull(env.get("PYRELEASE_LEADER_ELECTION_NAMESPACE")),
            blankToNull(env.get("PYRELEASE_POD_NAME")),
            Boolean.parseBoolean(
                env.getOrDefault("PYRELEASE_LEADER_ELECTION_EXIT_ON_LOSS", "true"))),
        intOf(env, "PYRELEASE_HEALTH_PORT", 0),
        new BuildScheduling(
            intOf(env, "PYRELEASE_MAX_CONCURRENT_BUILDS", 10),
            java.time.Duration.ofSeconds(intOf(env, "PYRELEASE_BASE_IMAGE_RECHECK_SECONDS", 300))));
  }

  /** The base image for a Python version, or null when none is configured. */
  public String baseImageFor(String pythonVersion) {
    return baseImages.get(pythonVersion);
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

  /** true or false (any case); absent or blank is false; anything else is an error. */
  private static boolean boolOf(Map<String, String> env, String key) {
    String v = env.get(key);
    if (v == null || v.isBlank()) {
      return false;
    }
    return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(key + " must be true or false: " + v);
    };
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
