package dev.pyrelease.validate;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pyrelease.api.v1alpha1.AutoscalingSpec;
import dev.pyrelease.api.v1alpha1.DisruptionSpec;
import dev.pyrelease.api.v1alpha1.PodOptions;
import dev.pyrelease.api.v1alpha1.ProcessSpec;
import dev.pyrelease.api.v1alpha1.PythonReleaseSpec;
import dev.pyrelease.api.v1alpha1.ScheduleSpec;
import dev.pyrelease.api.v1alpha1.WorkloadSpec;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.math.BigInteger;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The rules of what the release runs — processes, schedules, autoscaling, disruption budgets and
 * the pod template — that the schema cannot say, or that the API server would only say when the
 * operator creates the objects (a cron expression, a CronJob name too long): the CEL rules on the
 * API classes mirrored, plus what Kubernetes checks on a CronJob, a PodDisruptionBudget and a pod.
 */
public final class WorkloadRules {

  /** Where problems go: a field path (e.g. {@code spec.schedules[0].schedule}), what, the fix. */
  @FunctionalInterface
  public interface Problems {
    void add(String path, String what, String fix);
  }

  /** Process names: a DNS-1123 label that starts with a letter, as the Deployments need. */
  static final Pattern PROCESS_NAME = Pattern.compile("^[a-z]([-a-z0-9]*[a-z0-9])?$");

  static final int MAX_PROCESS_NAME = 32;

  /** Kubernetes' limit on CronJob names: 63 less the 11 characters of its Jobs' suffix. */
  static final int MAX_CRONJOB_NAME = 52;

  static final Set<String> VOLUME_KINDS =
      Set.of(
          "configMap", "secret", "emptyDir", "projected", "downwardAPI", "persistentVolumeClaim");

  /** The operator's own volume and mount, in every pod (kube.Hardening). */
  static final String TMP_VOLUME = "tmp";

  static final String TMP_PATH = "/tmp";

  /** Where the image holds the application and the virtualenv (image.ImageSettings' defaults). */
  static final List<String> IMAGE_PATHS = List.of("/app", "/opt/venv");

  private static final Pattern DNS_1123_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
  private static final Pattern PERCENT = Pattern.compile("^[0-9]+%$");
  private static final BigInteger HUNDRED = BigInteger.valueOf(100);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String release;
  private final Problems problems;

  private WorkloadRules(String release, Problems problems) {
    this.release = release;
    this.problems = problems;
  }

  /**
   * Checks the spec of the release named {@code release} (null when unknown: the name-length rules
   * are then skipped).
   */
  public static void check(String release, PythonReleaseSpec spec, Problems problems) {
    if (spec == null) {
      return;
    }
    WorkloadRules rules = new WorkloadRules(release, problems);
    if (spec.getRun() != null) {
      rules.workload("spec.run", spec.getRun(), "[gunicorn, shop.wsgi, -b, 0.0.0.0:8000]");
    }
    if (spec.getProcesses() != null) {
      for (Map.Entry<String, ProcessSpec> e : spec.getProcesses().entrySet()) {
        rules.process(e.getKey(), e.getValue());
      }
    }
    if (spec.getSchedules() != null) {
      rules.schedules(spec.getSchedules());
    }
    if (spec.getPod() != null) {
      rules.pod(spec.getPod());
    }
  }

  private void process(String name, ProcessSpec process) {
    String path = "spec.processes." + name;
    if ("web".equals(name)) {
      // mirrors the CEL rule on PythonReleaseSpec.processes
      add(
          path,
          "'web' is spec.run, the process the Service sends traffic to",
          "name this process otherwise (e.g. worker), or move it to spec.run");
    } else if (name.length() > MAX_PROCESS_NAME) {
      add(
          path,
          quote(name) + " is " + name.length() + " characters, more than " + MAX_PROCESS_NAME,
          "use a shorter process name: it is part of the names of its Deployments, autoscaler"
              + " and disruption budget");
    } else if (!PROCESS_NAME.matcher(name).matches()) {
      add(
          path,
          quote(name) + " is not a valid process name",
          "use lowercase letters, digits and '-', starting with a letter and ending with a letter"
              + " or digit (e.g. worker, mail-sender), at most "
              + MAX_PROCESS_NAME
              + " characters");
    }
    if (process != null) {
      workload(path, process, "[celery, -A, shop, worker]");
    }
  }

  private void workload(String path, WorkloadSpec w, String example) {
    command(path + ".command", w.getCommand(), example);
    envNames(path + ".env", w.getEnv());
    autoscaling(path + ".autoscaling", w.getAutoscaling());
    disruption(path + ".disruption", w.getDisruption());
  }

  private void command(String path, List<String> command, String example) {
    if (command == null || command.isEmpty()) {
      add(path, "is empty", "give the program and its arguments, e.g. " + example);
    } else if (command.get(0) == null || command.get(0).isBlank()) {
      add(
          path + "[0]",
          "is blank: the first element is the program to run",
          "give the program and its arguments, e.g. " + example);
    }
  }

