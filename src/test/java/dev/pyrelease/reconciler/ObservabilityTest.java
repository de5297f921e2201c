package dev.pyrelease.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import dev.pyrelease.metrics.OperatorMetrics;
import dev.pyrelease.operator.HealthServer;
import dev.pyrelease.operator.PyreleaseOperator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The operator seen from outside while one release goes through its life ({@link Lifecycle}):
 * {@code GET /metrics} on the health port, and the log lines in the configured format.
 */
@EnableKubernetesMockClient(crud = true)
class ObservabilityTest extends OperatorTestBase {
  static KubernetesClient client;

  @Test
  void metricsCountTheLifecycleAndLogsNameReleaseAndRevision() throws Exception {
    ByteArrayOutputStream logs = new ByteArrayOutputStream();
    OutputStreamAppender<ILoggingEvent> capture = captureLogs(logs);
    Kube.installCrd(client);
    Kube kube = new Kube(client);
    String ns = freshNamespace(kube);
    String body;
    try (OperatorMetrics metrics = new OperatorMetrics();
        PyreleaseOperator operator =
            new PyreleaseOperator(client, CONFIG, Lifecycle.GIT, BASES, Clock.systemUTC(), metrics)
                .start();
        HealthServer http =
            new HealthServer(0, operator::ready, metrics::scrape, OperatorMetrics.CONTENT_TYPE)) {
      Lifecycle.run(kube, ns);
      HttpResponse<String> res =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(res.statusCode()).isEqualTo(200);
      assertThat(res.headers().firstValue("Content-Type")).hasValue(OperatorMetrics.CONTENT_TYPE);
      body = res.body();
    } finally {
      capture.stop();
      ((LoggerContext) LoggerFactory.getILoggerFactory())
          .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
          .detachAppender(capture);
    }

    Map<String, String> shop = Map.of("namespace", ns, "release", Lifecycle.NAME);
    // only failures name the release (bounded cardinality); the rest is per namespace
    Map<String, String> inNs = Map.of("namespace", ns);
    // builds: v1, v2 (deleted when v3 replaced it), v3 (failed in venv), v4
    assertThat(sum(body, "pyrelease_builds_started_total", inNs)).isEqualTo(4);
    assertThat(sum(body, "pyrelease_builds_succeeded_total", inNs)).isEqualTo(2);
    assertThat(sum(body, "pyrelease_builds_failed_total", with(shop, "step", "venv"))).isEqualTo(1);
    assertThat(
            sum(body, "pyrelease_build_duration_seconds_count", with(inNs, "outcome", "succeeded")))
        .isEqualTo(2);
    assertThat(sum(body, "pyrelease_build_duration_seconds_count", with(inNs, "outcome", "failed")))
        .isEqualTo(1);
    assertThat(body).contains("pyrelease_build_duration_seconds_bucket{");
    // r1 pushed two layers (3000 bytes) and found one; r4 pushed its app layer (7 bytes)
    assertThat(sum(body, "pyrelease_layers_uploaded_total", inNs)).isEqualTo(3);
    assertThat(sum(body, "pyrelease_layers_reused_total", inNs)).isEqualTo(4);
    assertThat(sum(body, "pyrelease_layers_uploaded_bytes_total", inNs)).isEqualTo(3007);
    // switches: r1, r4, forward to r4 again — and the warm rollback to r1, in well under a second
    assertThat(sum(body, "pyrelease_rollout_switch_seconds_count", with(inNs, "type", "rollout")))
        .isEqualTo(3);
    assertThat(sum(body, "pyrelease_rollout_switch_seconds_count", with(inNs, "type", "rollback")))
        .isEqualTo(1);
    assertThat(sum(body, "pyrelease_rollout_switch_seconds_max", with(inNs, "type", "rollback")))
        .isLessThan(1.0);
    // the transient git error
    assertThat(
            sum(
                body,
                "pyrelease_reconcile_errors_total",
                with(shop, "exception", "SourceException")))
        .isGreaterThanOrEqualTo(1);
    // JOSDK's own reconcile metrics and the JVM's
    assertThat(sum(body, "operator_sdk_reconciliations_started_total", Map.of())).isPositive();
    assertThat(sum(body, "operator_sdk_reconciliations_failed_total", Map.of()))
        .isGreaterThanOrEqualTo(1);
    assertThat(sum(body, "operator_sdk_controllers_execution_reconcile_seconds_count", Map.of()))
        .isPositive();
    assertThat(sum(body, "jvm_memory_used_bytes", Map.of())).isPositive();

    String text = logs.toString(StandardCharsets.UTF_8);
    List<String> lines = Arrays.asList(text.split("\n"));
    String release = "release=" + ns + "/" + Lifecycle.NAME;
    assertThat(lines)
        .as("events carry the release and the revision")
        .anyMatch(l -> l.contains(release + " revision=1:") && l.contains("BuildStarted"))
        .anyMatch(l -> l.contains(release + " revision=1:") && l.contains("Rollback"))
        .anyMatch(l -> l.contains(release) && l.contains("WARN "));
    assertThat(lines)
        .as("an expected failure is one line with its cause and the next attempt")
        .anyMatch(
            l ->
                l.contains(release)
                    && l.contains("GitUnreachable (attempt 1): connection reset (fake); next"));
    assertThat(lines)
        .as("no stack trace for expected failures")
        .noneMatch(l -> l.startsWith("\tat "));
    assertThat(lines)
        .as("no empty MDC fields")
        .noneMatch(l -> l.contains("release=/") || l.contains("revision=:"));
    assertThat(text).as("a Secret's value is never logged").doesNotContain(Lifecycle.PASSWORD);
    assertThat(lines.get(0))
        .matches(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z (INFO |WARN |ERROR|DEBUG) \\S+.*");
  }

  /** The same pattern as the configured STDERR appender, into memory. */
  static OutputStreamAppender<ILoggingEvent> captureLogs(ByteArrayOutputStream out) {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    var root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    var configured = (ConsoleAppender<ILoggingEvent>) root.getAppender("STDERR");
    assertThat(configured).as("LogSetup's STDERR appender").isNotNull();
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(ctx);
    encoder.setPattern(((PatternLayoutEncoder) configured.getEncoder()).getPattern());
    encoder.start();
    OutputStreamAppender<ILoggingEvent> a = new OutputStreamAppender<>();
    a.setContext(ctx);
    a.setEncoder(encoder);
    a.setOutputStream(out);
    a.start();
    root.addAppender(a);
    return a;
  }

  static Map<String, String> with(Map<String, String> tags, String k, String v) {
    Map<String, String> m = new LinkedHashMap<>(tags);
    m.put(k, v);
    return m;
  }

  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$", Pattern.MULTILINE);
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** The sum of a metric's samples whose labels include {@code labels}. */
  static double sum(String exposition, String name, Map<String, String> labels) {
    double total = 0;
    boolean found = false;
    Matcher m = SAMPLE.matcher(exposition);
    while (m.find()) {
      if (!m.group(1).equals(name)) {
        continue;
      }
      Map<String, String> have = new LinkedHashMap<>();
      if (m.group(2) != null) {
        Matcher l = LABEL.matcher(m.group(2));
        while (l.find()) {
          have.put(l.group(1), l.group(2));
        }
      }
      if (have.entrySet().containsAll(labels.entrySet())) {
        total += Double.parseDouble(m.group(3));
        found = true;
      }
    }
    assertThat(found).as("%s%s in /metrics:%n%s", name, labels, exposition).isTrue();
    return total;
  }
}
