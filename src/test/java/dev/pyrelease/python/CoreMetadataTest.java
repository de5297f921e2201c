package dev.pyrelease.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CoreMetadataTest {

  @Test
  void readsCeleryMetadata() {
    CoreMetadata celery = Fixtures.metadata("celery-5.6.3");
    assertThat(celery.name()).isEqualTo("celery");
    assertThat(celery.version()).isEqualTo(Version.parse("5.6.3"));
    assertThat(celery.requiresPython()).hasToString(">=3.9");
    assertThat(celery.providesExtra()).contains("redis", "sqs", "auth").hasSize(33);
    assertThat(celery.requiresDist()).hasSize(53);
    assertThat(celery.requiresDist().get(0)).hasToString("billiard<5.0,>=4.2.1");
    assertThat(celery.requiresDist().stream().map(Requirement::name))
        .contains("click-didyoumean", "click-repl", "exceptiongroup", "pyArango");
  }

  @Test
  void readsFlaskMetadataWithMixedCaseName() {
    CoreMetadata flask = Fixtures.metadata("flask-3.1.3");
    assertThat(flask.name()).isEqualTo("Flask");
    assertThat(flask.normalizedName()).isEqualTo("flask");
    assertThat(flask.providesExtra()).containsExactly("async", "dotenv");
    assertThat(flask.requiresDist().get(2))
        .hasToString("importlib-metadata>=3.6.0; python_version < \"3.10\"");
  }

  @Test
  void readsEveryFixture() {
    for (String nv :
        new String[] {
          "amqp-5.4.0",
          "billiard-4.3.0",
          "blinker-1.9.0",
          "click-8.5.0",
          "click-plugins-1.1.1.2",
          "itsdangerous-2.2.0",
          "jinja2-3.1.6",
          "kombu-5.6.2",
          "markupsafe-3.0.3",
          "packaging-26.3",
          "python-dateutil-2.9.0.post0",
          "redis-8.1.0",
          "six-1.17.0",
          "tzdata-2026.4",
          "tzlocal-5.4.4",
          "vine-5.1.0",
          "werkzeug-3.1.9"
        }) {
      CoreMetadata md = Fixtures.metadata(nv);
      assertThat(nv).startsWith(md.normalizedName() + "-" + md.version());
    }
    assertThat(Fixtures.metadata("six-1.17.0").requiresPython().specifiers()).hasSize(4);
    assertThat(Fixtures.metadata("python-dateutil-2.9.0.post0").requiresDist().get(0))
        .hasToString("six>=1.5");
  }

  @Test
  void stopsAtTheBodyAndUnfoldsContinuationLines() {
    String text =
        "Metadata-Version: 2.1\r\n"
            + "Name: demo\r\n"
            + "Version: 1.0\r\n"
            + "Summary: a\r\n"
            + "  folded summary\r\n"
            + "Requires-Dist: foo>=1;\r\n"
            + "\tpython_version < '3.12'\r\n"
            + "X-Unknown-Header: whatever\r\n"
            + "Provides-Extra: Sql_Alchemy\r\n"
            + "\r\n"
            + "Requires-Dist: not-a-header-anymore\r\n"
            + "this is the description: it may look like a header\r\n";
    CoreMetadata md = CoreMetadata.parse(text);
    assertThat(md.requiresDist()).hasSize(1);
    assertThat(md.requiresDist().get(0)).hasToString("foo>=1; python_version < \"3.12\"");
    assertThat(md.providesExtra()).containsExactly("sql-alchemy");
    assertThat(md.requiresPython().isEmpty()).isTrue();
  }

  @Test
  void worksWithoutABody() {
    CoreMetadata md = CoreMetadata.parse("Name: a\nVersion: 2");
    assertThat(md.requiresDist()).isEmpty();
    assertThat(md.providesExtra()).isEmpty();
  }

  @Test
  void namesTheDistributionInErrors() {
    assertThatThrownBy(() -> CoreMetadata.parse("Name: demo\nVersion: 1\nRequires-Dist: foo>=\n"))
        .isInstanceOf(PythonSyntaxException.class)
        .hasMessageStartingWith("invalid METADATA of demo: Requires-Dist: invalid requirement");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "\n\nName: a\nVersion: 1",
        "Version: 1.0\n",
        "Name: a\n",
        "Name: a\nVersion: x\n",
        "Name: -a\nVersion: 1\n",
        " Name: a\nVersion: 1\n",
        "Name: a\nVersion: 1\nno colon here\n",
        "Name: a\nVersion: 1\nRequires-Python: >=3.x\n",
      })
  void rejectsBrokenMetadata(String text) {
    assertThatThrownBy(() -> CoreMetadata.parse(text))
        .isInstanceOf(PythonSyntaxException.class)
        .hasMessageContaining("METADATA");
  }
}
