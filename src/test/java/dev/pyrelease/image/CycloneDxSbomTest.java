package dev.pyrelease.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.Test;

class CycloneDxSbomTest {
  private static final String D = "sha256:" + "a".repeat(64);
  private static final String L1 = "sha256:" + "1".repeat(64);
  private static final String L2 = "sha256:" + "2".repeat(64);

  static Sbom sample() {
    return new Sbom(
        "3.11.2",
        new Sbom.Base("127.0.0.1:5000/library/python:3.11-bookworm@" + D, D),
        List.of(
            new Sbom.Entry(
                "Django", "5.2.16", "django-5.2.16-py3-none-any.whl", "b".repeat(64), List.of(L1)),
            new Sbom.Entry(
                "typing_extensions",
                "4.12.2",
                "typing_extensions-4.12.2-py3-none-any.whl",
                "c".repeat(64),
                List.of(L1, L2))));
  }

  @Test
  void validatesAgainstTheCycloneDxSchemaWithTheLibrarysValidator() throws IOException {
    byte[] json = sample().toJson();
    assertThat(new JsonParser().validate(json, CycloneDxSbom.VERSION)).isEmpty();
    // and the validator does reject a document that breaks the schema
    String broken =
        new String(json, StandardCharsets.UTF_8).replace("\"type\" : \"library\"", "\"type\" : 7");
    assertThat(
            new JsonParser()
                .validate(broken.getBytes(StandardCharsets.UTF_8), CycloneDxSbom.VERSION))
        .isNotEmpty();
  }

  @Test
  void eachDistributionHasItsPurlWheelHashAndLayers() throws IOException {
    JsonNode doc = new ObjectMapper().readTree(sample().toJson());
    assertThat(doc.path("bomFormat").asText()).isEqualTo("CycloneDX");
    assertThat(doc.path("specVersion").asText()).isEqualTo("1.6");
    assertThat(doc.path("metadata").has("timestamp")).isFalse();
    JsonNode comps = doc.path("components");
    assertThat(comps).hasSize(3);
    JsonNode base = comps.get(0);
    assertThat(base.path("type").asText()).isEqualTo("container");
    assertThat(base.path("name").asText()).isEqualTo("127.0.0.1:5000/library/python");
    assertThat(base.path("version").asText()).isEqualTo("3.11-bookworm");
    assertThat(base.path("hashes").get(0).path("content").asText()).isEqualTo("a".repeat(64));
    assertThat(base.path("purl").asText())
        .isEqualTo(
            "pkg:oci/python@sha256%3A"
                + "a".repeat(64)
                + "?repository_url=127.0.0.1%3A5000%2Flibrary%2Fpython&tag=3.11-bookworm");
    JsonNode django = comps.get(1);
    assertThat(django.path("type").asText()).isEqualTo("library");
    assertThat(django.path("purl").asText()).isEqualTo("pkg:pypi/django@5.2.16");
    assertThat(django.path("hashes").get(0).path("alg").asText()).isEqualTo("SHA-256");
    assertThat(django.path("hashes").get(0).path("content").asText()).isEqualTo("b".repeat(64));
    assertThat(comps.get(2).path("purl").asText()).isEqualTo("pkg:pypi/typing-extensions@4.12.2");
    assertThat(comps.get(2).path("properties").toString())
        .contains("\"name\":\"pyrelease:layer\",\"value\":\"" + L1 + "\"")
        .contains("\"name\":\"pyrelease:layer\",\"value\":\"" + L2 + "\"")
        .contains("typing_extensions-4.12.2-py3-none-any.whl");
  }

  @Test
  void deterministicWithAContentDerivedSerialNumber() throws IOException {
    byte[] a = sample().toJson();
    assertThat(sample().toJson()).isEqualTo(a);
    String serial = new ObjectMapper().readTree(a).path("serialNumber").asText();
    assertThat(serial).matches("urn:uuid:[0-9a-f-]{36}");
    Sbom other =
        new Sbom(sample().python(), sample().base(), sample().distributions().subList(0, 1));
    assertThat(new ObjectMapper().readTree(other.toJson()).path("serialNumber").asText())
        .isNotEqualTo(serial);
  }

  @Test
  void readsBackWhatItWrote() throws IOException {
    Sbom read = Sbom.parse(sample().toJson());
    assertThat(read.distributions()).isEqualTo(sample().distributions());
    assertThat(read.python()).isEqualTo("3.11.2");
    assertThat(read.base())
        .isEqualTo(new Sbom.Base("127.0.0.1:5000/library/python:3.11-bookworm", D));
    assertThatThrownBy(() -> Sbom.parse("{\"format\":\"pyrelease-manifest/v1\"}".getBytes()))
        .isInstanceOf(IOException.class);
  }
}
