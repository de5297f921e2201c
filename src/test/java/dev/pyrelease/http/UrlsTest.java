package dev.pyrelease.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class UrlsTest {
  @Test
  void masking() {
    assertThat(Urls.mask("https://user:pass@host/simple/ and http://tok@h:8080/x"))
        .isEqualTo("https://user:***@host/simple/ and http://***@h:8080/x");
    assertThat(Urls.mask("https://host/simple/?q=a@b")).isEqualTo("https://host/simple/?q=a@b");
    assertThat(Urls.mask("no urls here")).isEqualTo("no urls here");
  }

  @Test
  void cleanDropsUserInfoAndFragmentOnly() {
    assertThat(Urls.clean(URI.create("https://u:p@h:8443/a/../b%2Bc?x=1#sha256=ab")))
        .isEqualTo(URI.create("https://h:8443/b%2Bc?x=1"));
    assertThat(Urls.clean(URI.create("file:/opt/pypi/simple/")))
        .isEqualTo(URI.create("file:///opt/pypi/simple/"));
  }

  @Test
  void originIsSchemeHostAndEffectivePort() {
    URI index = URI.create("https://Pyrepo.internal/simple/");
    assertThat(Urls.sameOrigin(index, URI.create("https://pyrepo.internal:443/files/x.whl")))
        .isTrue();
    assertThat(Urls.sameOrigin(index, URI.create("http://pyrepo.internal/files/x.whl"))).isFalse();
    assertThat(Urls.sameOrigin(index, URI.create("https://pyrepo.internal:8443/x"))).isFalse();
    assertThat(Urls.sameOrigin(index, URI.create("https://cdn.example/x.whl"))).isFalse();
  }
}