  private void autoscaling(String path, AutoscalingSpec a) {
    // mirrors the CEL rule on AutoscalingSpec
    if (a == null || a.getMinReplicas() == null || a.getMaxReplicas() == null) {
      return;
    }
    if (a.getMinReplicas() > a.getMaxReplicas()) {
      add(
          path + ".minReplicas",
          a.getMinReplicas() + " is more than maxReplicas " + a.getMaxReplicas(),
          "lower minReplicas or raise maxReplicas so that minReplicas <= maxReplicas");
    }
  }

  private void disruption(String path, DisruptionSpec d) {
    if (d == null) {
      return;
    }
    // mirrors the CEL rule on DisruptionSpec
    if ((d.getMinAvailable() == null) == (d.getMaxUnavailable() == null)) {
      add(
          path,
          "must set exactly one of minAvailable or maxUnavailable",
          "e.g. disruption: {minAvailable: 1} or disruption: {maxUnavailable: '25%'}");
    }
    intOrPercent(path + ".minAvailable", d.getMinAvailable());
    intOrPercent(path + ".maxUnavailable", d.getMaxUnavailable());
  }

  /** As Kubernetes validates a PodDisruptionBudget's numbers: an int >= 0 or 'N%' up to 100%. */
  private void intOrPercent(String path, IntOrString v) {
    if (v == null) {
      return;
    }
    String fix = "give a number of pods (e.g. 1) or a percentage of them (e.g. '50%')";
    if (v.getStrVal() != null) {
      String s = v.getStrVal();
      if (!PERCENT.matcher(s).matches()) {
        add(path, quote(s) + " is neither a number nor a percentage like '50%'", fix);
      } else if (new BigInteger(s.substring(0, s.length() - 1)).compareTo(HUNDRED) > 0) {
        add(path, quote(s) + " is more than 100%", fix);
      }
    } else if (v.getIntVal() != null && v.getIntVal() < 0) {
      add(path, v.getIntVal() + " is negative", fix);
    }
  }

