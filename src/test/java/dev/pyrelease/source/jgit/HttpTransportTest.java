package dev.pyrelease.source.jgit;

import static dev.pyrelease.source.jgit.TestRepos.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pyrelease.source.GitCredentials;
import dev.pyrelease.source.SourceException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.zip.GZIPInputStream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.errors.PackProtocolException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.PacketLineOut;
import org.eclipse.jgit.transport.RefAdvertiser;
import org.eclipse.jgit.transport.UploadPack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * https-style access with basic auth against a tiny smart-HTTP server (protocol v0, stateless, as
 * git-http-backend): the JDK's HttpServer in front of JGit's UploadPack.
 */
class HttpTransportTest {
  static final String USER = "ci-bot";
  static final String SECRET = "s3cr3t-t0ken";

  @TempDir Path tmp;
  TestRepos repo;
  Repository served;
  HttpServer server;
  String url;
  JGitResolver resolver;

  @BeforeEach
  void setUp() throws Exception {
    repo = TestRepos.create(tmp);
    served = new FileRepositoryBuilder().setGitDir(repo.dir.resolve(".git").toFile()).build();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/shop.git/", ex -> handle(ex, false));
    server.createContext("/strict.git/", ex -> handle(ex, true));
    server.createContext("/always401.git/", ex -> deny(ex));
    server.start();
    url = "http://127.0.0.1:" + server.getAddress().getPort() + "/shop.git";
    resolver = new JGitResolver(tmp.resolve("cache"));
  }

  @AfterEach
  void tearDown() {
    resolver.close();
    server.stop(0);
    served.close();
  }

  private static void deny(HttpExchange ex) throws IOException {
    ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
    ex.sendResponseHeaders(401, -1);
    ex.close();
  }

  /** {@code strict}: wants must be current ref tips (as git's default uploadpack policy). */
  private void handle(HttpExchange ex, boolean strict) throws IOException {
    String expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((USER + ":" + SECRET).getBytes(StandardCharsets.UTF_8));
    if (!expected.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
      deny(ex);
      return;
    }
    String path = ex.getRequestURI().getPath();
    try (ex) {
      UploadPack up = new UploadPack(served);
      up.setBiDirectionalPipe(false);
      if (strict) {
        up.setRequestValidator(
            (pack, wants) -> {
              var tips = new java.util.HashSet<ObjectId>();
              for (Ref r : served.getRefDatabase().getRefs()) {
                tips.add(r.getObjectId());
              }
              for (ObjectId w : wants) {
                if (!tips.contains(w)) {
                  throw new PackProtocolException("want " + w.name() + " not valid");
                }
              }
            });
      }
      if (path.endsWith("/info/refs")) {
        ex.getResponseHeaders().add("Content-Type", "application/x-git-upload-pack-advertisement");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        PacketLineOut pck = new PacketLineOut(out);
        pck.writeString("# service=git-upload-pack\n");
        pck.end();
        up.sendAdvertisedRefs(new RefAdvertiser.PacketLineOutRefAdvertiser(pck));
        out.flush();
      } else if (path.endsWith("/git-upload-pack")) {
        InputStream in = ex.getRequestBody();
        if ("gzip".equals(ex.getRequestHeaders().getFirst("Content-Encoding"))) {
          in = new GZIPInputStream(in);
        }
        ex.getResponseHeaders().add("Content-Type", "application/x-git-upload-pack-result");
        ex.sendResponseHeaders(200, 0);
        up.upload(in, ex.getResponseBody(), null);
      } else {
        ex.sendResponseHeaders(404, -1);
      }
    }
  }

  @Test
  void resolveAndReadWithBasicAuth() {
    GitCredentials creds = GitCredentials.basic(USER, SECRET);
    assertThat(resolver.resolve(url, "v1.1", creds).commit()).isEqualTo(repo.c2);
    assertThat(resolver.resolve(url, "main", creds).commit()).isEqualTo(repo.c3);
    // c1 is no longer main's tip: stateless HTTP serves reachable commits by SHA
    assertThat(read(resolver, url, repo.c1, "requirements/prod.txt", creds))
        .contains("django==5.2.17");
    assertThat(resolver.lastFetch()).isEqualTo("sha");
    Path out = resolver.checkout(url, repo.c3, tmp.resolve("src"), creds);
    assertThat(out.resolve("requirements/prod.txt")).hasContent("-r base.txt\ndjango==5.2.18");
  }

