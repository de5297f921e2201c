package dev.pyrelease.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyrelease.api.v1alpha1.PythonRelease;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The same event on a release is one Event with a count, as Kubernetes' recorder makes it. */
@EnableKubernetesMockClient(crud = true)
class EventsTest {
  static KubernetesClient client;
  static io.fabric8.kubernetes.client.server.mock.KubernetesMockServer server;

  @Test
  void aRepeatRaisesTheCountOfTheFirstEventAnotherMessageIsANewOne() {
    Events events = new Events(client, Clock.systemUTC());
    PythonRelease r = Kube.release("ev", "shop", "v1");
    r.getMetadata().setUid("uid-1");
    events.normal(r, Events.ROLLBACK, "traffic moved from revision 2 to revision 1");
    while (server.getRequestCount() > 0 && takeOne() != null) {}
    events.normal(r, Events.ROLLBACK, "traffic moved from revision 2 to revision 1");
    events.normal(r, Events.ROLLBACK, "traffic moved from revision 2 to revision 1");
    // a repeat is one request, a patch: no read first
    assertThat(List.of(takeOne().getMethod(), takeOne().getMethod(), String.valueOf(takeOne())))
        .containsExactly("PATCH", "PATCH", "null");
    events.normal(r, Events.TRAFFIC_SWITCHED, "traffic moved from revision 1 to revision 2");
    List<Event> all = client.v1().events().inNamespace("ev").list().getItems();
    assertThat(all)
        .extracting(Event::getReason, Event::getCount)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(Events.ROLLBACK, 3),
            org.assertj.core.groups.Tuple.tuple(Events.TRAFFIC_SWITCHED, 1));

    // another release (another uid) saying the same thing has its own Event
    PythonRelease other = Kube.release("ev", "blog", "v1");
    other.getMetadata().setUid("uid-2");
    events.normal(other, Events.ROLLBACK, "traffic moved from revision 2 to revision 1");
    assertThat(client.v1().events().inNamespace("ev").list().getItems()).hasSize(3);
  }

  private static io.fabric8.mockwebserver.http.RecordedRequest takeOne() {
    try {
      return server.takeRequest(50, java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void anEventDeletedMeanwhileIsMadeAgain() {
    Events events = new Events(client, Clock.systemUTC());
    PythonRelease r = Kube.release("gone", "shop", "v1");
    r.getMetadata().setUid("uid-3");
    events.warning(r, Events.BUILD_FAILED, "revision 1: container venv failed");
    client.v1().events().inNamespace("gone").delete();
    events.warning(r, Events.BUILD_FAILED, "revision 1: container venv failed");
    assertThat(client.v1().events().inNamespace("gone").list().getItems())
        .extracting(Event::getCount)
        .containsExactly(1);
  }
}
