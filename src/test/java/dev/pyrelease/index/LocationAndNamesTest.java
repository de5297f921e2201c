package dev.pyrelease.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocationAndNamesTest {
  @Test
  void locationMovesCredentialsOutOfTheUrl() {
    IndexLocation loc = IndexLocation.simple("https://alice:p%40ss@pyrepo.internal/simple");
    assertThat(loc.urls()).containsExactly(URI.create("https://pyrepo.internal/simple/"));
    assertThat(loc.hasCredentials()).isTrue();
    assertThat(loc.authorizationHeader()).isEqualTo(FixtureIndexTest.basic("alice", "p@ss"));
    assertThat(loc.toString())
        .isEqualTo("IndexLocation[simple https://alice:***@pyrepo.internal/simple/]");
    assertThat(loc.mayAuthenticate(URI.create("https://pyrepo.internal/files/x.whl"))).isTrue();
    assertThat(loc.mayAuthenticate(URI.create("http://pyrepo.internal/files/x.whl"))).isFalse();
    assertThat(loc.mayAuthenticate(URI.create("https://cdn.example/x.whl"))).isFalse();

    IndexLocation token =
        IndexLocation.simple("https://pyrepo.internal/simple/").withToken("t0k3n");
    assertThat(token.toString())
        .doesNotContain("t0k3n")
        .contains("https://***@pyrepo.internal/simple/");
    assertThat(IndexLocation.simple("https://pyrepo.internal/simple/").withBasicAuth("bob", "pw"))
        .isEqualTo(IndexLocation.simple("https://bob:pw@pyrepo.internal/simple/"));

    IndexLocation links =
        IndexLocation.findLinks(List.of("file:///opt/wheels/", "https://u:pw@h/links.html"));
    assertThat(links.kind()).isEqualTo(IndexLocation.Kind.FIND_LINKS);
    assertThat(links.toString())
        .isEqualTo("IndexLocation[find_links [file:///opt/wheels/, https://u:***@h/links.html]]");
  }

  @Test
  void badLocations() {
    assertThatThrownBy(() -> IndexLocation.simple("ftp://u:secret@h/simple/"))
        .hasMessageNotContaining("secret")
        .hasMessageContaining("unsupported URL scheme");
    assertThatThrownBy(() -> IndexLocation.simple("pyrepo/simple"))
        .hasMessageContaining("not an absolute URL");
    assertThatThrownBy(() -> IndexLocation.findLinks(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void normalisation() {
    assertThat(Names.normalize("Flask_Login")).isEqualTo("flask-login");
    assertThat(Names.normalize("zope.interface")).isEqualTo("zope-interface");
    assertThat(Names.normalize("A--B__c..D")).isEqualTo("a-b-c-d");
    assertThat(Names.wheelProject("Flask_Login-0.6.3-py3-none-any.whl")).isEqualTo("flask-login");
    assertThat(Names.wheelProject("demo-1.0.tar.gz")).isNull();
    assertThat(Names.sdistProjectGuess("django-rest-framework-3.0.tar.gz"))
        .isEqualTo("django-rest-framework");
    assertThat(Names.sdistBelongsTo("Django_Rest.Framework-3.0.tar.gz", "django-rest-framework"))
        .isTrue();
    assertThat(Names.sdistBelongsTo("django-rest-framework-3.0.tar.gz", "django")).isFalse();
    assertThat(Names.sdistBelongsTo("django-2fa-1.0.tar.gz", "django-2fa")).isTrue();
    assertThat(Names.isDistribution("x-1.0.tar.gz")).isTrue();
    assertThat(Names.isDistribution("x-1.0.exe")).isFalse();
  }

  @Test
  void configValidation() {
    assertThatThrownBy(() -> IndexConfig.defaults().withConcurrency(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IndexConfig.defaults().withRequestTimeout(java.time.Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(IndexConfig.defaults().withConcurrency(3).concurrency()).isEqualTo(3);
  }
}
