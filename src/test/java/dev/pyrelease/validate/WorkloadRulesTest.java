package dev.pyrelease.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyrelease.python.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rules of processes, schedules, autoscaling, disruption budgets and the pod template, each
 * with its message at its line in a manifest (lines 1-18 are {@link ManifestReaderTest#GOOD}, the
 * additions start at line 19), and as the operator reports them (no lines).
 */
class WorkloadRulesTest {
  private static final String GOOD = ManifestReaderTest.GOOD;
  private static final String CRON_FIX = CronSchedule.FORMAT;
  private static final String VOLUME_KINDS =
      "use configMap, secret, emptyDir, projected, downwardAPI or persistentVolumeClaim";

  /** Lines added to the spec of GOOD: spec-level keys at column 0, more of spec.run at 2. */
  private static String spec(String lines) {
    return lines.indent(2);
  }

  private static List<String> problems(String manifest) throws Exception {
    Manifest m = ManifestReader.fromGeneratedCrd().read("release.yaml", manifest);
    return SpecValidator.validate(m).stream().map(Problem::toString).toList();
  }

  @Test
  void aReleaseWithEveryKindOfWorkloadIsValid() throws Exception {
    assertThat(
            problems(
                GOOD
                    + spec(
                        """
                        autoscaling: {minReplicas: 2, maxReplicas: 10}
                        disruption: {maxUnavailable: "25%"}
                      processes:
                        worker:
                          command: [python, manage.py, worker]
                          autoscaling: {minReplicas: 3, maxReplicas: 3}
                          disruption: {minAvailable: 1}
                        mail-sender2: {command: [python, -m, mail]}
                      schedules:
                        - {name: cleanup, schedule: "*/15 * * * *", command: [python, manage.py, clearsessions]}
                        - name: report
                          schedule: "30 6 * jan-jun MON-FRI"
                          timeZone: Europe/Berlin
                          command: [python, manage.py, report]
                        - {name: nightly, schedule: "@daily", timeZone: UTC, command: [a]}
                      pod:
                        volumes:
                          - {name: config, configMap: {name: shop}}
                          - {name: creds, secret: {secretName: shop}}
                          - {name: cache, emptyDir: {}}
                          - {name: data, persistentVolumeClaim: {claimName: shop}}
                          - {name: info, downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]}}
                          - {name: all, projected: {sources: [{configMap: {name: shop}}]}}
                        volumeMounts:
                          - {name: config, mountPath: /etc/shop}
                          - {name: cache, mountPath: /var/cache/shop}
                          - {name: data, mountPath: /var/lib/shop}
                          - {name: creds, mountPath: /etc/shop/creds, readOnly: true}
                        env:
                          - {name: A, value: "1"}
                          - {name: B, value: "2"}
                      """)))
        .isEmpty();
  }

  @Test
  void processNamesAndCommands() throws Exception {
    String long33 = "a".repeat(33);
    assertThat(
            problems(
                GOOD.replace("command: [gunicorn, shop.wsgi]", "command: [\"\", shop.wsgi]")
                    + spec(
                        """
                      processes:
                        web: {command: [a]}
                        Worker_1: {command: [a]}
                        worker: {command: [" ", x]}
                        %s: {command: [a]}
                        -x: {command: [a]}
                      """
                            .formatted(long33))))
        .containsExactly(
            "release.yaml:16: spec.run.command[0] is blank: the first element is the program to"
                + " run — give the program and its arguments, e.g. [gunicorn, shop.wsgi, -b,"
                + " 0.0.0.0:8000]",
            "release.yaml:20: spec.processes.web 'web' is spec.run, the process the Service sends"
                + " traffic to — name this process otherwise (e.g. worker), or move it to"
                + " spec.run",
            "release.yaml:21: spec.processes.Worker_1 'Worker_1' is not a valid process name —"
                + " use lowercase letters, digits and '-', starting with a letter and ending with"
                + " a letter or digit (e.g. worker, mail-sender), at most 32 characters",
            "release.yaml:22: spec.processes.worker.command[0] is blank: the first element is the"
                + " program to run — give the program and its arguments, e.g. [celery, -A, shop,"
                + " worker]",
            "release.yaml:23: spec.processes."
                + long33
                + " '"
                + long33
                + "' is 33 characters, more than 32 — use a shorter process name: it is part of"
                + " the names of its Deployments, autoscaler and disruption budget",
            "release.yaml:24: spec.processes.-x '-x' is not a valid process name — use lowercase"
                + " letters, digits and '-', starting with a letter and ending with a letter or"
                + " digit (e.g. worker, mail-sender), at most 32 characters");
  }

  @Test
  void schedules() throws Exception {
    assertThat(
            problems(
                GOOD
                    + spec(
                        """
                      schedules:
                        - {name: cleanup, schedule: "61 * * * *", command: [a]}
                        - name: cleanup
                          schedule: "0 0 * * 7"
                          timeZone: Europe/Berln
                          command: [a]
                        - {name: offset, schedule: "@hourly", timeZone: "+02:00", command: [a]}
                        - {name: tz, schedule: "TZ=Europe/Berlin 0 3 * * *", command: [a]}
                        - {name: every, schedule: "@every 5m", command: [a]}
                        - {name: blank, schedule: " ", command: [""]}
                      """)))
        .containsExactly(
            "release.yaml:20: spec.schedules[0].schedule '61 * * * *' is not a valid cron"
                + " expression: minute field '61' is out of range 0-59 — "
                + CRON_FIX,
            "release.yaml:21: spec.schedules[1].name 'cleanup' is used twice — give each schedule"
                + " its own name",
            "release.yaml:22: spec.schedules[1].schedule '0 0 * * 7' is not a valid cron"
                + " expression: day-of-week field '7' is out of range 0-6 (Kubernetes does not"
                + " take 7 for Sunday: write 0 or SUN) — "
                + CRON_FIX,
            "release.yaml:23: spec.schedules[1].timeZone 'Europe/Berln' is not an IANA time zone"
                + " — use a zone name from the tz database, e.g. Europe/Berlin, America/New_York"
                + " or UTC",
            "release.yaml:25: spec.schedules[2].timeZone '+02:00' is not an IANA time zone — use"
                + " a zone name from the tz database, e.g. Europe/Berlin, America/New_York or UTC",
            "release.yaml:26: spec.schedules[3].schedule 'TZ=Europe/Berlin 0 3 * * *' is not a"
                + " valid cron expression: a time zone prefix (TZ=) is not allowed — Kubernetes"
                + " refuses a zone in the schedule: set timeZone: Europe/Berlin and schedule: '0 3"
                + " * * *'",
            "release.yaml:27: spec.schedules[4].schedule '@every 5m' is not a valid cron"
                + " expression: '@every' is not accepted: a schedule runs at calendar times (e.g."
                + " every hour is '0 * * * *' or @hourly) — "
                + CRON_FIX,
            "release.yaml:28: spec.schedules[5].schedule is empty — " + CRON_FIX,
            "release.yaml:28: spec.schedules[5].command[0] is blank: the first element is the"
                + " program to run — give the program and its arguments, e.g. [python, manage.py,"
                + " clearsessions]");
  }

  @Test
  void aScheduleNameThatMakesTheCronJobNameTooLong() throws Exception {
    String release = "shop-" + "x".repeat(25); // 30 characters: a valid release name
    assertThat(
            problems(
                GOOD.replace("{name: shop,", "{name: " + release + ",")
                    + spec(
                        """
                      schedules:
                        - {name: daily-report-for-shop, schedule: "@daily", command: [a]}
                        - {name: daily-report-for-shops, schedule: "@daily", command: [a]}
                      """)))
        .containsExactly(
            "release.yaml:21: spec.schedules[1].name makes the CronJob name '"
                + release
                + "-daily-report-for-shops' 53 characters long, more than Kubernetes' limit of 52"
                + " for CronJobs — shorten the schedule name to at most 21 characters (or the"
                + " release name)");
  }

  @Test
  void autoscalingAndDisruption() throws Exception {
    assertThat(
            problems(
                GOOD
                    + spec(
                        """
                        disruption: {maxUnavailable: 150%}
                      processes:
                        worker:
                          command: [a]
                          autoscaling: {minReplicas: 5, maxReplicas: 3}
                          disruption: {minAvailable: 1, maxUnavailable: "50"}
                        beat:
                          command: [a]
                          disruption: {}
                      """)))
        .containsExactly(
            "release.yaml:19: spec.run.disruption.maxUnavailable '150%' is more than 100% — give a"
                + " number of pods (e.g. 1) or a percentage of them (e.g. '50%')",
            "release.yaml:23: spec.processes.worker.autoscaling.minReplicas 5 is more than"
                + " maxReplicas 3 — lower minReplicas or raise maxReplicas so that minReplicas <="
                + " maxReplicas",
            "release.yaml:24: spec.processes.worker.disruption must set exactly one of"
                + " minAvailable or maxUnavailable — e.g. disruption: {minAvailable: 1} or"
                + " disruption: {maxUnavailable: '25%'}",
            "release.yaml:24: spec.processes.worker.disruption.maxUnavailable '50' is neither a"
                + " number nor a percentage like '50%' — give a number of pods (e.g. 1) or a"
                + " percentage of them (e.g. '50%')",
            "release.yaml:27: spec.processes.beat.disruption must set exactly one of minAvailable"
                + " or maxUnavailable — e.g. disruption: {minAvailable: 1} or disruption:"
                + " {maxUnavailable: '25%'}");
  }

  @Test
  void podVolumesMountsAndEnv() throws Exception {
    assertThat(
            problems(
                GOOD
                    + spec(
                        """
                      pod:
                        volumes:
                          - {name: config, configMap: {name: shop}}
                          - {name: tmp, emptyDir: {}}
                          - {name: node, hostPath: {path: /var/run}}
                          - {name: config, secret: {secretName: s}}
                          - {name: scratch}
                          - {name: share, nfs: {server: nfs.internal, path: /x}}
                        volumeMounts:
                          - {name: config, mountPath: /etc/shop}
                          - {name: cache, mountPath: /var/cache/shop}
                          - {name: config, mountPath: etc/shop}
                          - {name: config, mountPath: /}
                          - {name: config, mountPath: /tmp/x}
                          - {name: scratch, mountPath: /etc/shop/}
                          - {name: scratch, mountPath: /var/../tmp}
                          - {name: scratch, mountPath: /app}
                          - {name: scratch, mountPath: /opt/}
                          - {name: scratch, mountPath: /app/media}
                        env:
                          - {name: A, value: "1"}
                          - {name: B, value: "2"}
                          - {name: A, value: "3"}
                      """)))
        .containsExactly(
            "release.yaml:22: spec.pod.volumes[1].name 'tmp' is taken by the operator's /tmp"
                + " emptyDir — name the volume otherwise; /tmp is already writable in every pod",
            "release.yaml:23: spec.pod.volumes[2] 'node' is a hostPath volume: the operator's pods"
                + " do not mount node paths — "
                + VOLUME_KINDS,
            "release.yaml:24: spec.pod.volumes[3].name 'config' is used twice — give each volume"
                + " its own name",
            "release.yaml:26: spec.pod.volumes[5] 'share' is a nfs volume, which the operator's"
                + " pods do not mount — "
                + VOLUME_KINDS,
            "release.yaml:29: spec.pod.volumeMounts[1].name 'cache' names no volume in"
                + " spec.pod.volumes — name one of [config, node, scratch, share, tmp], or add"
                + " the volume",
            "release.yaml:30: spec.pod.volumeMounts[2].mountPath 'etc/shop' is not an absolute"
                + " path — mount at an absolute path of its own, e.g. /etc/shop or /var/lib/shop",
            "release.yaml:31: spec.pod.volumeMounts[3].mountPath '/' would hide the whole image —"
                + " mount at an absolute path of its own, e.g. /etc/shop or /var/lib/shop",
            "release.yaml:32: spec.pod.volumeMounts[4].mountPath '/tmp/x' is in /tmp, the"
                + " operator's writable emptyDir — mount at an absolute path of its own, e.g."
                + " /etc/shop or /var/lib/shop; use /tmp itself for scratch files",
            "release.yaml:33: spec.pod.volumeMounts[5].mountPath '/etc/shop/' is mounted twice —"
                + " give each mount its own path",
            "release.yaml:34: spec.pod.volumeMounts[6].mountPath '/var/../tmp' is in /tmp, the"
                + " operator's writable emptyDir — mount at an absolute path of its own, e.g."
                + " /etc/shop or /var/lib/shop; use /tmp itself for scratch files",
            "release.yaml:35: spec.pod.volumeMounts[7].mountPath '/app' would hide /app, part of"
                + " the release's image — mount at an absolute path of its own, e.g. /etc/shop or"
                + " /var/lib/shop",
            "release.yaml:36: spec.pod.volumeMounts[8].mountPath '/opt/' would hide /opt/venv,"
                + " part of the release's image — mount at an absolute path of its own, e.g."
                + " /etc/shop or /var/lib/shop",
            "release.yaml:41: spec.pod.env[2].name 'A' is already set at spec.pod.env[0] — keep"
                + " one of them");
  }

  @Test
  void theOperatorReportsTheSameWithoutLines() throws Exception {
    Manifest m =
        ManifestReader.fromGeneratedCrd()
            .read(
                "release.yaml",
                GOOD
                    + spec(
                        """
                      schedules:
                        - {name: cleanup, schedule: "*/15 * * * MON-SUNDAY", command: [a]}
                      """));
    assertThat(SpecValidator.validate(m.release(), "pythonrelease/web/shop"))
        .extracting(Problem::toString)
        .containsExactly(
            "pythonrelease/web/shop:0: spec.schedules[0].schedule '*/15 * * * MON-SUNDAY' is not"
                + " a valid cron expression: day-of-week field 'SUNDAY' is not a number or a day"
                + " name (allowed: 0-6 or SUN-SAT) — "
                + CRON_FIX);
  }

  @Test
  void mapKeysAndListItemsHaveTheirLines() throws Exception {
    Manifest m =
        ManifestReader.fromGeneratedCrd()
            .read(
                "release.yaml",
                GOOD
                    + spec(
                        """
                      processes:
                        worker:
                          command: [a]
                        "with.dot": {command: [a]}
                      schedules:
                        - name: a
                          schedule: "@daily"
                          command: [a]
                      """));
    assertThat(m.lineOf("spec.processes.worker")).isEqualTo(20);
    assertThat(m.lineOf("spec.processes.worker.command[0]")).isEqualTo(21);
    assertThat(m.lineOf("spec.processes.with.dot")).isEqualTo(22);
    assertThat(m.lineOf("spec.schedules[0].schedule")).isEqualTo(25);
  }
}
