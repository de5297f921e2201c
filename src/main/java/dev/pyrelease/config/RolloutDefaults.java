package dev.pyrelease.config;

/**
 * The rollout's timings when a release does not set them.
 *
 * @param standbySeconds warm standby of the previous revision ({@code PYRELEASE_STANDBY_SECONDS})
 * @param progressDeadlineSeconds how long a new revision may take to become available ({@code
 *     PYRELEASE_PROGRESS_DEADLINE_SECONDS})
 */
public record RolloutDefaults(int standbySeconds, int progressDeadlineSeconds) {}
