package dev.pyrelease.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs a Kubernetes {@link PodSpec} with podman, as a kubelet on one node would: emptyDir volumes
 * are host directories (mode 0777), secret volumes are files written from the Secrets (mode and
 * items honoured, group = the pod's fsGroup), each container's termination message path is a host
 * file, and the user, group, fsGroup, read-only root, capabilities, no-new-privileges, resources,
 * command/args, env and working directory are podman options. {@code envFrom} Secrets are read from
 * the API server as the kubelet reads them (a missing one that is not optional: the pod does not
 * start) and handed to podman in an env file of the pod's directory, {@code env} winning over them
 * as in Kubernetes. {@code shareProcessNamespace: true} puts an init as PID 1 of each container
 * ({@code podman run --init}, Debian's catatonit, standing in for the pod's pause process): the app
 * is not PID 1, so SIGTERM's default action stops a program that installs no handler, as in the
 * pod; {@link #stop} stops a container as the kubelet does at a scale-down (SIGTERM, SIGKILL after
 * {@code terminationGracePeriodSeconds}, default 30). {@code imagePullSecrets} are not used: the
 * loopback test registry is anonymous and podman pulls without them. Liveness and startup probes
 * (httpGet only) are not run on a period: {@link #probe} asks one when the test wants it. The pod
 * network is the host's ({@code host}: the loopback registry, index and git repository), none
 * ({@code none}: loopback only), or one of its own that reaches the host's loopback at {@link
 * #HOST_FROM_POD} ({@link #POD_NETWORK}: two revisions listen on the same port and both reach the
 * test's database, as pods reach a Service).
 *
 * <p>Every field of the pod spec and of each container is checked against what this runner honours
 * (or may ignore on a one-node host, such as scheduling hints): anything else throws {@link
 * Unsupported}, so a spec this runner cannot execute faithfully fails the test instead of being run
 * differently.
 */
final class PodRunner {
  /** A pod spec field this runner cannot honour. */
  static final class Unsupported extends IllegalArgumentException {
    Unsupported(String what) {
      super("PodRunner cannot honour " + what);
    }
  }

  /** One container as podman runs it. */
  record Invocation(
      String container,
      List<String> argv,
      Path terminationFile,
      Path cidFile,
      boolean fallbackToLogs) {}

  /** What a finished container left: exit code, termination message, output. */
  record Finished(String container, int exitCode, String message, String log, double seconds) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A network namespace per container that reaches the host's 127.0.0.1 at {@link #HOST_FROM_POD}.
   */
  static final String POD_NETWORK = "slirp4netns:allow_host_loopback=true";

  /** The host's loopback as a container on {@link #POD_NETWORK} sees it. */
  static final String HOST_FROM_POD = "10.0.2.2";

  /** The kubelet's default grace period between SIGTERM and SIGKILL. */
  static final long DEFAULT_GRACE_SECONDS = 30;

  // pod spec fields: honoured below, or meaningless for one pod on one host (scheduling)
  private static final Set<String> POD_FIELDS =
      Set.of(
          "containers",
          "initContainers",
          "volumes",
          "securityContext",
          "restartPolicy",
          "automountServiceAccountToken",
          "enableServiceLinks",
          "terminationGracePeriodSeconds",
          "nodeSelector",
          "affinity",
          "tolerations",
          "topologySpreadConstraints",
          "priorityClassName",
          "schedulerName",
          "dnsPolicy",
          "shareProcessNamespace",
          // not used: the loopback test registry is anonymous (see the class comment)
          "imagePullSecrets");
  private static final Set<String> CONTAINER_FIELDS =
      Set.of(
          "name",
          "image",
          "imagePullPolicy",
          "command",
          "args",
          "workingDir",
          "env",
          "envFrom",
          "ports",
          "resources",
          "securityContext",
          "volumeMounts",
          "terminationMessagePath",
          "terminationMessagePolicy",
          "readinessProbe",
          "livenessProbe",
          "startupProbe");
  private static final Set<String> POD_SECURITY =
      Set.of("runAsUser", "runAsGroup", "runAsNonRoot", "fsGroup", "seccompProfile");
  private static final Set<String> CONTAINER_SECURITY =
      Set.of(
          "runAsUser",
          "runAsGroup",
          "runAsNonRoot",
          "readOnlyRootFilesystem",
          "allowPrivilegeEscalation",
          "capabilities",
          "seccompProfile");

  private final String podman;
  private final String network;
  private final Function<String, Secret> secrets;
  private final Path dir;
  private final Map<String, Path> volumes = new LinkedHashMap<>();
  private final PodSpec spec;
  private final String podName;
  private final List<String> started = new ArrayList<>();

  /**
   * @param podName a name for the pod's containers ({@code <podName>-<container>})
   * @param secrets the namespace's Secrets by name (null when missing: the pod would not start)
   * @param dir where this pod's volumes and termination files live
   * @param network {@code host} (the pod reaches the loopback registry, index and git repo), {@code
   *     none} (a pod network namespace of its own with loopback only: two revisions can listen on
   *     the same container port, unmodified; the test reaches them with {@link #get}) or {@link
   *     #POD_NETWORK} (as none, and the host's loopback is reachable at {@link #HOST_FROM_POD})
   */
  PodRunner(
      String podman,
      String podName,
      PodSpec spec,
      Function<String, Secret> secrets,
      Path dir,
      String network) {
    this.podman = podman;
    this.network = network;
    this.podName = podName;
    this.spec = spec;
    this.secrets = secrets;
    this.dir = dir;
    check(spec);
  }

  // ---------------------------------------------------------------- what can be honoured

  static void check(PodSpec spec) {
    fieldsWithin("pod spec", spec, POD_FIELDS);
    if (spec.getSecurityContext() != null) {
      fieldsWithin("pod securityContext", spec.getSecurityContext(), POD_SECURITY);
      seccomp("pod", spec.getSecurityContext().getSeccompProfile());
    }
    if (!Boolean.FALSE.equals(spec.getAutomountServiceAccountToken())) {
      throw new Unsupported("a service account token (automountServiceAccountToken is not false)");
    }
    if (spec.getDnsPolicy() != null && !"ClusterFirst".equals(spec.getDnsPolicy())) {
      throw new Unsupported("dnsPolicy " + spec.getDnsPolicy());
    }
    for (Volume v : spec.getVolumes()) {
      ObjectNode n = JSON.valueToTree(v);
      n.remove("name");
      if (n.size() != 1 || !(n.has("emptyDir") || n.has("secret"))) {
        throw new Unsupported("volume " + v.getName() + " of kind " + n.fieldNames().next());
      }
      if (v.getEmptyDir() != null
          && (v.getEmptyDir().getMedium() != null && !v.getEmptyDir().getMedium().isEmpty()
              || v.getEmptyDir().getSizeLimit() != null)) {
        throw new Unsupported("emptyDir medium/sizeLimit of volume " + v.getName());
      }
      if (v.getSecret() != null && Boolean.TRUE.equals(v.getSecret().getOptional())) {
        throw new Unsupported("optional secret volume " + v.getName());
      }
    }
    List<Container> all = new ArrayList<>(spec.getInitContainers());
    all.addAll(spec.getContainers());
    for (Container c : all) {
      String what = "container " + c.getName();
      fieldsWithin(what, c, CONTAINER_FIELDS);
      if (c.getSecurityContext() != null) {
        fieldsWithin(what + " securityContext", c.getSecurityContext(), CONTAINER_SECURITY);
        seccomp(what, c.getSecurityContext().getSeccompProfile());
        var caps = c.getSecurityContext().getCapabilities();
        if (caps != null && caps.getAdd() != null && !caps.getAdd().isEmpty()) {
          throw new Unsupported(what + " capabilities.add " + caps.getAdd());
        }
      }
      for (EnvVar e : c.getEnv()) {
        if (e.getValueFrom() != null) {
          throw new Unsupported(what + " env " + e.getName() + " valueFrom");
        }
      }
      for (EnvFromSource e : c.getEnvFrom() == null ? List.<EnvFromSource>of() : c.getEnvFrom()) {
        if (e.getSecretRef() == null || e.getConfigMapRef() != null) {
          throw new Unsupported(what + " envFrom other than a secretRef: " + e);
        }
      }
      for (VolumeMount m : c.getVolumeMounts()) {
        fieldsWithin(
            what + " volumeMount " + m.getName(), m, Set.of("name", "mountPath", "readOnly"));
        if (spec.getVolumes().stream().noneMatch(v -> v.getName().equals(m.getName()))) {
          throw new Unsupported(what + " mount of the undeclared volume " + m.getName());
        }
      }
      if (c.getPorts() != null) {
        for (var p : c.getPorts()) {
          if (p.getHostPort() != null || p.getHostIP() != null) {
            throw new Unsupported(what + " hostPort/hostIP");
          }
          if (p.getProtocol() != null && !"TCP".equals(p.getProtocol())) {
            throw new Unsupported(what + " port protocol " + p.getProtocol());
          }
        }
      }
      if (c.getTerminationMessagePolicy() != null
          && !"File".equals(c.getTerminationMessagePolicy())
          && !"FallbackToLogsOnError".equals(c.getTerminationMessagePolicy())) {
        throw new Unsupported(
            what + " terminationMessagePolicy " + c.getTerminationMessagePolicy());
      }
      httpProbe(what + " readinessProbe", c.getReadinessProbe());
      httpProbe(what + " livenessProbe", c.getLivenessProbe());
      httpProbe(what + " startupProbe", c.getStartupProbe());
    }
    for (Container c : spec.getInitContainers()) {
      if (c.getPorts() != null && !c.getPorts().isEmpty()
          || c.getReadinessProbe() != null
          || c.getLivenessProbe() != null
          || c.getStartupProbe() != null) {
        throw new Unsupported("init container " + c.getName() + " ports/probes");
      }
    }
  }

  private static void httpProbe(String what, Probe p) {
    if (p != null && (p.getHttpGet() == null || p.getHttpGet().getHost() != null)) {
      throw new Unsupported(what + " other than httpGet on the pod");
    }
    if (p != null
        && p.getHttpGet().getHttpHeaders() != null
        && !p.getHttpGet().getHttpHeaders().isEmpty()) {
      throw new Unsupported(what + " httpHeaders");
    }
    if (p != null
        && p.getHttpGet().getScheme() != null
        && !"HTTP".equals(p.getHttpGet().getScheme())) {
      throw new Unsupported(what + " scheme " + p.getHttpGet().getScheme());
    }
  }

  private static void seccomp(String what, io.fabric8.kubernetes.api.model.SeccompProfile p) {
    if (p != null && !"RuntimeDefault".equals(p.getType())) {
      throw new Unsupported(what + " seccompProfile " + p.getType());
    }
  }

  private static void fieldsWithin(String what, Object o, Set<String> allowed) {
    ObjectNode n = JSON.valueToTree(o);
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      var v = n.get(f);
      boolean empty = v.isNull() || (v.isContainerNode() && v.isEmpty());
      if (!empty && !allowed.contains(f)) {
        throw new Unsupported(what + " field '" + f + "' = " + v);
      }
    }
  }

  // ---------------------------------------------------------------- translation

  /** Creates the pod's volumes: emptyDirs as 0777 directories, secrets as files. */
  void prepareVolumes() throws IOException {
    Files.createDirectories(dir);
    Long fsGroup =
        spec.getSecurityContext() == null ? null : spec.getSecurityContext().getFsGroup();
    for (Volume v : spec.getVolumes()) {
      Path p = dir.resolve("volumes").resolve(v.getName());
      Files.createDirectories(p);
      if (v.getEmptyDir() != null) {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxrwxrwx"));
      } else {
        Secret s = secrets.apply(v.getSecret().getSecretName());
        if (s == null) {
          throw new IllegalStateException(
              "secret " + v.getSecret().getSecretName() + " is missing: the pod would not start");
        }
        Map<String, byte[]> data = secretData(s);
        int mode = v.getSecret().getDefaultMode() == null ? 0644 : v.getSecret().getDefaultMode();
        Map<String, String> files = new LinkedHashMap<>();
        if (v.getSecret().getItems() == null || v.getSecret().getItems().isEmpty()) {
          data.keySet().forEach(k -> files.put(k, k));
        } else {
          for (KeyToPath i : v.getSecret().getItems()) {
            if (!data.containsKey(i.getKey())) {
              throw new IllegalStateException(
                  "secret " + s.getMetadata().getName() + " has no key " + i.getKey());
            }
            if (i.getMode() != null || i.getPath().contains("/")) {
              throw new Unsupported("secret item mode / nested path in " + v.getName());
            }
            files.put(i.getKey(), i.getPath());
          }
        }
        for (var e : files.entrySet()) {
          Path f = p.resolve(e.getValue());
          Files.write(f, data.get(e.getKey()));
          Files.setPosixFilePermissions(f, perms(mode));
          if (fsGroup != null) {
            chown(f, "0:" + fsGroup);
          }
        }
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
      volumes.put(v.getName(), p);
    }
  }

  /**
   * The podman command line of one container ({@code podman run} in the foreground for init and Job
   * containers, {@code -d} for long-running ones); {@code sameMounts} are host paths mounted at the
   * same path (read-only): the file:// git repository.
   */
  Invocation invocation(Container c, boolean detached, List<Path> sameMounts) {
    List<String> a = new ArrayList<>(List.of(podman, "run"));
    Path cid = dir.resolve(c.getName() + ".cid");
    a.add("--cidfile=" + cid);
    a.add("--name=" + podName + "-" + c.getName());
    a.add(detached ? "-d" : "--attach=stdout");
    if (!detached) {
      a.add("--attach=stderr");
    }
    a.add("--network=" + network);
    if (Boolean.TRUE.equals(spec.getShareProcessNamespace())) {
      // the pod's pause process is PID 1, not the app: an init (catatonit) in its place
      a.add("--init");
    }
    long grace =
        spec.getTerminationGracePeriodSeconds() == null
            ? DEFAULT_GRACE_SECONDS
            : spec.getTerminationGracePeriodSeconds();
    a.add("--stop-timeout=" + grace);
    if (detached) {
      String restart = spec.getRestartPolicy() == null ? "Always" : spec.getRestartPolicy();
      if (!"Always".equals(restart)) {
        throw new Unsupported("a long-running pod with restartPolicy " + restart);
      }
      a.add("--restart=always");
    } else if (!"Never".equals(spec.getRestartPolicy())) {
      throw new Unsupported(
          "a run-to-completion pod with restartPolicy " + spec.getRestartPolicy());
    }
    a.add("--pull=" + pull(c.getImagePullPolicy()));
    PodSecurityContext psc = spec.getSecurityContext();
    SecurityContext sc = c.getSecurityContext();
    Long uid =
        first(sc == null ? null : sc.getRunAsUser(), psc == null ? null : psc.getRunAsUser());
    Long gid =
        first(sc == null ? null : sc.getRunAsGroup(), psc == null ? null : psc.getRunAsGroup());
    Boolean nonRoot =
        first(sc == null ? null : sc.getRunAsNonRoot(), psc == null ? null : psc.getRunAsNonRoot());
    if (Boolean.TRUE.equals(nonRoot) && (uid == null || uid == 0)) {
      throw new Unsupported(
          "runAsNonRoot without a non-zero runAsUser (the image's USER is not checked)");
    }
    if (uid != null) {
      a.add("--user=" + uid + (gid == null ? "" : ":" + gid));
    } else if (gid != null) {
      throw new Unsupported("runAsGroup without runAsUser");
    }
    if (psc != null && psc.getFsGroup() != null) {
      a.add("--group-add=" + psc.getFsGroup());
    }
    if (sc != null) {
      if (Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())) {
        a.add("--read-only");
        a.add("--read-only-tmpfs=false");
      }
      if (Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
        a.add("--security-opt=no-new-privileges");
      }
      if (sc.getCapabilities() != null && sc.getCapabilities().getDrop() != null) {
        for (String cap : sc.getCapabilities().getDrop()) {
          a.add("--cap-drop=" + cap);
        }
      }
    }
    if (c.getResources() != null) {
      Map<String, Quantity> limits = c.getResources().getLimits();
      if (limits != null) {
        for (var e : limits.entrySet()) {
          switch (e.getKey()) {
            case "cpu" ->
                a.add("--cpus=" + Quantity.getAmountInBytes(e.getValue()).toPlainString());
            case "memory" ->
                a.add(
                    "--memory="
                        + Quantity.getAmountInBytes(e.getValue()).toBigInteger().toString());
            default -> throw new Unsupported(c.getName() + " resource limit " + e.getKey());
          }
        }
      }
    }
    if (c.getWorkingDir() != null) {
      a.add("--workdir=" + c.getWorkingDir());
    }
    Path envFile = envFromFile(c);
    if (envFile != null) {
      a.add("--env-file=" + envFile);
    }
    for (EnvVar e : c.getEnv()) {
      a.add("--env=" + e.getName() + "=" + (e.getValue() == null ? "" : e.getValue()));
    }
    for (VolumeMount m : c.getVolumeMounts()) {
      Path host = volumes.get(m.getName());
      if (host == null) {
        throw new IllegalStateException("prepareVolumes() first: no volume " + m.getName());
      }
      a.add(
          "--volume="
              + host
              + ":"
              + m.getMountPath()
              + (Boolean.TRUE.equals(m.getReadOnly()) ? ":ro" : ":rw"));
    }
    for (Path p : sameMounts) {
      a.add("--volume=" + p + ":" + p + ":ro");
    }
    String tmPath =
        c.getTerminationMessagePath() == null
            ? "/dev/termination-log"
            : c.getTerminationMessagePath();
    Path tm = dir.resolve(c.getName() + ".termination-log");
    a.add("--volume=" + tm + ":" + tmPath + ":rw");
    if (c.getCommand() != null && !c.getCommand().isEmpty()) {
      // Kubernetes: command replaces ENTRYPOINT and drops the image's CMD; podman resets CMD too
      a.add("--entrypoint=" + json(c.getCommand()));
    }
    a.add(c.getImage());
    if (c.getArgs() != null) {
      a.addAll(c.getArgs());
    }
    return new Invocation(
        c.getName(), a, tm, cid, "FallbackToLogsOnError".equals(c.getTerminationMessagePolicy()));
  }

  /**
   * The container's {@code envFrom} Secrets as the kubelet resolves them (in order, a later source
   * winning, each key with the source's prefix; a name also in {@code env} is left to {@code env}),
   * written to a 0600 env file of the pod's directory so that no value is on a command line or in a
   * log; null when there is none.
   */
  private Path envFromFile(Container c) {
    if (c.getEnvFrom() == null || c.getEnvFrom().isEmpty()) {
      return null;
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (EnvFromSource from : c.getEnvFrom()) {
      String name = from.getSecretRef().getName();
      Secret s = secrets.apply(name);
      if (s == null) {
        if (Boolean.TRUE.equals(from.getSecretRef().getOptional())) {
          continue;
        }
        throw new IllegalStateException(
            "secret "
                + name
                + " (envFrom of "
                + c.getName()
                + ") is missing: the pod would not"
                + " start");
      }
      String prefix = from.getPrefix() == null ? "" : from.getPrefix();
      secretData(s)
          .forEach((k, v) -> values.put(prefix + k, new String(v, StandardCharsets.UTF_8)));
    }
    c.getEnv().forEach(e -> values.remove(e.getName()));
    StringBuilder b = new StringBuilder();
    for (var e : values.entrySet()) {
      if (e.getValue().contains("\n") || e.getValue().contains("\r")) {
        throw new Unsupported("a multi-line envFrom value (" + e.getKey() + ") in an env file");
      }
      b.append(e.getKey()).append('=').append(e.getValue()).append('\n');
    }
    try {
      Files.createDirectories(dir);
      Path f = dir.resolve(c.getName() + ".env");
      Files.deleteIfExists(f);
      Files.createFile(f, PosixFilePermissions.asFileAttribute(perms(0600)));
      Files.writeString(f, b);
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, byte[]> secretData(Secret s) {
    Map<String, byte[]> data = new LinkedHashMap<>();
    if (s.getData() != null) {
      s.getData().forEach((k, b64) -> data.put(k, Base64.getDecoder().decode(b64)));
    }
    if (s.getStringData() != null) {
      s.getStringData().forEach((k, t) -> data.put(k, t.getBytes(StandardCharsets.UTF_8)));
    }
    return data;
  }

  /**
   * Service links ({@code enableServiceLinks} not false) add env for every Service with a cluster
   * IP; the mock API server assigns none, so there are none to add. A Service with one cannot be
   * honoured here.
   */
  static void checkServiceLinks(PodSpec spec, List<io.fabric8.kubernetes.api.model.Service> all) {
    if (Boolean.FALSE.equals(spec.getEnableServiceLinks())) {
      return;
    }
    for (var s : all) {
      String ip = s.getSpec() == null ? null : s.getSpec().getClusterIP();
      if (ip != null && !ip.isEmpty() && !"None".equals(ip)) {
        throw new Unsupported("service links to " + s.getMetadata().getName() + " (" + ip + ")");
      }
    }
  }

  /** Runs the pod's init containers in order, then its one container, each to completion. */
  List<Finished> runToCompletion(List<Path> sameMounts, Function<Invocation, Invocation> edit)
      throws IOException, InterruptedException {
    if (spec.getContainers().size() != 1) {
      throw new Unsupported(
          "a run-to-completion pod with " + spec.getContainers().size() + " containers");
    }
    prepareVolumes();
    List<Finished> done = new ArrayList<>();
    List<Container> order = new ArrayList<>(spec.getInitContainers());
    order.addAll(spec.getContainers());
    for (Container c : order) {
      Finished f = runOnce(edit.apply(invocation(c, false, sameMounts)));
      done.add(f);
      if (f.exitCode() != 0) {
        break; // restartPolicy Never: the pod failed
      }
    }
    return done;
  }

  private Finished runOnce(Invocation inv) throws IOException, InterruptedException {
    touch(inv.terminationFile());
    Files.deleteIfExists(inv.cidFile());
    long t0 = System.nanoTime();
    Path log = dir.resolve(inv.container() + ".log");
    Process p =
        new ProcessBuilder(inv.argv())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    boolean ended = p.waitFor(10, TimeUnit.MINUTES);
    double secs = (System.nanoTime() - t0) / 1e9;
    remember(inv);
    if (!ended) {
      p.destroyForcibly();
      throw new IllegalStateException(inv.container() + " did not end in 10 minutes");
    }
    String message = Files.readString(inv.terminationFile());
    if (p.exitValue() != 0 && message.isEmpty() && inv.fallbackToLogs()) {
      message = kubeletLogTail(Files.readString(log));
    }
    return new Finished(
        inv.container(),
        p.exitValue(),
        message,
        "$ " + String.join(" ", inv.argv()) + "\n" + Files.readString(log),
        secs);
  }

  /**
   * What the kubelet takes as the message of a failed container with FallbackToLogsOnError and no
   * termination file: the end of its log, 80 lines or 2048 bytes, whichever is smaller.
   */
  static String kubeletLogTail(String log) {
    List<String> lines = log.lines().toList();
    String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
    byte[] b = tail.getBytes(StandardCharsets.UTF_8);
    return b.length <= 2048 ? tail : new String(b, b.length - 2048, 2048, StandardCharsets.UTF_8);
  }

  /** Starts the pod's one container in the background; returns its container id. */
  String start(List<Path> sameMounts) throws IOException, InterruptedException {
    if (spec.getContainers().size() != 1 || !spec.getInitContainers().isEmpty()) {
      throw new Unsupported("a long-running pod other than one container");
    }
    prepareVolumes();
    Invocation inv = invocation(spec.getContainers().get(0), true, sameMounts);
    touch(inv.terminationFile());
    Process p = new ProcessBuilder(inv.argv()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(2, TimeUnit.MINUTES);
    remember(inv);
    if (p.exitValue() != 0) {
      throw new IllegalStateException("podman run failed: " + out);
    }
    return started.get(started.size() - 1);
  }

  private void remember(Invocation inv) throws IOException {
    if (Files.isRegularFile(inv.cidFile())) {
      String id = Files.readString(inv.cidFile()).trim();
      if (!id.isEmpty()) {
        started.add(id);
      }
    }
  }

  /** The ids of every container this runner started. */
  List<String> started() {
    return List.copyOf(started);
  }

  /** Removes (force) every container this runner started, by id. */
  void removeAll() {
    for (String id : started) {
      try {
        new ProcessBuilder(podman, "rm", "-f", "-t", "2", id)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start()
            .waitFor(60, TimeUnit.SECONDS);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    started.clear();
  }

  /**
   * Stops a container as the kubelet stops a pod's at a scale-down: SIGTERM to its process, SIGKILL
   * after the pod's grace period; returns the seconds it took to stop.
   */
  double stop(String id) throws IOException, InterruptedException {
    long grace =
        spec.getTerminationGracePeriodSeconds() == null
            ? DEFAULT_GRACE_SECONDS
            : spec.getTerminationGracePeriodSeconds();
    long t0 = System.nanoTime();
    Process p =
        new ProcessBuilder(podman, "stop", "-t", Long.toString(grace), id)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(grace + 60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("podman stop " + id + " failed: " + out);
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /** Whether the container is running (podman's State.Running). */
  boolean running(String id) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(podman, "inspect", "--format", "{{.State.Running}}", id)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    p.waitFor(30, TimeUnit.SECONDS);
    return "true".equals(out);
  }

  /** Asks an httpGet probe of the pod's container once, as the kubelet would on its period. */
  String probe(String id, Probe probe) throws IOException, InterruptedException {
    var g = probe.getHttpGet();
    int port;
    if (g.getPort().getIntVal() != null) {
      port = g.getPort().getIntVal();
    } else {
      port =
          spec.getContainers().get(0).getPorts().stream()
              .filter(p -> g.getPort().getStrVal().equals(p.getName()))
              .findFirst()
              .orElseThrow(() -> new Unsupported("probe port " + g.getPort().getStrVal()))
              .getContainerPort();
    }
    return get(id, port, g.getPath() == null ? "/" : g.getPath());
  }

  String logs(String id) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(podman, "logs", id).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(30, TimeUnit.SECONDS);
    return out;
  }

  /**
   * An HTTP GET from inside the container's network namespace (as a Service or probe would reach
   * the pod's IP): {@code nsenter} into the container's net namespace runs the host's python3.
   */
  String get(String id, int port, String path) throws IOException, InterruptedException {
    return request(id, "GET", port, path, null);
  }

  /** An HTTP POST of a JSON body from inside the container's network namespace, as {@link #get}. */
  String post(String id, int port, String path, String json)
      throws IOException, InterruptedException {
    return request(id, "POST", port, path, json);
  }

  private String request(String id, String method, int port, String path, String body)
      throws IOException, InterruptedException {
    Process pid =
        new ProcessBuilder(podman, "inspect", "--format", "{{.State.Pid}}", id)
            .redirectErrorStream(true)
            .start();
    String p = new String(pid.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    pid.waitFor(30, TimeUnit.SECONDS);
    Process req =
        new ProcessBuilder(
                "nsenter",
                "--target",
                p,
                "--net",
                "python3",
                "-c",
                "import sys,urllib.request;"
                    + "b=sys.stdin.buffer.read();"
                    + "q=urllib.request.Request('http://127.0.0.1:"
                    + port
                    + path
                    + "',method='"
                    + method
                    + "',data=b if b else None,"
                    + "headers={'Content-Type':'application/json'} if b else {});"
                    + "r=urllib.request.urlopen(q,timeout=5);sys.stdout.write(r.read().decode())")
            .redirectErrorStream(true)
            .start();
    try (var in = req.getOutputStream()) {
      if (body != null) {
        in.write(body.getBytes(StandardCharsets.UTF_8));
      }
    }
    String out = new String(req.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!req.waitFor(30, TimeUnit.SECONDS) || req.exitValue() != 0) {
      throw new IOException(method + " :" + port + path + " in " + id + " failed: " + out);
    }
    return out;
  }

  private static void touch(Path f) throws IOException {
    Files.createDirectories(f.getParent());
    Files.writeString(f, "");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw-rw-"));
  }

  private static void chown(Path f, String owner) throws IOException {
    try {
      Process p = new ProcessBuilder("chown", owner, f.toString()).inheritIO().start();
      if (p.waitFor() != 0) {
        throw new IOException("chown " + owner + " " + f + " failed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static Set<PosixFilePermission> perms(int mode) {
    StringBuilder b = new StringBuilder();
    String rwx = "rwx";
    for (int i = 8; i >= 0; i--) {
      b.append((mode >> i & 1) == 1 ? rwx.charAt(2 - i % 3) : '-');
    }
    return PosixFilePermissions.fromString(b.toString());
  }

  private static String pull(String policy) {
    if (policy == null || "IfNotPresent".equals(policy)) {
      return "missing";
    }
    return switch (policy) {
      case "Always" -> "always";
      case "Never" -> "never";
      default -> throw new Unsupported("imagePullPolicy " + policy);
    };
  }

  private static String json(List<String> list) {
    try {
      return JSON.writeValueAsString(list);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SafeVarargs
  private static <T> T first(T... values) {
    for (T v : values) {
      if (v != null) {
        return v;
      }
    }
    return null;
  }
}
