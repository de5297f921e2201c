package dev.pyrelease.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyrelease.http.Digests;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small generated index served by a Java fixture server (Range, auth, redirects, statuses). */
class FixtureIndexTest {
  @TempDir static Path root;
  static FixtureServer server;
  static String demoWheelSha;
  static long bigWheelSize;

  @BeforeAll
  static void build() throws Exception {
    Path files = root.resolve("files");
    Path demo =
        Fixtures.wheel(
            files,
            "demo",
            "1.0",
            Fixtures.metadata("demo", "1.0", "Summary: from-wheel", "Requires-Dist: click>=8"));
    demoWheelSha = Digests.sha256(demo);
    String pep658 = Fixtures.metadata("demo", "1.0", "Summary: from-pep658");
    Files.writeString(files.resolve(demo.getFileName() + ".metadata"), pep658);
    Path old =
        Fixtures.wheel(files, "demo", "0.9", Fixtures.metadata("demo", "0.9", "Summary: old"));
    page(
        "demo",
        "<a href=\"../../files/demo-1.0-py3-none-any.whl#sha256="
            + demoWheelSha
            + "\""
            + " data-requires-python=\"&gt;=3.8\" data-dist-info-metadata=\"sha256="
            + Digests.sha256(pep658)
            + "\">demo-1.0-py3-none-any.whl</a>",
        "<a href='../../files/demo-0.9-py3-none-any.whl?a=1&amp;b=2#sha256="
            + Digests.sha256(old)
            + "' data-yanked>demo-0.9-py3-none-any.whl</a>");

    Path core =
        Fixtures.wheel(
            files, "core", "1.0", Fixtures.metadata("core", "1.0", "Summary: from-wheel"));
    Files.writeString(
        files.resolve(core.getFileName() + ".metadata"),
        Fixtures.metadata("core", "1.0", "Summary: core-from-pep714"));
    page("core", "<a href=\"/files/" + core.getFileName() + "\" data-core-metadata=\"true\">x</a>");

    Path bad = Fixtures.wheel(files, "badmeta", "1.0", Fixtures.metadata("badmeta", "1.0"));
    Files.writeString(files.resolve(bad.getFileName() + ".metadata"), "tampered\n");
    page(
        "badmeta",
        "<a href=\"../../files/"
            + bad.getFileName()
            + "\" data-dist-info-metadata=\"sha256="
            + Digests.sha256("original\n")
            + "\">x</a>");

    Path nometa =
        Fixtures.wheel(
            files, "nometa", "1.0", Fixtures.metadata("nometa", "1.0", "Summary: from-wheel"));
    page(
        "nometa",
        "<a href=\"../../files/" + nometa.getFileName() + "\" data-core-metadata=\"true\">x</a>");

    Path tampered = Fixtures.wheel(files, "tampered", "1.0", Fixtures.metadata("tampered", "1.0"));
    page(
        "tampered",
        "<a href=\"../../files/"
            + tampered.getFileName()
            + "#sha256="
            + "0".repeat(64)
            + "\">x</a>");

    Path big = bigWheel(files);
    bigWheelSize = Files.size(big);
    page(
        "bigdemo",
        "<a href=\"../../files/"
            + big.getFileName()
            + "#sha256="
            + Digests.sha256(big)
            + "\">x</a>");

    Path tgz =
        Fixtures.tarSdist(
            files, "sdpkg", "3.1", Fixtures.metadata("sdpkg", "3.1", "Summary: tarball"));
    Path zip =
        Fixtures.zipSdist(
            files, "sdpkg", "3.0", Fixtures.metadata("sdpkg", "3.0", "Summary: zipball"));
    page(
        "sdpkg",
        "<a href=\"../../files/"
            + tgz.getFileName()
            + "#sha256="
            + Digests.sha256(tgz)
            + "\">t</a>",
        "<a href=\"../../files/"
            + zip.getFileName()
            + "#sha256="
            + Digests.sha256(zip)
            + "\">z</a>");

    // PEP 691: the JSON form differs from the HTML form so the test can tell which was used
    page("jsonproj", "<a href=\"../../files/html-only-1.0-py3-none-any.whl\">html</a>");
    Files.writeString(
        root.resolve("simple/jsonproj/index.json"),
        "{\"meta\": {\"api-version\": \"1.1\"},"
            + " \"name\": \"jsonproj\", \"files\": [{\"filename\": \"jsonproj-2.0-py3-none-any.whl\","
            + " \"url\": \"../../files/jsonproj-2.0-py3-none-any.whl\", \"hashes\": {\"sha256\": \"ABCDEF\"},"
            + " \"requires-python\": \">=3.9\", \"yanked\": \"bad build\", \"core-metadata\": {\"sha256\": \"1234\"}},"
            + " {\"filename\": \"jsonproj-1.0.tar.gz\", \"url\": \"https://elsewhere.example/jsonproj-1.0.tar.gz\","
            + " \"hashes\": {}, \"yanked\": false, \"dist-info-metadata\": false}]}");

    server = FixtureServer.start(root);
    server.redirects.put("/simple/moved/", "/simple/demo/");
    server.statuses.put("/simple/down/", 503);
    server.delaysMillis.put("/simple/slow/", 3000L);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  static void page(String project, String... links) throws IOException {
    Path dir = Files.createDirectories(root.resolve("simple/" + project));
    Files.writeString(
        dir.resolve("index.html"),
        "<!DOCTYPE html>\n<html><head><title>Links for "
            + project
            + "</title></head><body>\n"
            + "<h1>Links for "
            + project
            + "</h1>\n<!-- <a href=\"../../files/commented-1.0.tar.gz\">no</a> -->\n"
            + String.join("<br/>\n", links)
            + "\n</body></html>\n");
  }

  /** 3000 entries (central directory > 64 KiB) and 300 KB of incompressible data first. */
  static Path bigWheel(Path files) throws IOException {
    Path whl = files.resolve("bigdemo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl");
    byte[] noise = new byte[300_000];
    new Random(42).nextBytes(noise);
    try (OutputStream os = Files.newOutputStream(whl);
        ZipOutputStream zip = new ZipOutputStream(os)) {
      zip.putNextEntry(new ZipEntry("bigdemo/_native.so"));
      zip.write(noise);
      for (int i = 0; i < 3000; i++) {
        zip.putNextEntry(new ZipEntry("bigdemo/generated/module_with_a_long_name_" + i + ".py"));
        zip.write(("X = " + i + "\n").getBytes(StandardCharsets.UTF_8));
      }
      zip.putNextEntry(new ZipEntry("bigdemo-1.0.dist-info/METADATA"));
      zip.write(
          Fixtures.metadata("bigdemo", "1.0", "Summary: big", "Requires-Dist: numpy")
              .getBytes(StandardCharsets.UTF_8));
      zip.putNextEntry(new ZipEntry("bigdemo-1.0.dist-info/RECORD"));
      zip.write(new byte[0]);
    }
    return whl;
  }

  static HttpPackageIndex open(IndexLocation loc) {
    return new HttpPackageIndex(loc, IndexConfig.defaults());
  }

  static HttpPackageIndex http() {
    return open(IndexLocation.simple(server.url("simple/")));
  }

  @Test
  void htmlAttributesAreParsed() {
    try (PackageIndex index = http()) {
      List<IndexFile> files = index.files("demo");
      assertThat(files)
          .extracting(IndexFile::filename)
          .containsExactly("demo-1.0-py3-none-any.whl", "demo-0.9-py3-none-any.whl");
      IndexFile current = files.get(0);
      assertThat(current.url()).isEqualTo(server.url("files/demo-1.0-py3-none-any.whl"));
      assertThat(current.sha256()).isEqualTo(demoWheelSha);
      assertThat(current.requiresPython()).isEqualTo(">=3.8");
      assertThat(current.yanked()).isFalse();
      assertThat(current.metadataUrl()).isEqualTo(current.url() + ".metadata");
      assertThat(current.metadataSha256()).matches("[0-9a-f]{64}");
      IndexFile old = files.get(1);
      assertThat(old.yanked()).isTrue();
      assertThat(old.url()).isEqualTo(server.url("files/demo-0.9-py3-none-any.whl?a=1&b=2"));
      assertThat(old.metadataUrl()).isNull();
    }
  }

  @Test
  void pep658MetadataFileIsUsedAndVerified() {
    try (HttpPackageIndex index = http()) {
      String md = index.metadata(index.files("demo").get(0));
      assertThat(md).contains("Summary: from-pep658");
      assertThat(index.stats.metadataFiles.get()).isEqualTo(1);
      assertThat(index.stats.rangeRequests.get()).isZero();
      assertThat(index.stats.fullDownloads.get()).isZero();
    }
  }

  @Test
  void pep658OverFileUrl() {
    try (PackageIndex index =
        open(IndexLocation.simple(root.resolve("simple").toUri().toString()))) {
      IndexFile f = index.files("demo").get(0);
      assertThat(f.url())
          .isEqualTo(root.resolve("files/demo-1.0-py3-none-any.whl").toUri().toString());
      assertThat(index.metadata(f)).contains("Summary: from-pep658");
      assertThatThrownBy(() -> index.metadata(index.files("badmeta").get(0)))
          .isInstanceOfSatisfying(
              IndexException.class,
              e -> assertThat(e.kind()).isEqualTo(IndexException.Kind.HASH_MISMATCH));
    }
  }

  @Test
  void pep714CoreMetadataWithoutHash() {
    try (PackageIndex index = http()) {
      IndexFile f = index.files("core").get(0);
      assertThat(f.url()).isEqualTo(server.url("files/core-1.0-py3-none-any.whl"));
      assertThat(f.metadataSha256()).isNull();
      assertThat(index.metadata(f)).contains("Summary: core-from-pep714");
    }
  }

  @Test
  void pep658HashMismatchIsAnError() {
    try (PackageIndex index = http()) {
      IndexFile f = index.files("badmeta").get(0);
      assertThatThrownBy(() -> index.metadata(f))
          .isInstanceOfSatisfying(
              IndexException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(IndexException.Kind.HASH_MISMATCH);
                assertThat(e.getMessage())
                    .contains("sha256 mismatch")
                    .contains("badmeta-1.0-py3-none-any.whl")
                    .contains(Digests.sha256("original\n"))
                    .contains(Digests.sha256("tampered\n"));
              });
    }
  }

