package dev.pyrelease.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pyrelease.api.v1alpha1.PythonRelease;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/** Reading a release with fields the model lacks: skipped, and named by path. */
class IgnoredFieldsTest {
  @Test
  void unknownFieldsAreSkippedAndNamedByTheirPath() {
    IgnoredFields ignored = new IgnoredFields();
    ObjectMapper mapper = new ObjectMapper();
    mapper.addHandler(ignored);
    KubernetesSerialization json = new KubernetesSerialization(mapper, true);
    PythonRelease r =
        json.unmarshal(
            "{\"apiVersion\":\"pyrelease.dev/v1alpha1\",\"kind\":\"PythonRelease\","
                + "\"metadata\":{\"name\":\"a\"},\"spec\":{\"canary\":{\"steps\":3},"
                + "\"run\":{\"command\":[\"x\"],\"warmup\":\"30s\"},"
                + "\"schedules\":[{\"name\":\"c\",\"jitter\":1}]}}",
            PythonRelease.class);
    assertThat(r.getSpec().getRun().getCommand()).containsExactly("x");
    assertThat(ignored.of(r))
        .containsExactly("spec.canary", "spec.run.warmup", "spec.schedules[0].jitter");
  }
}
