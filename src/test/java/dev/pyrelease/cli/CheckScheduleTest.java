package dev.pyrelease.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pyrelease check} refuses a bad schedule at its line, before any index or git is asked. */
class CheckScheduleTest {
  @TempDir Path dir;

  @Test
  void aBadCronExpressionIsReportedAtItsLineWithoutAStackTrace() throws Exception {
    Path file = dir.resolve("release.yaml");
    Files.writeString(
        file,
        """
        apiVersion: pyrelease.dev/v1alpha1
        kind: PythonRelease
        metadata: {name: shop}
        spec:
          source: {git: {url: https://git.internal/shop.git, ref: main}}
          requirements: {inline: "django==5.2.17"}
          index: {url: "http://127.0.0.1:1/simple/"}
          python: {version: "3.11"}
          image: {repository: registry.internal/shop}
          run: {command: [gunicorn, shop.wsgi]}
          schedules:
            - name: cleanup
              schedule: "*/15 * * * 7"
              command: [python, manage.py, clearsessions]
        """);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        new Cli(
                Map.of("PYRELEASE_CACHE_DIR", ""),
                new PrintWriter(out, true),
                new PrintWriter(err, true))
            .run("check", "-f", file.toString());
    assertThat(out.toString())
        .contains(
            file
                + ":13: spec.schedules[0].schedule '*/15 * * * 7' is not a valid cron expression:"
                + " day-of-week field '7' is out of range 0-6 (Kubernetes does not take 7 for"
                + " Sunday: write 0 or SUN) — use five fields, minute (0-59) hour (0-23)"
                + " day-of-month (1-31) month (1-12 or JAN-DEC) day-of-week (0-6 or SUN-SAT), e.g."
                + " '*/15 * * * *' or '30 3 * * MON-FRI', or one of @hourly, @daily, @weekly,"
                + " @monthly, @yearly")
        .endsWith("1 problem(s) found\n");
    assertThat(out.toString() + err).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(err.toString()).isEmpty();
    assertThat(code).isEqualTo(1);
  }
}
