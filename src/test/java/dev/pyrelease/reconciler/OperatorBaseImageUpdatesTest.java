package dev.pyrelease.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.api.v1alpha1.PythonSpec;
import dev.pyrelease.api.v1alpha1.RevisionState;
import dev.pyrelease.api.v1alpha1.RevisionStatus;
import dev.pyrelease.config.OperatorConfig;
import dev.pyrelease.kube.Labels;
import dev.pyrelease.operator.PyreleaseOperator;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fleet patching (issue 15, deliverable 3): a base image tag that moves is found by one registry
 * request per tag and interval, however many releases build on it; releases with {@code
 * baseImageUpdates: Rebuild} get a new revision of the same commit on the new digest, rolled out as
 * usual with the old revision on standby, and those with {@code Ignore} keep the old one.
 */
@EnableKubernetesMockClient(crud = true)
class OperatorBaseImageUpdatesTest extends OperatorTestBase {
  static KubernetesClient client;
  static KubernetesMockServer server;

  static final String TAG = "registry.test/python:3.11-slim";

  static PyreleaseOperator start(MovingBases bases, String recheckSeconds) {
    Kube.installCrd(client);
    OperatorConfig config =
        OperatorConfig.from(
            Map.of(
                "PYRELEASE_OPERATOR_IMAGE",
                "registry.test/pyrelease:test",
                "PYRELEASE_BASE_IMAGE_RECHECK_SECONDS",
                recheckSeconds));
    return new PyreleaseOperator(client, config, git(), bases, Clock.systemUTC()).start();
  }

  static FakeGit git() {
    return new FakeGit().ref("v1", sha('1'));
  }

  static void serve(Kube kube, String ns, String name, int revision, char image) {
    kube.buildSucceeds(ns, Labels.buildJobName(name, revision), digest(image));
    kube.makeAvailable(ns, Labels.deploymentName(name, revision));
    awaitRelease(
        kube, ns, name, x -> Integer.valueOf(revision).equals(x.getStatus().getCurrentRevision()));
  }

  @Test
  void aMovedTagRebuildsTheSameCommitForRebuildAndNothingForIgnore() {
    MovingBases bases = new MovingBases().tag(TAG, digest('1'));
    try (PyreleaseOperator operator = start(bases, "3600")) {
      Kube kube = new Kube(client);
      String ns = freshNamespace(kube);
      List<String> rebuild = List.of("a0", "a1", "a2", "a3");
      List<String> ignore = List.of("b0", "b1", "b2");
      for (String name : rebuild) {
        kube.create(own(ns, name));
      }
      for (String name : ignore) {
        PythonRelease r = own(ns, name);
        r.getSpec().getPython().setBaseImageUpdates(PythonSpec.IGNORE);
        kube.create(r);
      }
      for (String name : concat(rebuild, ignore)) {
        serve(kube, ns, name, 1, 'a');
      }
      assertThat(bases.asked(TAG)).as("one request for seven releases").isEqualTo(1);

      assertThat(operator.baseTags().poll()).as("nothing moved").isZero();
      assertThat(bases.asked(TAG)).as("one request per poll, not per release").isEqualTo(2);

      bases.tag(TAG, digest('2'));
      assertThat(operator.baseTags().poll()).isEqualTo(1);
      assertThat(bases.asked(TAG)).isEqualTo(3);

      for (String name : rebuild) {
        Job job = kube.awaitJob(ns, Labels.buildJobName(name, 2));
        assertThat(Labels.annotation(job, Labels.COMMIT)).as("the same commit").isEqualTo(sha('1'));
        assertThat(Serialization.asJson(job)).contains(TAG + "@" + digest('2'));
        PythonRelease r =
            awaitRelease(kube, ns, name, x -> hasCondition(x, "BaseImage", "False", "Rebuilding"));
        assertThat(condition(r, "BaseImage").getMessage())
            .contains(digest('1'))
            .contains(digest('2'))
            .contains("spec.revision: 1");
        assertThat(kube.selected(ns, name)).as("the old revision serves meanwhile").isEqualTo(1);
      }
      for (String name : ignore) {
        PythonRelease r =
            awaitRelease(
                kube, ns, name, x -> hasCondition(x, "BaseImage", "False", "UpdateIgnored"));
        assertThat(condition(r, "BaseImage").getMessage()).contains(digest('1'), digest('2'));
        assertThat(kube.buildJobs(ns, name)).as("Ignore builds nothing").hasSize(1);
      }
      assertThat(
              client.v1().events().inNamespace(ns).list().getItems().stream()
                  .filter(e -> BaseImageStage.MOVED_EVENT.equals(e.getReason()))
                  .map(e -> e.getInvolvedObject().getName())
                  .sorted())
          .as("one event per release naming both digests")
          .containsExactlyElementsOf(concat(rebuild, ignore));

      for (String name : rebuild) {
        serve(kube, ns, name, 2, 'b');
        PythonRelease r =
            awaitRelease(kube, ns, name, x -> hasCondition(x, "BaseImage", "True", "Current"));
        RevisionStatus r2 = revision(r, 2);
        RevisionStatus r1 = revision(r, 1);
        assertThat(r2.getBaseImage()).isEqualTo(TAG + "@" + digest('2'));
        assertThat(r2.getCommit()).isEqualTo(r1.getCommit());
        assertThat(r1.getBaseImage()).isEqualTo(TAG + "@" + digest('1'));
        assertThat(r1.getState())
            .as("warm standby of the old base")
            .isEqualTo(RevisionState.Standby);
      }

      // a bad base is a one-field rollback, which builds nothing
      kube.editSpec(ns, "a0", s -> s.setRevision(1));
      await().atMost(Kube.WAIT).until(() -> kube.selected(ns, "a0") == 1);
      assertThat(kube.buildJobs(ns, "a0")).hasSize(2);
      assertThat(bases.asked(TAG)).as("no request outside polls").isEqualTo(3);
    }
  }

