package dev.pyrelease.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimplePagesTest {
  static final URI PAGE = URI.create("https://pyrepo.internal/simple/demo/");

  @Test
  void relativeAbsoluteAndRootRelativeLinks() {
    List<IndexFile> files =
        SimplePages.parseHtml(
            """
        <html><body>
        <a href="../../files/demo-1.0-py3-none-any.whl#sha256=ABC123">demo-1.0-py3-none-any.whl</a>
        <A HREF='/packages/demo-0.9.tar.gz#md5=ff&amp;sha256=def'>demo-0.9.tar.gz</A>
        <a href=https://cdn.example/demo-0.8.zip>demo-0.8.zip</a>
        <a href="demo-0.7-py3-none-any.whl?token=a&amp;b=c">x</a>
        <a href="../">parent</a><a name="anchor">no href</a><a href="README.txt">readme</a>
        <a href="../../files/demo-1.0-py3-none-any.whl#sha256=abc123">duplicate</a>
        </body></html>
        """,
            PAGE);
    assertThat(files)
        .extracting(IndexFile::url)
        .containsExactly(
            "https://pyrepo.internal/files/demo-1.0-py3-none-any.whl",
            "https://pyrepo.internal/packages/demo-0.9.tar.gz",
            "https://cdn.example/demo-0.8.zip",
            "https://pyrepo.internal/simple/demo/demo-0.7-py3-none-any.whl?token=a&b=c");
    assertThat(files).extracting(IndexFile::sha256).containsExactly("abc123", "def", null, null);
    assertThat(files)
        .extracting(IndexFile::filename)
        .containsExactly(
            "demo-1.0-py3-none-any.whl",
            "demo-0.9.tar.gz",
            "demo-0.8.zip",
            "demo-0.7-py3-none-any.whl");
  }

  @Test
  void dataAttributes() {
    List<IndexFile> files =
        SimplePages.parseHtml(
            """
        <a href="a-1.0-py3-none-any.whl" data-requires-python="&gt;=3.8,&lt;4" data-yanked="">a</a>
        <a data-yanked="broken wheel" href="a-1.1-py3-none-any.whl" data-requires-python=">=3.9">b</a>
        <a href="a-1.2-py3-none-any.whl" data-dist-info-metadata="sha256=AAAA">c</a>
        <a href="a-1.3-py3-none-any.whl" data-core-metadata="true" data-dist-info-metadata="sha256=bb">d</a>
        <a href="a-1.4-py3-none-any.whl" data-dist-info-metadata="false" data-requires-python="">e</a>
        <a href="a-1.5-py3-none-any.whl" data-requires-python="&#62;=3.10">f</a>
        """,
            PAGE);
    assertThat(files)
        .extracting(IndexFile::requiresPython)
        .containsExactly(">=3.8,<4", ">=3.9", null, null, null, ">=3.10");
    assertThat(files)
        .extracting(IndexFile::yanked)
        .containsExactly(true, true, false, false, false, false);
    assertThat(files)
        .extracting(IndexFile::metadataUrl)
        .containsExactly(
            null,
            null,
            "https://pyrepo.internal/simple/demo/a-1.2-py3-none-any.whl.metadata",
            "https://pyrepo.internal/simple/demo/a-1.3-py3-none-any.whl.metadata",
            null,
            null);
    // data-core-metadata (PEP 714) wins over the older attribute
    assertThat(files)
        .extracting(IndexFile::metadataSha256)
        .containsExactly(null, null, "aaaa", null, null, null);
  }

  @Test
  void commentsAndBaseHref() {
    List<IndexFile> files =
        SimplePages.parseHtml(
            """
        <head><base href="https://files.example/pool/"></head>
        <!-- <a href="hidden-1.0.tar.gz">hidden</a> -->
        <a href="b-2.0.tar.gz">b</a>
        """,
            PAGE);
    assertThat(files)
        .extracting(IndexFile::url)
        .containsExactly("https://files.example/pool/b-2.0.tar.gz");
  }

  @Test
  void percentEncodedFilenamesAndOddCharacters() {
    List<IndexFile> files =
        SimplePages.parseHtml(
            "<a href=\"x/torch-2.1.0%2Bcpu-cp311-cp311-linux_x86_64.whl\">t</a>"
                + "<a href=\"x/local-1.0+abc-py3-none-any.whl\">l</a>"
                + "<a href=\"x/with space-1.0.tar.gz\">s</a>",
            PAGE);
    assertThat(files)
        .extracting(IndexFile::filename)
        .containsExactly(
            "torch-2.1.0+cpu-cp311-cp311-linux_x86_64.whl",
            "local-1.0+abc-py3-none-any.whl",
            "with space-1.0.tar.gz");
    assertThat(files.get(2).url())
        .isEqualTo("https://pyrepo.internal/simple/demo/x/with%20space-1.0.tar.gz");
  }

  @Test
  void fileUrlsStayInTripleSlashForm() {
    List<IndexFile> files =
        SimplePages.parseHtml(
            "<a href=\"../../files/c-1.0-py3-none-any.whl#sha256=00\">c</a>",
            URI.create("file:///opt/pypi/simple/c/"));
    assertThat(files.get(0).url()).isEqualTo("file:///opt/pypi/files/c-1.0-py3-none-any.whl");
  }

  @Test
  void pep691Json() {
    List<IndexFile> files =
        SimplePages.parseJson(
            """
        {"meta": {"api-version": "1.1"}, "name": "a", "versions": ["1.0"],
         "files": [
          {"filename": "a-1.0-py3-none-any.whl", "url": "https://f.example/a-1.0-py3-none-any.whl",
           "hashes": {"sha256": "AB", "blake2b": "x"}, "requires-python": ">=3.8",
           "dist-info-metadata": {"sha256": "CD"}, "yanked": false, "size": 123, "upload-time": null},
          {"filename": "a-1.0.tar.gz", "url": "/p/a-1.0.tar.gz#sha256=ef", "hashes": {},
           "yanked": true, "core-metadata": true, "data-dist-info-metadata": false},
          {"filename": "a-docs.txt", "url": "a-docs.txt", "hashes": {}}
         ]}
        """,
            PAGE);
    assertThat(files).hasSize(2);
    assertThat(files.get(0))
        .isEqualTo(
            new IndexFile(
                "a-1.0-py3-none-any.whl",
                "https://f.example/a-1.0-py3-none-any.whl",
                "ab",
                ">=3.8",
                false,
                "https://f.example/a-1.0-py3-none-any.whl.metadata",
                "cd"));
    assertThat(files.get(1))
        .isEqualTo(
            new IndexFile(
                "a-1.0.tar.gz",
                "https://pyrepo.internal/p/a-1.0.tar.gz",
                "ef",
                null,
                true,
                "https://pyrepo.internal/p/a-1.0.tar.gz.metadata",
                null));
    assertThatThrownBy(() -> SimplePages.parseJson("{\"files\": 3}", PAGE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SimplePages.parseJson("<html>", PAGE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("bad JSON at line 1 column 1: Unexpected character ('<'")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(() -> SimplePages.parseJson("{\"files\": []} {}", PAGE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("bad JSON");
    assertThat(
            SimplePages.parseJson(
                "{\"files\": [{\"url\": \"x-1.0.tar.gz\", \"yanked\": \"broken\\u0021\"}]}", PAGE))
        .singleElement()
        .satisfies(f -> assertThat(f.yanked()).isTrue());
  }
}
