package dev.pyrelease.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyrelease.http.Digests;
import dev.pyrelease.testing.PyHttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Against the machine's real PEP 503 index at /opt/pypi, served by python3 -m http.server. */
class RealIndexTest {
  static final Path ROOT = Path.of("/opt/pypi");
  static final String CELERY = "celery-5.6.3-py3-none-any.whl";
  static PyHttpServer python;

  @BeforeAll
  static void startServer() throws Exception {
    python = PyHttpServer.start(ROOT);
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (python != null) {
      python.close();
    }
  }

  static PackageIndex http() {
    return PackageIndex.open(IndexLocation.simple(python.url("simple/")), IndexConfig.defaults());
  }

  static PackageIndex local() {
    return PackageIndex.open(
        IndexLocation.simple("file:///opt/pypi/simple/"), IndexConfig.defaults());
  }

  @Test
  void filesOfDjangoCeleryPillowOverHttp() {
    try (PackageIndex index = http()) {
      List<IndexFile> django = index.files("django");
      assertThat(django).extracting(IndexFile::filename).contains("django-5.2.17-py3-none-any.whl");
      IndexFile d = django.get(0);
      assertThat(d.url()).isEqualTo(python.url("files/" + d.filename()));
      assertThat(d.sha256()).matches("[0-9a-f]{64}");
      assertThat(d.yanked()).isFalse();
      assertThat(d.metadataUrl()).isNull();

      assertThat(index.files("celery")).extracting(IndexFile::filename).containsExactly(CELERY);
      List<IndexFile> pillow = index.files("Pillow"); // normalised defensively
      assertThat(pillow).hasSizeGreaterThanOrEqualTo(2);
      assertThat(pillow)
          .allSatisfy(
              f -> {
                assertThat(f.url()).startsWith(python.url("files/pillow-"));
                assertThat(f.sha256()).matches("[0-9a-f]{64}");
              });
    }
  }

  @Test
  void sha256FragmentMatchesTheFile() throws Exception {
    try (PackageIndex index = http()) {
      IndexFile celery = index.files("celery").get(0);
      assertThat(celery.sha256()).isEqualTo(Digests.sha256(ROOT.resolve("files/" + CELERY)));
    }
  }

  @Test
  void celeryMetadataOverHttpFullDownloadBecauseNoRangeSupport() {
    try (HttpPackageIndex index = (HttpPackageIndex) http()) {
      String md = index.metadata(index.files("celery").get(0));
      assertThat(md).contains("Name: celery").contains("Requires-Dist: click-didyoumean");
      // python's http.server ignores Range: the 200 answer to the range request was used as is
      assertThat(index.stats.fullDownloads.get()).isEqualTo(1);
      assertThat(index.stats.rangeRequests.get()).isEqualTo(1);
      // cached per run
      index.metadata(index.files("celery").get(0));
      assertThat(index.stats.fullDownloads.get()).isEqualTo(1);
    }
  }

  @Test
  void sameThroughFileUrl() {
    try (PackageIndex index = local()) {
      List<IndexFile> celery = index.files("celery");
      assertThat(celery)
          .extracting(IndexFile::url)
          .containsExactly("file:///opt/pypi/files/" + CELERY);
      assertThat(celery.get(0).sha256()).matches("[0-9a-f]{64}");
      assertThat(index.metadata(celery.get(0))).contains("Requires-Dist: click-didyoumean");
      assertThat(index.files("django"))
          .extracting(IndexFile::filename)
          .contains("django-5.2.17-py3-none-any.whl");
    }
  }

