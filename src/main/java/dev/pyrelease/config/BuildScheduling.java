package dev.pyrelease.config;

import java.time.Duration;

/**
 * How the operator shares build capacity across the cluster and keeps base images current.
 *
 * @param maxConcurrentBuilds build Jobs running at once in every watched namespace together ({@code
 *     PYRELEASE_MAX_CONCURRENT_BUILDS}, default 10; 0: no limit). Builds a user asked for (a spec
 *     change) take a free slot before rebuilds on a moved base image, which wait
 * @param baseImageRecheck how often each base image tag in use is resolved again ({@code
 *     PYRELEASE_BASE_IMAGE_RECHECK_SECONDS}, default 300; 0: only when a spec changes): one
 *     registry request per tag and credentials per interval, whatever the number of releases
 */
public record BuildScheduling(int maxConcurrentBuilds, Duration baseImageRecheck) {

  public boolean limited() {
    return maxConcurrentBuilds > 0;
  }

  public boolean rechecksBaseImages() {
    return !baseImageRecheck.isZero();
  }
}