  @Test
  void strictServerFallsBackToTheWholeHistory() throws Exception {
    String strict = url.replace("/shop.git", "/strict.git");
    GitCredentials creds = GitCredentials.basic(USER, SECRET);
    // a tip: by SHA
    assertThat(read(resolver, strict, repo.c3, "requirements/prod.txt", creds)).contains("5.2.18");
    assertThat(resolver.lastFetch()).isEqualTo("sha");
    try (Git git = Git.wrap(served)) {
      git.tagDelete().setTags("v1.0", "release").call();
      git.branchDelete().setBranchNames("release").setForce(true).call();
    }
    // c1 is in main's history only: refused by SHA, fetched with the history
    assertThat(read(resolver, strict, repo.c1, "requirements/prod.txt", creds)).contains("5.2.17");
    assertThat(resolver.lastFetch()).isEqualTo("history");
    // an unknown commit after all that
    SourceException e =
        catchThrowableOfType(
            () -> read(resolver, strict, "0123456789abcdef0123456789abcdef01234567", "x", creds),
            SourceException.class);
    assertThat(e.kind()).isEqualTo(SourceException.Kind.NOT_FOUND);
    assertThat(e.getMessage()).contains("not reachable from any branch or tag");
  }

  @Test
  void credentialsInTheUrlWorkAndAreMasked() {
    String withCreds = url.replace("http://", "http://" + USER + ":" + SECRET + "@");
    assertThat(resolver.resolve(withCreds, "dev", GitCredentials.none()).commit())
        .isEqualTo(repo.c2);
    SourceException e =
        catchThrowableOfType(
            () -> resolver.resolve(withCreds, "nope", GitCredentials.none()),
            SourceException.class);
    assertThat(e.kind()).isEqualTo(SourceException.Kind.NOT_FOUND);
    assertThat(e.getMessage()).contains("http://***@127.0.0.1").doesNotContain(SECRET);
  }

  @Test
  void wrongOrMissingCredentialsAreUnauthorizedAndNeverShown() {
    String withCreds = url.replace("http://", "http://" + USER + ":" + SECRET + "-wrong@");
    for (Runnable call :
        new Runnable[] {
          () -> resolver.resolve(url, "main", GitCredentials.none()),
          () -> resolver.resolve(url, "main", GitCredentials.basic(USER, "wrong-password")),
          () -> resolver.resolve(withCreds, "main", GitCredentials.none()),
          () -> read(resolver, withCreds, repo.c1, "x", GitCredentials.none()),
          () -> read(resolver, url, repo.c1, "x", GitCredentials.basic(USER, "wrong-password")),
        }) {
      SourceException e = catchThrowableOfType(call::run, SourceException.class);
      assertThat(e.kind()).as(e.getMessage()).isEqualTo(SourceException.Kind.UNAUTHORIZED);
      assertThat(e.getMessage())
          .contains("127.0.0.1")
          .doesNotContain(SECRET)
          .doesNotContain("wrong-password");
      assertThat(String.valueOf(e.getCause())).doesNotContain(SECRET);
      assertThat(e.transientFailure()).isFalse();
    }
  }

  @Test
  void plainServerAnswering401() {
    String u =
        "http://user:secret-value@127.0.0.1:" + server.getAddress().getPort() + "/always401.git";
    SourceException e =
        catchThrowableOfType(
            () -> resolver.resolve(u, "main", GitCredentials.basic("user", "other-secret")),
            SourceException.class);
    assertThat(e.kind()).isEqualTo(SourceException.Kind.UNAUTHORIZED);
    assertThat(e.getMessage())
        .doesNotContain("secret-value")
        .doesNotContain("other-secret")
        .contains("http://***@127.0.0.1");
  }
}
