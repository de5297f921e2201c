package dev.pyrelease.api.v1alpha1;

/** Where a release is in its lifecycle. */
public enum Phase {
  Pending,
  Building,
  RollingOut,
  Ready,
  Failed
}
