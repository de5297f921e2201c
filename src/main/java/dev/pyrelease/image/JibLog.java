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

  private final Consumer<String> progress;

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
