package dev.pyrelease.kube;

import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;

/**
 * What every container the operator runs in a release image gets: a read-only root file system (a
 * release is never mutated, not even in place), no privilege escalation, no capabilities, and a
 * writable /tmp on an emptyDir because Python and most servers need one.
 */
public final class Hardening {
  public static final String TMP = "tmp";

  /** A numeric non-root user, so runAsNonRoot holds whatever the image's USER says. */
  public static final long RUN_AS_USER = 65532L;

  private Hardening() {}

  /** Non-root, with the RuntimeDefault seccomp profile; the fsGroup makes volumes readable. */
  public static PodSecurityContext pod() {
    return new PodSecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(RUN_AS_USER)
        .withRunAsGroup(RUN_AS_USER)
        .withFsGroup(RUN_AS_USER)
        .withNewSeccompProfile("", "RuntimeDefault")
        .build();
  }

  public static SecurityContext container() {
    return new SecurityContextBuilder()
        .withReadOnlyRootFilesystem(true)
        .withAllowPrivilegeEscalation(false)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .build();
  }

  public static Volume tmpVolume() {
    return new VolumeBuilder().withName(TMP).withNewEmptyDir().endEmptyDir().build();
  }

  public static VolumeMount tmpMount() {
    return new VolumeMountBuilder().withName(TMP).withMountPath("/tmp").build();
  }
}
