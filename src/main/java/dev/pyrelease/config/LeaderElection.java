package dev.pyrelease.config;

/**
 * One replica reconciles, another waits.
 *
 * @param leaseName the Lease ({@code PYRELEASE_LEADER_ELECTION_LEASE}); null: no leader election
 *     (one replica)
 * @param leaseNamespace the Lease's namespace ({@code PYRELEASE_LEADER_ELECTION_NAMESPACE})
 * @param identity this replica's name in the Lease ({@code PYRELEASE_POD_NAME})
 * @param exitOnLeaseLoss exit the process when the Lease is lost, so the pod restarts as a follower
 *     ({@code PYRELEASE_LEADER_ELECTION_EXIT_ON_LOSS}, default true; tests turn it off)
 */
public record LeaderElection(
    String leaseName, String leaseNamespace, String identity, boolean exitOnLeaseLoss) {

  public boolean enabled() {
    return leaseName != null;
  }
}
