package dev.pyrelease.index;

import dev.pyrelease.http.Urls;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The files of a project: its PEP 503/691 page on a simple index ({@code http(s)://}, or a {@code
 * file://} tree read in place), or what the find-links pages and directories list under its name.
 *
 * <p>Project pages are requested with {@link #ACCEPT}: a PEP 691 server answers JSON, any other
 * server (Artifactory, devpi, {@code python -m http.server}) HTML; the parser follows the
 * response's {@code Content-Type}.
 */
final class ProjectPages {
  static final String ACCEPT =
      "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2,"
          + " text/html;q=0.1";

  private record FindLinks(Map<String, List<IndexFile>> byProject, List<IndexFile> sdists) {}

  private final IndexHttp http;
  private final IndexLocation location;
  private final IndexStats stats;
  private final OnceMap<FindLinks> findLinks = new OnceMap<>();

  ProjectPages(IndexHttp http, IndexStats stats) {
    this.http = http;
    this.location = http.location();
    this.stats = stats;
  }

  /** The files of a project by its valid, normalised name. */
  List<IndexFile> files(String name) {
    return location.kind() == IndexLocation.Kind.SIMPLE ? simpleProject(name) : linked(name);
  }

  // ---------------------------------------------------------------- simple

  private List<IndexFile> simpleProject(String name) {
    URI base = location.urls().get(0);
    URI page = base.resolve(name + "/");
    if (Urls.isFile(base)) {
      return fileProject(base, page, name);
    }
    stats.pageRequests.incrementAndGet();
    HttpResponse<InputStream> r;
    try {
      r =
          http.get(
              page,
              Map.of("Accept", ACCEPT, "Accept-Encoding", "gzip", "Cache-Control", "max-age=0"),
              HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw pageUnreachable(page, http.describe(e, page), e);
    }
    int status = r.statusCode();
    if (status == 404 || status == 410) {
      IndexHttp.drain(r.body());
      throw new IndexException(
          IndexException.Kind.NOT_FOUND,
          location.displayUrl(page),
          "project '"
              + name
              + "' is not on index "
              + location.display()
              + " (HTTP "
              + status
              + " for "
              + location.displayUrl(page)
              + ")");
    }
    if (status != 200) {
      IndexHttp.drain(r.body());
      throw pageUnreachable(page, IndexHttp.httpStatus(status), null);
    }
    String body;
    try (InputStream in = decoded(r)) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw pageUnreachable(page, http.describe(e, page), e);
    }
    String type = r.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
    try {
      return type.contains("json")
          ? SimplePages.parseJson(body, r.uri())
          : SimplePages.parseHtml(body, r.uri());
    } catch (IllegalArgumentException e) {
      throw new IndexException(
          IndexException.Kind.INVALID,
          location.displayUrl(page),
          "index "
              + location.display()
              + " returned an unreadable page for '"
              + name
              + "': "
              + e.getMessage(),
          e);
    }
  }

  private List<IndexFile> fileProject(URI base, URI page, String name) {
    Path baseDir = Path.of(base);
    if (!Files.isDirectory(baseDir)) {
      throw new IndexException(
          IndexException.Kind.UNREACHABLE,
          base.toString(),
          "index " + base + " is unreachable: directory " + baseDir + " does not exist");
    }
    Path dir = Path.of(page);
    if (!Files.isDirectory(dir)) {
      throw new IndexException(
          IndexException.Kind.NOT_FOUND,
          page.toString(),
          "project '" + name + "' is not on index " + base + " (no directory " + dir + ")");
    }
    Path html = dir.resolve("index.html");
    try {
      if (Files.isRegularFile(html)) {
        return SimplePages.parseHtml(Files.readString(html, StandardCharsets.UTF_8), page);
      }
      return listDirectory(dir);
    } catch (IOException e) {
      throw new IndexException(
          IndexException.Kind.UNREACHABLE,
          page.toString(),
          "index " + base + " is unreachable: cannot read " + dir + ": " + e.getMessage(),
          e);
    }
  }

  private static List<IndexFile> listDirectory(Path dir) throws IOException {
    List<IndexFile> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(Files::isRegularFile)
          .map(p -> p.getFileName().toString())
          .filter(Names::isDistribution)
          .sorted()
          .forEach(
              n ->
                  out.add(
                      new IndexFile(
                          n, dir.resolve(n).toUri().toString(), null, null, false, null, null)));
    }
    return out;
  }

  // ------------------------------------------------------------ find-links

  private List<IndexFile> linked(String name) {
    FindLinks fl = findLinks.get("", this::loadFindLinks);
    List<IndexFile> out = new ArrayList<>(fl.byProject().getOrDefault(name, List.of()));
    for (IndexFile f : fl.sdists()) {
      if (!name.equals(Names.sdistProjectGuess(f.filename()))
          && Names.sdistBelongsTo(f.filename(), name)) {
        out.add(f);
      }
    }
    if (out.isEmpty()) {
      throw new IndexException(
          IndexException.Kind.NOT_FOUND,
          location.display(),
          "project '" + name + "' is not in find-links " + location.display());
    }
    return List.copyOf(out);
  }

  private FindLinks loadFindLinks() {
    // Sequentially, in the calling thread: this may run inside a batch task on the pool, and
    // waiting there for more pool tasks could deadlock a full pool. Find-links lists are short.
    List<List<IndexFile>> parts = new ArrayList<>();
    for (URI u : location.urls()) {
      parts.add(findLinksPage(u));
    }
    Map<String, List<IndexFile>> byProject = new LinkedHashMap<>();
    List<IndexFile> sdists = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (List<IndexFile> files : parts) {
      for (IndexFile f : files) {
        if (!seen.add(f.filename())) {
          continue; // first location wins, like pip's link order
        }
        String key =
            f.isWheel() ? Names.wheelProject(f.filename()) : Names.sdistProjectGuess(f.filename());
        if (key != null) {
          byProject.computeIfAbsent(key, k -> new ArrayList<>()).add(f);
        }
        if (!f.isWheel()) {
          sdists.add(f);
        }
      }
    }
    return new FindLinks(byProject, sdists);
  }

  private List<IndexFile> findLinksPage(URI u) {
    if (Urls.isFile(u)) {
      Path path = Path.of(u);
      try {
        if (Files.isDirectory(path)) {
          return listDirectory(path);
        }
        return SimplePages.parseHtml(Files.readString(path, StandardCharsets.UTF_8), u);
      } catch (IOException e) {
        throw new IndexException(
            IndexException.Kind.UNREACHABLE,
            u.toString(),
            "find-links "
                + u
                + " is unreachable: "
                + (e instanceof NoSuchFileException ? "no such file or directory" : e.toString()),
            e);
      }
    }
    stats.pageRequests.incrementAndGet();
    try {
      HttpResponse<InputStream> r =
          http.get(
              u,
              Map.of(
                  "Accept", "text/html", "Accept-Encoding", "gzip", "Cache-Control", "max-age=0"),
              HttpResponse.BodyHandlers.ofInputStream());
      if (r.statusCode() != 200) {
        IndexHttp.drain(r.body());
        throw new IndexException(
            IndexException.Kind.UNREACHABLE,
            location.displayUrl(u),
            "find-links "
                + location.displayUrl(u)
                + " is unreachable: "
                + IndexHttp.httpStatus(r.statusCode()));
      }
      try (InputStream in = decoded(r)) {
        return SimplePages.parseHtml(
            new String(in.readAllBytes(), StandardCharsets.UTF_8), r.uri());
      }
    } catch (IOException e) {
      throw new IndexException(
          IndexException.Kind.UNREACHABLE,
          location.displayUrl(u),
          "find-links " + location.displayUrl(u) + " is unreachable: " + http.describe(e, u),
          e);
    }
  }

  private IndexException pageUnreachable(URI page, String cause, Throwable e) {
    return new IndexException(
        IndexException.Kind.UNREACHABLE,
        location.displayUrl(page),
        "index "
            + location.display()
            + " is unreachable: "
            + cause
            + " (GET "
            + location.displayUrl(page)
            + ")",
        e);
  }

  private static InputStream decoded(HttpResponse<InputStream> r) throws IOException {
    String enc = r.headers().firstValue("Content-Encoding").orElse("");
    return enc.equalsIgnoreCase("gzip") ? new GZIPInputStream(r.body()) : r.body();
  }
}
