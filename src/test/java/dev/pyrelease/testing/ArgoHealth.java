package dev.pyrelease.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs Argo CD's health check for PythonReleases ({@code deploy/argocd/health.lua}) the way Argo CD
 * does — the object as a Lua table in the global {@code obj}, the script's returned table the
 * health — in Debian's {@code lua5.1} (Argo CD runs gopher-lua, a Lua 5.1 dialect; {@code
 * scripts/testenv} installs it).
 */
public final class ArgoHealth {
  public static final Path SCRIPT = Path.of("deploy/argocd/health.lua");

  public record Health(String status, String message) {}

  private ArgoHealth() {}

  /** The health of a PythonRelease given as an object (a fabric8 model or a JSON tree). */
  public static Health of(Object release) {
    JsonNode obj = release instanceof JsonNode j ? j : new ObjectMapper().valueToTree(release);
    try {
      Path harness = Files.createTempFile("argo-health", ".lua");
      try {
        Files.writeString(
            harness,
            "obj = "
                + lua(obj)
                + "\nlocal hs = dofile("
                + quote(SCRIPT.toAbsolutePath().toString())
                + ")\nio.write(tostring(hs.status), \"\\n\", tostring(hs.message))\n",
            StandardCharsets.UTF_8);
        Process p =
            new ProcessBuilder("lua5.1", harness.toString()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
          throw new IllegalStateException(
              "lua5.1 failed: " + new String(out, StandardCharsets.UTF_8));
        }
        String text = new String(out, StandardCharsets.UTF_8);
        int nl = text.indexOf('\n');
        return new Health(text.substring(0, nl), text.substring(nl + 1));
      } finally {
        Files.deleteIfExists(harness);
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot run lua5.1 (scripts/testenv up installs Debian's lua5.1): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A JSON tree as a Lua table constructor: arrays 1-indexed, nulls left out (nil). */
  public static String lua(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return "nil";
    }
    if (n.isObject()) {
      StringBuilder b = new StringBuilder("{");
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue().isNull()) {
          continue;
        }
        b.append('[').append(quote(e.getKey())).append("]=").append(lua(e.getValue())).append(',');
      }
      return b.append('}').toString();
    }
    if (n.isArray()) {
      StringBuilder b = new StringBuilder("{");
      for (JsonNode e : n) {
        b.append(lua(e)).append(',');
      }
      return b.append('}').toString();
    }
    if (n.isNumber() || n.isBoolean()) {
      return n.asText();
    }
    return quote(n.asText());
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      int c = x & 0xff;
      if (c == '"' || c == '\\') {
        b.append('\\').append((char) c);
      } else if (c < 0x20 || c >= 0x7f) {
        b.append('\\').append(c); // decimal escape, one byte: Lua strings are bytes
      } else {
        b.append((char) c);
      }
    }
    return b.append('"').toString();
  }
}
