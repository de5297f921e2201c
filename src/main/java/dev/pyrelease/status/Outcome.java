package dev.pyrelease.status;

import dev.pyrelease.api.v1alpha1.Phase;
import dev.pyrelease.api.v1alpha1.RevisionStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one reconcile found and did, gathered by the stages and turned into status by {@link
 * StatusBuilder} — the only place status is built. Mutable while the stages run.
 */
public final class Outcome {
  /** Condition type → what a stage reported; a type left out keeps its previous value. */
  public final Map<String, Cond> conditions = new LinkedHashMap<>();

  /** Revision number → its record (commit, keys, image, builtAt, failure reason). */
  public final TreeMap<Integer, RevisionStatus> revisions = new TreeMap<>();

  /** Revision number → replicas its Deployment has after this reconcile; absent: no Deployment. */
  public final Map<Integer, Integer> deploymentReplicas = new TreeMap<>();

  public Phase phase = Phase.Pending;

  /** The revision the Service selects after this reconcile, or null. */
  public Integer activeRevision;

  /** The revision being rolled out or rolled back to, or null. */
  public Integer targetRevision;

  public Outcome(List<RevisionStatus> previous) {
    if (previous != null) {
      for (RevisionStatus r : previous) {
        if (r.getNumber() != null) {
          revisions.put(r.getNumber(), copy(r));
        }
      }
    }
  }

  public void set(String type, Cond c) {
    conditions.put(type, c);
  }

  /** Marks a revision failed; it is never built again for the same key. */
  public void fail(int revision, String reason) {
    RevisionStatus r = revisions.get(revision);
    if (r != null) {
      r.setState(dev.pyrelease.api.v1alpha1.RevisionState.Failed);
      r.setReason(reason);
    }
  }

  public boolean failed(int revision) {
    RevisionStatus r = revisions.get(revision);
    return r != null && r.getState() == dev.pyrelease.api.v1alpha1.RevisionState.Failed;
  }

  static RevisionStatus copy(RevisionStatus r) {
    RevisionStatus c = new RevisionStatus();
    c.setNumber(r.getNumber());
    c.setCommit(r.getCommit());
    c.setRequirementsSha256(r.getRequirementsSha256());
    c.setBuildKey(r.getBuildKey());
    c.setImage(r.getImage());
    c.setBuiltAt(r.getBuiltAt());
    c.setServedAt(r.getServedAt());
    c.setBaseImage(r.getBaseImage());
    c.setReusedFrom(r.getReusedFrom());
    c.setDistributions(r.getDistributions() == null ? null : List.copyOf(r.getDistributions()));
    c.setState(r.getState());
    c.setReason(r.getReason());
    return c;
  }
}