  @Test
  void advertisedButMissingMetadataFileFallsBackToTheWheel() {
    try (PackageIndex index = http()) {
      assertThat(index.metadata(index.files("nometa").get(0))).contains("Summary: from-wheel");
    }
  }

  @Test
  void wheelHashMismatchOnFullDownload() {
    try (PackageIndex index =
        new HttpPackageIndex(
            IndexLocation.simple(server.url("simple/")),
            IndexConfig.defaults().withRangeRequests(false))) {
      assertThatThrownBy(() -> index.metadata(index.files("tampered").get(0)))
          .isInstanceOfSatisfying(
              IndexException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(IndexException.Kind.HASH_MISMATCH);
                assertThat(e.getMessage())
                    .startsWith(
                        "sha256 mismatch for tampered-1.0-py3-none-any.whl downloaded from "
                            + server.url("files/"));
              });
    }
  }

  @Test
  void rangeRequestsReadOnlyTheTailAndTheEntry() {
    try (HttpPackageIndex index = http()) {
      IndexFile f = index.files("bigdemo").get(0);
      long before = server.bytesSent.get();
      int requestsBefore = server.requests.size();
      String md = index.metadata(f);
      long sent = server.bytesSent.get() - before;
      assertThat(md).contains("Name: bigdemo").contains("Requires-Dist: numpy");
      assertThat(index.stats.fullDownloads.get()).isZero();
      // tail (64 KiB), the rest of the central directory, the METADATA entry
      assertThat(index.stats.rangeRequests.get()).isEqualTo(3);
      assertThat(server.requests.subList(requestsBefore, server.requests.size()))
          .extracting(FixtureServer.Request::range)
          .first()
          .isEqualTo("bytes=-65536");
      assertThat(sent).isLessThan(bigWheelSize / 2);
      System.out.printf(
          "[range] %s: %d of %d bytes transferred in %d range requests%n",
          f.filename(), sent, bigWheelSize, index.stats.rangeRequests.get());
    }
  }

  @Test
  void smallWheelIsReadFromTheTailAlone() {
    try (HttpPackageIndex index = http()) {
      String md = index.metadata(index.files("demo").get(1));
      assertThat(md).contains("Summary: old");
      assertThat(index.stats.rangeRequests.get()).isEqualTo(1);
    }
  }

  @Test
  void serverWithoutRangeSupportGetsOneFullDownload(@TempDir Path unused) throws Exception {
    try (FixtureServer plain = FixtureServer.start(root)) {
      plain.ranges = false;
      try (HttpPackageIndex index = open(IndexLocation.simple(plain.url("simple/")))) {
        String md = index.metadata(index.files("bigdemo").get(0));
        assertThat(md).contains("Name: bigdemo");
        assertThat(index.stats.fullDownloads.get()).isEqualTo(1);
        assertThat(index.stats.rangeRequests.get()).isEqualTo(1); // the same request, answered 200
        assertThat(plain.requests).filteredOn(r -> r.path().endsWith(".whl")).hasSize(1);
      }
    }
  }

  @Test
  void sdistPkgInfoOverHttpAndFile() {
    try (PackageIndex index = http()) {
      List<IndexFile> files = index.files("sdpkg");
      assertThat(files)
          .extracting(IndexFile::filename)
          .containsExactly("sdpkg-3.1.tar.gz", "sdpkg-3.0.zip");
      assertThat(index.metadata(files.get(0))).contains("Summary: tarball");
      assertThat(index.metadata(files.get(1))).contains("Summary: zipball");
    }
    try (PackageIndex index =
        open(IndexLocation.simple(root.resolve("simple").toUri().toString()))) {
      List<IndexFile> files = index.files("sdpkg");
      assertThat(index.metadata(files.get(0))).contains("Summary: tarball");
      assertThat(index.metadata(files.get(1))).contains("Summary: zipball");
    }
  }

  @Test
  void pep691JsonWhenTheServerOffersIt() {
    try (PackageIndex index = http()) {
      List<IndexFile> files = index.files("jsonproj");
      assertThat(files).hasSize(2);
      IndexFile w = files.get(0);
      assertThat(w.filename()).isEqualTo("jsonproj-2.0-py3-none-any.whl");
      assertThat(w.url()).isEqualTo(server.url("files/jsonproj-2.0-py3-none-any.whl"));
      assertThat(w.sha256()).isEqualTo("abcdef");
      assertThat(w.requiresPython()).isEqualTo(">=3.9");
      assertThat(w.yanked()).isTrue();
      assertThat(w.metadataUrl()).isEqualTo(w.url() + ".metadata");
      assertThat(w.metadataSha256()).isEqualTo("1234");
      IndexFile s = files.get(1);
      assertThat(s.url()).isEqualTo("https://elsewhere.example/jsonproj-1.0.tar.gz");
      assertThat(s.sha256()).isNull();
      assertThat(s.yanked()).isFalse();
      assertThat(s.metadataUrl()).isNull();
    }
    assertThat(server.requests)
        .filteredOn(r -> r.path().equals("/simple/jsonproj/"))
        .allSatisfy(r -> assertThat(r.accept()).isEqualTo(ProjectPages.ACCEPT));
  }

  @Test
  void redirectsAreFollowedAndLinksResolvedAgainstTheFinalUrl() {
    try (PackageIndex index = http()) {
      assertThat(index.files("moved"))
          .extracting(IndexFile::url)
          .first()
          .isEqualTo(server.url("files/demo-1.0-py3-none-any.whl"));
    }
  }

  @Test
  void serverErrorIsUnreachable() {
    try (PackageIndex index = http()) {
      assertThatThrownBy(() -> index.files("down"))
          .isInstanceOfSatisfying(
              IndexException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(IndexException.Kind.UNREACHABLE);
                assertThat(e.getMessage())
                    .isEqualTo(
                        "index "
                            + server.url("simple/")
                            + " is unreachable: HTTP 503 Service Unavailable (GET "
                            + server.url("simple/down/")
                            + ")");
              });
      // and in a batch it is thrown, while a missing project is just absent
      assertThatThrownBy(() -> index.files(List.of("demo", "nope", "down")))
          .isInstanceOfSatisfying(
              IndexException.class,
              e -> assertThat(e.kind()).isEqualTo(IndexException.Kind.UNREACHABLE));
      assertThat(index.files(List.of("demo", "nope")).keySet()).containsExactly("demo");
    }
  }

  @Test
  void requestTimeoutIsUnreachable() {
    try (PackageIndex index =
        new HttpPackageIndex(
            IndexLocation.simple(server.url("simple/")),
            IndexConfig.defaults().withRequestTimeout(Duration.ofMillis(300)))) {
      assertThatThrownBy(() -> index.files("slow"))
          .isInstanceOfSatisfying(
              IndexException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(IndexException.Kind.UNREACHABLE);
                assertThat(e.getMessage()).contains("is unreachable: no response within 300ms");
              });
    }
  }

  @Test
  void findLinksPageOverHttp() throws Exception {
    Files.writeString(
        root.resolve("links.html"),
        "<a href=\"files/demo-1.0-py3-none-any.whl\">a</a> <a href=\"files/sdpkg-3.1.tar.gz\">b</a>");
    try (PackageIndex index = open(IndexLocation.findLinks(List.of(server.url("links.html"))))) {
      assertThat(index.files("demo"))
          .extracting(IndexFile::url)
          .containsExactly(server.url("files/demo-1.0-py3-none-any.whl"));
      assertThat(index.metadata(index.files("sdpkg").get(0))).contains("Summary: tarball");
      assertThat(index.files(List.of("demo", "sdpkg", "celery")).keySet())
          .containsExactly("demo", "sdpkg");
    }
  }

  @Test
  void findLinksBatchOnAFreshClientWithASmallPool() throws Exception {
    Files.writeString(
        root.resolve("links2.html"),
        "<a href=\"files/demo-1.0-py3-none-any.whl\">a</a> <a href=\"files/core-1.0-py3-none-any.whl\">b</a>");
    List<String> links =
        List.of(server.url("links2.html"), root.resolve("files").toUri().toString());
    try (PackageIndex index =
        new HttpPackageIndex(
            IndexLocation.findLinks(links), IndexConfig.defaults().withConcurrency(2))) {
      var files = index.files(List.of("demo", "core", "sdpkg", "bigdemo", "nope", "tampered"));
      assertThat(files.keySet()).containsExactly("demo", "core", "sdpkg", "bigdemo", "tampered");
      // the page comes first: its links win over the directory's same-named files
      assertThat(files.get("demo"))
          .extracting(IndexFile::url)
          .containsExactly(
              server.url("files/demo-1.0-py3-none-any.whl"),
              root.resolve("files/demo-0.9-py3-none-any.whl").toUri().toString());
    }
  }

  // ------------------------------------------------------------------ auth

  static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void basicAuthIsSentAndPasswordsNeverShow() throws Exception {
    try (FixtureServer secure = FixtureServer.start(root)) {
      secure.requiredAuthorization = basic("alice", "s3cret");
      try (PackageIndex index =
          open(IndexLocation.simple(secure.url("simple/")).withBasicAuth("alice", "s3cret"))) {
        IndexFile f = index.files("bigdemo").get(0);
        assertThat(index.metadata(f)).contains("Name: bigdemo"); // range requests carry it too
      }
      String inUrl = "http://alice:s3cret@127.0.0.1:" + secure.port() + "/simple/";
      try (PackageIndex index = open(IndexLocation.simple(inUrl))) {
        assertThat(index.files("demo")).hasSize(2);
        assertThat(index.toString()).doesNotContain("s3cret").contains("alice:***@");
      }
      assertThat(secure.requests)
          .isNotEmpty()
          .allSatisfy(r -> assertThat(r.authorization()).isEqualTo(basic("alice", "s3cret")));

      IndexLocation wrong =
          IndexLocation.simple(secure.url("simple/")).withBasicAuth("alice", "hunter2");
      assertThat(wrong.toString()).doesNotContain("hunter2");
      try (PackageIndex index = open(wrong)) {
        assertThatThrownBy(() -> index.files("demo"))
            .isInstanceOfSatisfying(
                IndexException.class,
                e -> {
                  assertThat(e.kind()).isEqualTo(IndexException.Kind.UNREACHABLE);
                  assertThat(e.getMessage())
                      .contains("HTTP 401")
                      .contains("alice:***@127.0.0.1")
                      .doesNotContain("hunter2");
                });
      }
      secure.requiredAuthorization = basic("__token__", "pypi-tok");
      try (PackageIndex index =
          open(IndexLocation.simple(secure.url("simple/")).withToken("pypi-tok"))) {
        assertThat(index.files("demo")).hasSize(2);
      }
    }
  }

  @Test
  void credentialsAreNotSentToAnotherOrigin(@TempDir Path tmp) throws Exception {
    try (FixtureServer filesHost = FixtureServer.start(root);
        FixtureServer indexHost = FixtureServer.start(tmp)) {
      Files.createDirectories(tmp.resolve("simple/demo"));
      Files.writeString(
          tmp.resolve("simple/demo/index.html"),
          "<a href=\"" + filesHost.url("files/demo-0.9-py3-none-any.whl") + "\">x</a>");
      indexHost.requiredAuthorization = basic("alice", "s3cret");
      try (PackageIndex index =
          open(IndexLocation.simple(indexHost.url("simple/")).withBasicAuth("alice", "s3cret"))) {
        assertThat(index.metadata(index.files("demo").get(0))).contains("Summary: old");
      }
      assertThat(filesHost.requests)
          .isNotEmpty()
          .allSatisfy(r -> assertThat(r.authorization()).isNull());
    }
  }

  @Test
  void closedPortIsUnreachableWithMaskedUrl() {
    IndexLocation loc = IndexLocation.simple("http://bob:hunter2@127.0.0.1:1/simple/");
    assertThat(loc.toString())
        .isEqualTo("IndexLocation[simple http://bob:***@127.0.0.1:1/simple/]");
    try (PackageIndex index = open(loc)) {
      for (Runnable call :
          List.<Runnable>of(
              () -> index.files("django"), () -> index.files(List.of("django", "flask")))) {
        assertThatThrownBy(call::run)
            .isInstanceOfSatisfying(
                IndexException.class,
                e -> {
                  assertThat(e.kind()).isEqualTo(IndexException.Kind.UNREACHABLE);
                  assertThat(e.getMessage())
                      .startsWith(
                          "index http://bob:***@127.0.0.1:1/simple/ is unreachable: connection refused")
                      .doesNotContain("hunter2")
                      .doesNotContain("\n");
                  assertThat(e.url()).doesNotContain("hunter2");
                  for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                    assertThat(String.valueOf(c.getMessage())).doesNotContain("hunter2");
                  }
                });
      }
    }
    try (PackageIndex index = open(IndexLocation.simple("http://127.0.0.1:1/simple/"))) {
      assertThatThrownBy(() -> index.files("django"))
          .hasMessage(
              "index http://127.0.0.1:1/simple/ is unreachable: connection refused (GET http://127.0.0.1:1/simple/django/)");
    }
  }
}
