package dev.pyrelease.image;

import com.google.cloud.tools.jib.api.LogEvent;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jib's log events of one containerize: the lines worth showing go to {@code progress}, and the
 * blobs Jib found already in the registry are noted, since Jib reports which layers it uploaded in
 * no other way.
 */
final class JibLog implements Consumer<LogEvent> {
  private static final Pattern SKIPPED_BLOB =
      Pattern.compile(
          "Skipping push; BLOB already exists on target registry\\s*:\\s*(?:digest:\\s*)?"
              + "(sha256:[0-9a-f]{64})");

  /**
   * Jib tries HTTPS first and says so in lines that read like failures ("Failed to connect …
   * Attempting again with HTTP") on every plain-HTTP registry an insecure build was allowed.
   */
  private static final Pattern FALLBACK =
      Pattern.compile(
          "^(?:Cannot verify server at|Failed to connect to) https://([^/]+)/.*"
              + "Attempting again with (?:no TLS verification|HTTP)\\.?$");

  private final Consumer<String> progress;

  /** Registries already said to be plain HTTP or unverified. */
  private final Set<String> fellBack = ConcurrentHashMap.newKeySet();

  /** Jib calls from its own threads. */
  private final Set<String> skipped = ConcurrentHashMap.newKeySet();

  JibLog(Consumer<String> progress) {
    this.progress = progress;
  }

  /** Whether Jib uploaded the blob: it did not say the registry had it already. */
  boolean uploaded(String digest) {
    return !skipped.contains(digest);
  }

  @Override
  public void accept(LogEvent e) {
    Matcher m = SKIPPED_BLOB.matcher(e.getMessage());
    if (m.find()) {
      skipped.add(m.group(1));
    }
    String msg = e.getMessage();
    Matcher fallback = FALLBACK.matcher(msg);
    if (fallback.matches()) {
      if (fellBack.add(fallback.group(1))) {
        progress.accept(
            "registry "
                + fallback.group(1)
                + " is reached without verified TLS (allowed by --insecure-registry)");
      }
      return;
    }
    switch (e.getLevel()) {
      case ERROR, WARN, LIFECYCLE -> progress.accept(msg);
      case PROGRESS, INFO -> {
        // Jib lists every file of every layer at INFO: thousands of lines for a Django venv
        if (!msg.startsWith("\t")
            && !msg.startsWith("Containerizing application with the following")
            && !msg.isBlank()) {
          progress.accept(msg);
        }
      }
      default -> {}
    }
  }
}
