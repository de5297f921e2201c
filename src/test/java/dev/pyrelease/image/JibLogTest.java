package dev.pyrelease.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.tools.jib.api.LogEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Jib's lines as a build shows them. */
class JibLogTest {
  @Test
  void theHttpsToHttpFallbackIsOneCalmLinePerRegistry() {
    List<String> shown = new ArrayList<>();
    JibLog log = new JibLog(shown::add);
    log.accept(
        LogEvent.info(
            "Cannot verify server at https://127.0.0.1:5000/v2/python/manifests/3.11-bookworm."
                + " Attempting again with no TLS verification."));
    log.accept(
        LogEvent.info(
            "Failed to connect to https://127.0.0.1:5000/v2/ over HTTPS. Attempting again with"
                + " HTTP."));
    log.accept(
        LogEvent.warn(
            "Failed to connect to https://127.0.0.1:5001/v2/ over HTTPS. Attempting again with"
                + " HTTP."));
    log.accept(LogEvent.lifecycle("Pushing manifest for build-123..."));
    assertThat(shown)
        .containsExactly(
            "registry 127.0.0.1:5000 is reached without verified TLS (allowed by"
                + " --insecure-registry)",
            "registry 127.0.0.1:5001 is reached without verified TLS (allowed by"
                + " --insecure-registry)",
            "Pushing manifest for build-123...");
  }
}