  @Test
  void theBackgroundPollFindsAMovedTagAndAFailedCheckIsOnStatus() {
    MovingBases bases = new MovingBases().tag(TAG, digest('1'));
    try (PyreleaseOperator operator = start(bases, "1")) {
      Kube kube = new Kube(client);
      String ns = freshNamespace(kube);
      kube.create(Kube.release(ns, "shop", "v1"));
      serve(kube, ns, "shop", 1, 'a');

      bases.down(true);
      PythonRelease failing =
          awaitRelease(kube, ns, "shop", x -> hasCondition(x, "BaseImage", "False", "CheckFailed"));
      assertThat(condition(failing, "BaseImage").getMessage())
          .contains("connection refused")
          .contains(digest('1'));
      assertThat(kube.selected(ns, "shop")).isEqualTo(1);

      bases.down(false);
      bases.tag(TAG, digest('2'));
      kube.awaitJob(ns, Labels.buildJobName("shop", 2));
      awaitRelease(kube, ns, "shop", x -> hasCondition(x, "BaseImage", "False", "Rebuilding"));
      int polls = bases.asked(TAG);
      assertThat(operator.baseTags().tags()).isEqualTo(1);
      await()
          .atMost(Kube.WAIT)
          .until(() -> bases.asked(TAG) >= polls + 2); // the poll goes on, once a second
    }
  }

  /** A release with a build key of its own (equal keys would share one build). */
  static PythonRelease own(String ns, String name) {
    PythonRelease r = Kube.release(ns, name, "v1");
    r.getSpec().getRequirements().setInline("django==5.2.1\n" + name + "==1.0\n");
    return r;
  }

  @Test
  void aBaseRebuildThatFailsIsOnStatusWhileTheOldRevisionKeepsServing() {
    String tag = "registry.test/python:3.11-broken";
    MovingBases bases = new MovingBases().tag(TAG, digest('1')).tag(tag, digest('1'));
    try (PyreleaseOperator operator = start(bases, "3600")) {
      Kube kube = new Kube(client);
      String ns = freshNamespace(kube);
      PythonRelease r = own(ns, "shop");
      r.getSpec().getPython().setBaseImage(tag);
      kube.create(r);
      serve(kube, ns, "shop", 1, 'a');

      // the new base lost a shared library an installed extension needs
      bases.tag(tag, digest('3'));
      operator.baseTags().poll();
      kube.buildFails(
          ns,
          Labels.buildJobName("shop", 2),
          "assemble",
          "closure: lxml/etree.cpython-311-x86_64-linux-gnu.so needs libxslt.so.1, which the base"
              + " image does not have");
      PythonRelease failed =
          awaitRelease(kube, ns, "shop", x -> hasCondition(x, "Built", "False", "BuildFailed"));
      assertThat(condition(failed, "Built").getMessage()).contains("libxslt.so.1");
      assertThat(hasCondition(failed, "Stalled", "True", "BuildFailed")).isTrue();
      assertThat(condition(failed, "BaseImage").getMessage()).contains(digest('3'));
      assertThat(kube.selected(ns, "shop")).as("the old base keeps serving").isEqualTo(1);
      assertThat(revision(failed, 1).getState()).isEqualTo(RevisionState.Active);
      assertThat(revision(failed, 2).getState()).isEqualTo(RevisionState.Failed);
    }
  }

  static RevisionStatus revision(PythonRelease r, int n) {
    return r.getStatus().getRevisions().stream()
        .filter(x -> x.getNumber() == n)
        .findFirst()
        .orElseThrow();
  }

  static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).sorted().toList();
  }
}