  private void schedules(List<ScheduleSpec> schedules) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < schedules.size(); i++) {
      ScheduleSpec s = schedules.get(i);
      String path = "spec.schedules[" + i + "]";
      if (s == null) {
        continue;
      }
      String name = s.getName();
      if (name != null && !names.add(name)) {
        add(path + ".name", quote(name) + " is used twice", "give each schedule its own name");
      } else if (name != null && release != null) {
        String cronJob = release + "-" + name;
        if (cronJob.length() > MAX_CRONJOB_NAME) {
          add(
              path + ".name",
              "makes the CronJob name "
                  + quote(cronJob)
                  + " "
                  + cronJob.length()
                  + " characters long, more than Kubernetes' limit of "
                  + MAX_CRONJOB_NAME
                  + " for CronJobs",
              "shorten the schedule name to at most "
                  + Math.max(1, MAX_CRONJOB_NAME - release.length() - 1)
                  + " characters (or the release name)");
        }
      }
      schedule(path + ".schedule", s.getSchedule());
      timeZone(path + ".timeZone", s.getTimeZone());
      command(path + ".command", s.getCommand(), "[python, manage.py, clearsessions]");
      envNames(path + ".env", s.getEnv());
    }
  }

  private void schedule(String path, String expression) {
    if (expression == null) {
      return; // required: the schema says so
    }
    if (expression.isBlank()) {
      add(path, "is empty", CronSchedule.FORMAT);
      return;
    }
    try {
      CronSchedule.parse(expression);
    } catch (CronSchedule.InvalidCronException e) {
      add(path, quote(expression) + " is not a valid cron expression: " + e.getMessage(), e.fix());
    }
  }

  private void timeZone(String path, String zone) {
    if (zone == null) {
      return;
    }
    // Kubernetes loads the zone from the IANA database (no offsets such as +02:00, no "Local")
    if (!ZoneId.getAvailableZoneIds().contains(zone)) {
      add(
          path,
          quote(zone) + " is not an IANA time zone",
          "use a zone name from the tz database, e.g. Europe/Berlin, America/New_York or UTC");
    }
  }

  private void pod(PodOptions pod) {
    Map<String, String> kinds = new HashMap<>();
    List<Volume> volumes = pod.getVolumes() == null ? List.of() : pod.getVolumes();
    for (int i = 0; i < volumes.size(); i++) {
      Volume v = volumes.get(i);
      String path = "spec.pod.volumes[" + i + "]";
      if (v == null) {
        continue;
      }
      String name = v.getName();
      if (name != null) {
        if (name.equals(TMP_VOLUME)) {
          add(
              path + ".name",
              "'tmp' is taken by the operator's /tmp emptyDir",
              "name the volume otherwise; /tmp is already writable in every pod");
        } else if (kinds.containsKey(name)) {
          add(path + ".name", quote(name) + " is used twice", "give each volume its own name");
        } else if (name.length() > 63 || !DNS_1123_LABEL.matcher(name).matches()) {
          add(
              path + ".name",
              quote(name) + " is not a valid volume name",
              "use lowercase letters, digits and '-', at most 63 characters");
        }
      }
      String kind = volumeKind(path, name, v);
      if (name != null) {
        kinds.putIfAbsent(name, kind);
      }
    }
    List<VolumeMount> mounts = pod.getVolumeMounts() == null ? List.of() : pod.getVolumeMounts();
    Set<String> mountPaths = new HashSet<>();
    for (int i = 0; i < mounts.size(); i++) {
      VolumeMount m = mounts.get(i);
      String path = "spec.pod.volumeMounts[" + i + "]";
      if (m == null) {
        continue;
      }
      if (m.getName() != null && !kinds.containsKey(m.getName())) {
        add(
            path + ".name",
            quote(m.getName()) + " names no volume in spec.pod.volumes",
            kinds.isEmpty()
                ? "add a volume named " + quote(m.getName()) + " to spec.pod.volumes"
                : "name one of " + new TreeSet<>(kinds.keySet()) + ", or add the volume");
      }
      mountPath(path + ".mountPath", m.getMountPath(), mountPaths);
    }
    envNames("spec.pod.env", pod.getEnv());
  }

  /** The kind of a volume (its one source field), reported when it is not one the pods allow. */
  private String volumeKind(String path, String name, Volume v) {
    Map<?, ?> fields = JSON.convertValue(v, Map.class);
    List<String> sources = new ArrayList<>();
    for (Map.Entry<?, ?> e : fields.entrySet()) {
      if (!"name".equals(e.getKey()) && e.getValue() != null) {
        sources.add(String.valueOf(e.getKey()));
      }
    }
    String allowed =
        "use configMap, secret, emptyDir, projected, downwardAPI or persistentVolumeClaim";
    if (sources.isEmpty()) {
      return "emptyDir"; // Kubernetes defaults a volume without a source to an emptyDir
    }
    if (sources.size() > 1) {
      add(
          path,
          (name == null ? "has" : quote(name) + " has") + " more than one source " + sources,
          "give each volume exactly one; " + allowed);
      return sources.get(0);
    }
    String kind = sources.get(0);
    if (!VOLUME_KINDS.contains(kind)) {
      add(
          path,
          (name == null ? "is a " : quote(name) + " is a ")
              + kind
              + " volume"
              + (kind.equals("hostPath")
                  ? ": the operator's pods do not mount node paths"
                  : ", which the operator's pods do not mount"),
          allowed);
    }
    return kind;
  }

  private void mountPath(String path, String mountPath, Set<String> seen) {
    if (mountPath == null) {
      return;
    }
    String fix = "mount at an absolute path of its own, e.g. /etc/shop or /var/lib/shop";
    if (!mountPath.startsWith("/")) {
      add(path, quote(mountPath) + " is not an absolute path", fix);
      return;
    }
    String normal = normalize(mountPath);
    if (normal.equals("/")) {
      add(path, quote(mountPath) + " would hide the whole image", fix);
    } else if (normal.equals(TMP_PATH) || normal.startsWith(TMP_PATH + "/")) {
      add(
          path,
          quote(mountPath) + " is in /tmp, the operator's writable emptyDir",
          fix + "; use /tmp itself for scratch files");
    } else if (hidesTheImage(normal) != null) {
      add(
          path,
          quote(mountPath)
              + " would hide "
              + hidesTheImage(normal)
              + ", part of the release's image",
          fix);
    } else if (!seen.add(normal)) {
      add(path, quote(mountPath) + " is mounted twice", "give each mount its own path");
    }
  }

  /** The image directory a mount at {@code normal} would cover, or null. */
  private static String hidesTheImage(String normal) {
    for (String p : IMAGE_PATHS) {
      if (p.equals(normal) || p.startsWith(normal + "/")) {
        return p;
      }
    }
    return null;
  }

  /** An absolute path with '.', '..' and repeated or trailing '/' resolved. */
  static String normalize(String absolute) {
    List<String> parts = new ArrayList<>();
    for (String part : absolute.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!parts.isEmpty()) {
          parts.remove(parts.size() - 1);
        }
      } else {
        parts.add(part);
      }
    }
    return "/" + String.join("/", parts);
  }

  private void envNames(String path, List<EnvVar> env) {
    if (env == null) {
      return;
    }
    Map<String, Integer> first = new HashMap<>();
    for (int i = 0; i < env.size(); i++) {
      EnvVar e = env.get(i);
      if (e == null || e.getName() == null) {
        continue;
      }
      Integer before = first.putIfAbsent(e.getName(), i);
      if (before != null) {
        add(
            path + "[" + i + "].name",
            quote(e.getName()) + " is already set at " + path + "[" + before + "]",
            "keep one of them");
      }
    }
  }

  private void add(String path, String what, String fix) {
    problems.add(path, what, fix);
  }

  /** Quotes user text, cut when long so that a condition stays readable. */
  static String quote(String s) {
    String t = s.length() > 100 ? s.substring(0, 100) + "\u2026" : s;
    StringBuilder b = new StringBuilder("'");
    t.codePoints()
        .forEach(
            c -> {
              if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", c));
              } else {
                b.appendCodePoint(c);
              }
            });
    return b.append('\'').toString();
  }
}
