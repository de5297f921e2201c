package dev.pyrelease.reconciler;

import dev.pyrelease.release.BaseDigests;
import dev.pyrelease.source.SourceException;
import dev.pyrelease.status.ConditionTypes;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;

/**
 * What a reconcile that threw tells the user: the condition it sets, whether a retry can help, and
 * whether it was expected (an outside system, a missing object) or a bug (then the log keeps the
 * stack trace). Every exception gets one: nothing a reconcile meets stays off the status.
 *
 * @param terminal no retry helps; a change of the spec (or of the named Secret) does
 * @param quiet a race retried at once (409 on a stale cache): not worth a status write
 */
record Failure(
    String conditionType,
    String reason,
    String message,
    boolean terminal,
    boolean expected,
    boolean quiet) {

  static Failure of(Exception e) {
    Throwable t = e;
    while (t instanceof RuntimeException && t.getCause() instanceof Exception c && !known(t)) {
      t = c; // JOSDK and fabric8 wrap; classify what is inside
    }
    if (t instanceof SourceException s) {
      return source(s);
    }
    if (t instanceof SecretProblem s) {
      return new Failure(
          ConditionTypes.SOURCE_RESOLVED, s.reason(), s.getMessage(), s.terminal(), true, false);
    }
    if (t instanceof ForeignObjectException f) {
      return new Failure(ConditionTypes.READY, "NameTaken", f.getMessage(), true, true, false);
    }
    if (t instanceof BaseDigests.UnavailableException u) {
      return new Failure(
          ConditionTypes.BUILT,
          "RegistryUnavailable",
          "spec.python.baseImage: the registry could not be asked for the base's digest: "
              + u.getMessage(),
          false,
          true,
          false);
    }
    if (t instanceof KubernetesClientException k) {
      if (k.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return new Failure(ConditionTypes.READY, "Conflict", k.getMessage(), false, true, true);
      }
      return new Failure(
          ConditionTypes.DEGRADED,
          "ApiServerError",
          "the Kubernetes API answered " + k.getCode() + ": " + k.getMessage(),
          false,
          true,
          false);
    }
    return new Failure(
        ConditionTypes.DEGRADED,
        "ReconcileError",
        t.getClass().getSimpleName() + ": " + t.getMessage(),
        false,
        false,
        false);
  }

  private static boolean known(Throwable t) {
    return t instanceof SourceException
        || t instanceof SecretProblem
        || t instanceof ForeignObjectException
        || t instanceof KubernetesClientException;
  }

  private static Failure source(SourceException s) {
    String type = ConditionTypes.SOURCE_RESOLVED;
    return switch (s.kind()) {
      case NOT_FOUND -> new Failure(type, "UnknownRef", s.getMessage(), true, true, false);
      case PATH_NOT_FOUND -> new Failure(type, "PathNotFound", s.getMessage(), true, true, false);
      case INVALID -> new Failure(type, "InvalidSource", s.getMessage(), true, true, false);
      case UNSUPPORTED -> new Failure(type, "UnsupportedSource", s.getMessage(), true, true, false);
      case UNAUTHORIZED -> new Failure(type, "GitUnauthorized", s.getMessage(), false, true, false);
      case HOST_KEY_REJECTED ->
          new Failure(type, "HostKeyRejected", s.getMessage(), false, true, false);
      case UNREACHABLE -> new Failure(type, "GitUnreachable", s.getMessage(), false, true, false);
      default -> new Failure(type, "GitError", s.getMessage(), false, true, false);
    };
  }
}