  @Test
  void projectNotFound() {
    try (PackageIndex index = http()) {
      assertThatThrownBy(() -> index.files("no-such-project-xyz"))
          .isInstanceOfSatisfying(
              IndexException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(IndexException.Kind.NOT_FOUND);
                assertThat(e.getMessage())
                    .contains("no-such-project-xyz")
                    .contains("HTTP 404")
                    .contains(python.url("simple/"));
              });
    }
    try (PackageIndex index = local()) {
      assertThatThrownBy(() -> index.files("no-such-project-xyz"))
          .isInstanceOfSatisfying(
              IndexException.class,
              e -> assertThat(e.kind()).isEqualTo(IndexException.Kind.NOT_FOUND));
    }
  }

  @Test
  void missingLocalIndexIsUnreachable() {
    try (PackageIndex index =
        PackageIndex.open(
            IndexLocation.simple("file:///nonexistent/simple/"), IndexConfig.defaults())) {
      assertThatThrownBy(() -> index.files("django"))
          .isInstanceOfSatisfying(
              IndexException.class,
              e -> assertThat(e.kind()).isEqualTo(IndexException.Kind.UNREACHABLE));
    }
  }

  @Test
  void findLinksOverLocalDirectory() {
    try (PackageIndex index =
        PackageIndex.open(
            IndexLocation.findLinks(List.of("file:///opt/pypi/files/")), IndexConfig.defaults())) {
      List<IndexFile> celery = index.files("celery");
      assertThat(celery)
          .extracting(IndexFile::url)
          .containsExactly("file:///opt/pypi/files/" + CELERY);
      assertThat(celery.get(0).sha256()).isNull();
      assertThat(index.metadata(celery.get(0))).contains("Requires-Dist: click-didyoumean");
      // wheel names with escaped/odd case: Flask_Login-0.6.3 -> flask-login
      assertThat(index.files("flask-login"))
          .extracting(IndexFile::filename)
          .contains("Flask_Login-0.6.3-py3-none-any.whl");
      assertThat(index.files("numpy")).hasSizeGreaterThanOrEqualTo(3);
      assertThatThrownBy(() -> index.files("no-such-project-xyz"))
          .isInstanceOfSatisfying(
              IndexException.class,
              e -> assertThat(e.kind()).isEqualTo(IndexException.Kind.NOT_FOUND));
    }
  }

  @Test
  void findLinksOverHttpDirectoryListing() {
    // http.server renders a directory listing: a flat find-links page
    try (PackageIndex index =
        PackageIndex.open(
            IndexLocation.findLinks(List.of(python.url("files/"))), IndexConfig.defaults())) {
      List<IndexFile> celery = index.files("celery");
      assertThat(celery).extracting(IndexFile::url).containsExactly(python.url("files/" + CELERY));
      assertThat(index.metadata(celery.get(0))).contains("Requires-Dist: click-didyoumean");
    }
  }

  @Test
  void findLinksOverGeneratedHtmlPage(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
    Path sdists = tmp.resolve("sdists");
    Fixtures.zipSdist(sdists, "my-legacy-pkg", "2.0", Fixtures.metadata("my-legacy-pkg", "2.0"));
    Path page = tmp.resolve("links.html");
    Files.writeString(
        page,
        "<html><body>\n"
            + "<a href=\"file:///opt/pypi/files/"
            + CELERY
            + "#sha256=abc\">celery</a>\n"
            + "<a href='sdists/my-legacy-pkg-2.0.zip'>legacy</a>\n"
            + "<a href=\"docs/\">not a distribution</a>\n"
            + "</body></html>\n");
    try (PackageIndex index =
        PackageIndex.open(
            IndexLocation.findLinks(List.of(page.toUri().toString())), IndexConfig.defaults())) {
      assertThat(index.files("celery"))
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.url()).isEqualTo("file:///opt/pypi/files/" + CELERY);
                assertThat(f.sha256()).isEqualTo("abc");
              });
      IndexFile legacy = index.files("my_legacy.pkg").get(0);
      assertThat(legacy.url())
          .isEqualTo(sdists.resolve("my-legacy-pkg-2.0.zip").toUri().toString());
      assertThat(index.metadata(legacy)).contains("Name: my-legacy-pkg");
    }
  }

  static List<String> projectNames() throws Exception {
    String html = Files.readString(ROOT.resolve("simple/index.html"));
    Matcher m = Pattern.compile("href=\"([^\"/]+)/\"").matcher(html);
    List<String> names = new ArrayList<>();
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  @Test
  void batchOfFiftyProjectsOverLoopback() throws Exception {
    List<String> all = projectNames();
    List<String> names = new ArrayList<>();
    for (int i = 0; names.size() < 49; i += Math.max(1, all.size() / 49)) {
      names.add(all.get(i));
    }
    names.add("no-such-project-xyz");
    for (int round = 1; round <= 2; round++) {
      long t0 = System.nanoTime();
      Map<String, List<IndexFile>> files;
      try (PackageIndex index = http()) {
        files = index.files(names);
      }
      long ms = (System.nanoTime() - t0) / 1_000_000;
      System.out.printf(
          "[timing] 50 project pages over loopback (python http.server), round %d, fresh client: %d ms%n",
          round, ms);
      assertThat(files).hasSize(49).doesNotContainKey("no-such-project-xyz");
      assertThat(files.keySet()).containsExactlyElementsOf(names.subList(0, 49));
      assertThat(files.values()).allSatisfy(l -> assertThat(l).isNotEmpty());
    }
    long t0 = System.nanoTime();
    try (PackageIndex index = local()) {
      assertThat(index.files(names)).hasSize(49);
    }
    System.out.printf(
        "[timing] 50 project pages from file:///opt/pypi/simple/: %d ms%n",
        (System.nanoTime() - t0) / 1_000_000);
  }

  @Test
  void metadataBatch() {
    try (PackageIndex index = http()) {
      Map<String, List<IndexFile>> files =
          index.files(List.of("celery", "django", "flask", "gunicorn"));
      List<IndexFile> wheels = files.values().stream().map(l -> l.get(l.size() - 1)).toList();
      long t0 = System.nanoTime();
      Map<IndexFile, String> md = index.metadata(wheels);
      System.out.printf(
          "[timing] METADATA of 4 wheels via full download (python http.server): %d ms%n",
          (System.nanoTime() - t0) / 1_000_000);
      assertThat(md).hasSize(4);
      md.forEach((f, text) -> assertThat(text).contains("Metadata-Version:"));
    }
  }

  @Test
  void bigWheelMetadataWithAndWithoutRange() throws Exception {
    String numpy = "numpy-2.0.2-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl";
    String pandas = "pandas-2.3.3-cp311-cp311-manylinux_2_24_x86_64.manylinux_2_28_x86_64.whl";
    try (FixtureServer ranged = FixtureServer.start(ROOT)) {
      for (String project : List.of("numpy", "pandas")) {
        String wheel = project.equals("numpy") ? numpy : pandas;
        long size = Files.size(ROOT.resolve("files/" + wheel));
        // no range support: python http.server
        String full;
        long t0 = System.nanoTime();
        try (HttpPackageIndex index = (HttpPackageIndex) http()) {
          IndexFile f =
              index.files(project).stream()
                  .filter(x -> x.filename().equals(wheel))
                  .findFirst()
                  .orElseThrow();
          t0 = System.nanoTime();
          full = index.metadata(f);
          assertThat(index.stats.fullDownloads.get()).isEqualTo(1);
        }
        long fullMs = (System.nanoTime() - t0) / 1_000_000;
        // range support: the Java fixture server over the same directory
        String viaRange;
        long sentBefore = ranged.bytesSent.get();
        try (HttpPackageIndex index =
            (HttpPackageIndex)
                PackageIndex.open(
                    IndexLocation.simple(ranged.url("simple/")), IndexConfig.defaults())) {
          IndexFile f =
              index.files(project).stream()
                  .filter(x -> x.filename().equals(wheel))
                  .findFirst()
                  .orElseThrow();
          t0 = System.nanoTime();
          viaRange = index.metadata(f);
          assertThat(index.stats.fullDownloads.get()).isZero();
          System.out.printf(
              "[timing] %s (%.1f MB) METADATA: full download %d ms; range requests %d ms (%d requests, %d KB incl. page)%n",
              wheel,
              size / 1e6,
              fullMs,
              (System.nanoTime() - t0) / 1_000_000,
              index.stats.rangeRequests.get(),
              (ranged.bytesSent.get() - sentBefore) / 1024);
        }
        assertThat(viaRange).isEqualTo(full).contains("Name: " + project);
      }
    }
  }
}
