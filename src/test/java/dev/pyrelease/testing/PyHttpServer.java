package dev.pyrelease.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code python3 -m http.server} on 127.0.0.1, a port of its choosing; stops exactly that process.
 */
public final class PyHttpServer implements AutoCloseable {
  private static final Pattern PORT = Pattern.compile("port (\\d+)");
  private final Process process;
  final int port;

  private PyHttpServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  public static PyHttpServer start(Path directory) throws IOException {
    Process p =
        new ProcessBuilder(
                "python3",
                "-u",
                "-m",
                "http.server",
                "--bind",
                "127.0.0.1",
                "0",
                "--directory",
                directory.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine(); // "Serving HTTP on 127.0.0.1 port 40123 (http://...) ..."
    Matcher m = line == null ? null : PORT.matcher(line);
    if (m == null || !m.find()) {
      p.destroyForcibly();
      throw new IOException("python3 -m http.server did not start: " + line);
    }
    return new PyHttpServer(p, Integer.parseInt(m.group(1)));
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port + "/" + path;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }
}
