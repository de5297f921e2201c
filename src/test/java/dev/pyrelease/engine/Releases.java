package dev.pyrelease.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small release manifests with inline requirements for the integration tests. */
final class Releases {
  private Releases() {}

  static Path write(Path dir, String name, String requirements, boolean requireHashes)
      throws IOException {
    StringBuilder inline = new StringBuilder();
    for (String line : requirements.split("\n")) {
      inline.append("      ").append(line).append('\n');
    }
    String yaml =
        "apiVersion: pyrelease.dev/v1alpha1\n"
            + "kind: PythonRelease\n"
            + "metadata:\n"
            + "  name: "
            + name
            + "\n"
            + "spec:\n"
            + "  source:\n"
            + "    git: {url: https://git.internal/"
            + name
            + ".git, ref: main}\n"
            + "    path: .\n"
            + "  requirements:\n"
            + "    requireHashes: "
            + requireHashes
            + "\n"
            + "    inline: |\n"
            + inline
            + "  index:\n"
            + "    url: http://127.0.0.1:8081/simple/\n"
            + "  python:\n"
            + "    version: \"3.11\"\n"
            + "  image:\n"
            + "    repository: 127.0.0.1:5000/it/"
            + name
            + "\n"
            + "  run:\n"
            + "    command: [python, -m, http.server, \"8000\"]\n";
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
    return file;
  }

  /** A plain-files app: one module. */
  static Path plainApp(Path dir) throws IOException {
    Path app = dir.resolve("plain-app");
    Files.createDirectories(app);
    Files.writeString(app.resolve("hello.py"), "print('hello')\n", StandardCharsets.UTF_8);
    return app;
  }
}
