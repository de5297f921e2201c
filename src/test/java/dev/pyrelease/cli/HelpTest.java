package dev.pyrelease.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The options {@code build}, {@code check} and the steps show, and the wording each gives the
 * options they share (cli/options): what a user reads in --help does not depend on where an option
 * is declared.
 */
class HelpTest {
  String help(String command) {
    StringWriter out = new StringWriter();
    int code =
        new Cli(Map.of(), new PrintWriter(out, true), new PrintWriter(new StringWriter(), true))
            .run(command, "--help");
    assertThat(code).isZero();
    return out.toString();
  }

  /** The help as one line: descriptions are wrapped where their length says. */
  String words(String command) {
    return help(command).replaceAll("\\s+", " ");
  }

  @Test
  void buildListsItsOptions() {
    assertThat(help("build"))
        .contains(
            "Usage: pyrelease build [-hV] [--full-venv] [--insecure-registry]",
            "[--registry-credentials-over-http] [--watch]",
            "-f, --file=RELEASE.yaml",
            "--source=DIR",
            "--git-credentials=DIR",
            "--to=REPOSITORY",
            "--tar=FILE",
            "--base=IMAGE",
            "--index-url=URL",
            "--runner=podman|docker|host",
            "--host-python=PATH",
            "--insecure-registry",
            "--registry-credentials-over-http",
            "--docker-config=FILE",
            "--index-credentials=FILE",
            "--output=text|json",
            "--workspace=DIR",
            "--cache-dir=DIR",
            "--full-venv",
            "--watch");
    assertThat(words("build"))
        .contains("[--source=DIR] [--workspace=DIR] [--to=REPOSITORY | --tar=FILE]")
        .contains("resolved to a commit and checked out, as the build Job does")
        .contains("as the git Secret is mounted in the build Job: username and password")
        .contains("Use this PEP 503 simple index instead of spec. index. --runner");
    // picocli 4.7.6 lists a group's options twice when a mixin declares the group
    assertThat(help("build").split("--to=REPOSITORY ", -1)).hasSize(3);
  }

  @Test
  void checkKeepsItsOwnWordingForTheSharedOptions() {
    assertThat(help("check"))
        .contains(
            "Usage: pyrelease check [-hV] [--insecure-registry] [--no-index]",
            "[--registry-credentials-over-http]",
            "[--docker-config=FILE] -f=RELEASE.yaml",
            "[--git-credentials=DIR] [--index-url=URL]",
            "[--python-version=X.Y] [--source=DIR]");
    assertThat(words("check"))
        .contains("A checkout of the release's git repository (needed for requirements.file).")
        .contains(
            "(username and password, or ssh-privatekey and known_hosts for an ssh URL) for reading")
        .contains("index (http(s):// or file://).")
        .doesNotContain("build Job");
  }

  @Test
  void theVenvStepKeepsItsOwnWordingForInsecureRegistries() {
    assertThat(words("venv"))
        .contains("--insecure-registry Pull the dependency image over HTTP.")
        .contains("--docker-config=FILE Registry credentials: a docker config.json (auths).");
    assertThat(words("assemble"))
        .contains("--insecure-registry Allow plain HTTP and unverified TLS to registries.");
  }
}
