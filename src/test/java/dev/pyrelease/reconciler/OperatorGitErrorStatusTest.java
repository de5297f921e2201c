package dev.pyrelease.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyrelease.api.v1alpha1.Phase;
import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.operator.PyreleaseOperator;
import dev.pyrelease.source.jgit.JGitResolver;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Git's failures on the resource, with the real resolver: a URL the operator refuses (file://
 * without PYRELEASE_GIT_ALLOW_LOCAL) is terminal, an unreachable host is retried with a condition
 * saying when; both within seconds, with observedGeneration.
 */
@EnableKubernetesMockClient(crud = true)
class OperatorGitErrorStatusTest extends OperatorTestBase {
  static KubernetesClient client;

  @Test
  void aRefusedUrlIsTerminalAndAnUnreachableHostIsRetried() throws Exception {
    Kube kube = new Kube(client);
    try (PyreleaseOperator op =
        new PyreleaseOperator(
                client,
                CONFIG,
                new JGitResolver(
                    Files.createTempDirectory("pyrelease-git-errors-"),
                    Duration.ofSeconds(5),
                    false),
                BASES,
                Clock.systemUTC())
            .start()) {
      String ns = freshNamespace(kube);
      PythonRelease local = Kube.release(ns, "shop", "v1");
      local.getSpec().getSource().getGit().setUrl("file:///srv/git/shop.git");
      kube.create(local);
      PythonRelease refused =
          awaitRelease(
              kube,
              ns,
              "shop",
              r -> hasCondition(r, "SourceResolved", "False", "UnsupportedSource"));
      assertThat(condition(refused, "SourceResolved").getMessage())
          .contains("file:///srv/git/shop.git")
          .contains("not allowed");
      assertThat(refused.getStatus().getPhase()).isEqualTo(Phase.Failed);
      assertThat(refused.getStatus().getObservedGeneration()).isEqualTo(1L);

      String ns2 = freshNamespace(kube);
      int closed;
      try (ServerSocket s = new ServerSocket(0)) {
        closed = s.getLocalPort();
      }
      PythonRelease down = Kube.release(ns2, "shop", "v1");
      down.getSpec().getSource().getGit().setUrl("http://127.0.0.1:" + closed + "/shop.git");
      kube.create(down);
      PythonRelease retried =
          awaitRelease(
              kube, ns2, "shop", r -> hasCondition(r, "SourceResolved", "False", "GitUnreachable"));
      assertThat(condition(retried, "SourceResolved").getMessage())
          .contains("127.0.0.1:" + closed)
          .contains("next attempt in");
      assertThat(retried.getStatus().getObservedGeneration()).isEqualTo(1L);
      assertThat(retried.getStatus().getPhase()).isNotEqualTo(Phase.Failed);
    }
  }
}
