package dev.pyrelease.api.v1alpha1;

/** The state of one retained revision. */
public enum RevisionState {
  /** Built, not (yet) serving: rolling out, or waiting to be selected. */
  Standby,
  /** The Service points at it. */
  Active,
  /** Scaled to zero; still retained and can be rolled back to (cold). */
  Retired,
  /** Its build, hooks or rollout failed. */
  Failed
}
