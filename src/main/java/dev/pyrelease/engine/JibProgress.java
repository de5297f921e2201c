package dev.pyrelease.engine;

import java.io.PrintWriter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jib's progress lines for the log (stderr), without the per-file listing, and a record of the
 * blobs Jib did not push because the registry had them ("Skipping push; BLOB already exists on
 * target registry : digest: sha256:..., size: ..."), so that the layer table says "reused" for
 * them.
 */
public final class JibProgress implements Consumer<String> {
  private static final Pattern SKIPPED =
      Pattern.compile(
          "Skipping push; BLOB already exists on target registry\\s*:.*?(sha256:[0-9a-f]{64})");

  private final PrintWriter log;
  private final Set<String> skipped = ConcurrentHashMap.newKeySet();
  private final long start = System.nanoTime();

  private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*m");

  public JibProgress(PrintWriter log) {
    this.log = log;
  }

  @Override
  public void accept(String line) {
    if (line == null) {
      return;
    }
    Matcher m = SKIPPED.matcher(line);
    if (m.find()) {
      skipped.add(m.group(1));
    }
    if (line.startsWith("\t") || line.isBlank()) {
      return; // the file listing of each layer: thousands of lines
    }
    // Jib colours its warnings for a terminal; stderr here is usually a log or a pipe
    line = ANSI.matcher(line).replaceAll("");
    synchronized (log) {
      log.printf(
          java.util.Locale.ROOT, "[jib %5.1fs] %s%n", (System.nanoTime() - start) / 1e9, line);
      log.flush();
    }
  }

  /** Whether the registry already had this blob, so Jib did not push it. */
  public boolean wasSkipped(String digest) {
    return skipped.contains(digest);
  }
}
