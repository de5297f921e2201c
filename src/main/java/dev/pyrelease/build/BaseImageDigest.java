package dev.pyrelease.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pyrelease.image.ImageRef;
import dev.pyrelease.image.RegistryCredentials;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The manifest digest of a base image, for the dependency key: a reference that already has a
 * digest is taken as is; a tag is resolved with one manifest HEAD (Docker-Content-Digest), with
 * Basic credentials or a Bearer token from the registry's challenge; a docker-save archive is
 * identified by the sha256 of the file.
 *
 * <p>(The image package's {@code ImageWriter.exists} answers only yes/no, so this small registry
 * call lives here.)
 */
public final class BaseImageDigest {
  private static final String ACCEPT =
      String.join(
          ",",
          "application/vnd.oci.image.index.v1+json",
          "application/vnd.docker.distribution.manifest.list.v2+json",
          "application/vnd.oci.image.manifest.v1+json",
          "application/vnd.docker.distribution.manifest.v2+json");
  private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  private final RegistryCredentials credentials;
  private final boolean insecure;

  /**
   * Registries that answered over plain HTTP after HTTPS failed (insecure access only). They are
   * asked over HTTP first from then on: a {@code build --watch} session resolves the base on every
   * rebuild, and each HTTPS attempt at a plain-HTTP registry costs a TLS handshake that fails.
   */
  private final Set<String> plainHttp = ConcurrentHashMap.newKeySet();

  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(10))
          .followRedirects(HttpClient.Redirect.NORMAL)
          .build();

  public BaseImageDigest(RegistryCredentials credentials, boolean insecure) {
    this.credentials = credentials;
    this.insecure = insecure;
  }

  public static String ofTar(Path tar) {
    return "sha256:" + SourceTree.sha256(tar);
  }

  /**
   * @throws BuildException ENVIRONMENT when the registry cannot be reached or refuses, INPUT when
   *     the image does not exist
   */
  public String resolve(String reference) {
    ImageRef ref = ImageRef.parse(reference);
    if (ref.digest() != null) {
      return ref.digest();
    }
    try {
      if (plainHttp.contains(ref.registry())) {
        try {
          return head(uri("http", ref), ref, reference);
        } catch (IOException | BuildException e) {
          if (e instanceof BuildException b && b.kind() == BuildException.Kind.INPUT) {
            throw b; // the image does not exist: a real answer
          }
          plainHttp.remove(ref.registry()); // changed since: ask as the first time
        }
      }
      IOException last = null;
      for (String scheme : insecure ? new String[] {"https", "http"} : new String[] {"https"}) {
        try {
          String digest = head(uri(scheme, ref), ref, reference);
          if (scheme.equals("http")) {
            plainHttp.add(ref.registry());
          }
          return digest;
        } catch (IOException e) {
          last = e;
        }
      }
      throw unreachable(ref, reference, last);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw BuildException.environment("interrupted while resolving " + reference);
    }
  }

  private static URI uri(String scheme, ImageRef ref) {
    return URI.create(
        scheme
            + "://"
            + ref.registry()
            + "/v2/"
            + ref.repository()
            + "/manifests/"
            + ref.qualifier());
  }

  private static BuildException unreachable(ImageRef ref, String reference, IOException last) {
    return BuildException.environment(
        "registry "
            + ref.registry()
            + " unreachable while resolving the base image "
            + reference
            + ": "
            + describe(last));
  }

  private String head(URI uri, ImageRef ref, String reference)
      throws IOException, InterruptedException {
    HttpResponse<Void> r = send(uri, null);
    if (r.statusCode() == 401) {
      String auth = authorize(r, ref, reference);
      r = send(uri, auth);
    }
    if (r.statusCode() == 404) {
      throw BuildException.input("base image " + reference + " does not exist");
    }
    if (r.statusCode() == 401 || r.statusCode() == 403) {
      throw BuildException.environment(
          "registry " + ref.registry() + " refused access to the base image " + reference);
    }
    if (r.statusCode() / 100 != 2) {
      throw BuildException.environment(
          "registry "
              + ref.registry()
              + " answered HTTP "
              + r.statusCode()
              + " for the base image "
              + reference);
    }
    return r.headers()
        .firstValue("Docker-Content-Digest")
        .orElseThrow(
            () ->
                BuildException.environment(
                    "registry "
                        + ref.registry()
                        + " sent no Docker-Content-Digest for "
                        + reference));
  }

  private HttpResponse<Void> send(URI uri, String authorization)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .method("HEAD", HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(30))
            .header("Accept", ACCEPT);
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.discarding());
  }

  private String authorize(HttpResponse<Void> r, ImageRef ref, String reference)
      throws IOException, InterruptedException {
    String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
    Optional<RegistryCredentials.Credential> cred = credentials.forRegistry(ref.registry());
    String basic =
        cred.map(
                c ->
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString(
                                (c.username() + ":" + c.password())
                                    .getBytes(StandardCharsets.UTF_8)))
            .orElse(null);
    if (!challenge.regionMatches(true, 0, "Bearer", 0, 6)) {
      return basic;
    }
    String realm = null;
    String service = null;
    Matcher m = PARAM.matcher(challenge);
    while (m.find()) {
      if (m.group(1).equals("realm")) {
        realm = m.group(2);
      } else if (m.group(1).equals("service")) {
        service = m.group(2);
      }
    }
    if (realm == null) {
      return basic;
    }
    String url =
        realm
            + "?scope="
            + URLEncoder.encode("repository:" + ref.repository() + ":pull", StandardCharsets.UTF_8)
            + (service == null
                ? ""
                : "&service=" + URLEncoder.encode(service, StandardCharsets.UTF_8));
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    if (basic != null) {
      b.header("Authorization", basic);
    }
    HttpResponse<String> t = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (t.statusCode() / 100 != 2) {
      throw BuildException.environment(
          "registry " + ref.registry() + " refused a pull token for " + reference);
    }
    JsonNode json = new ObjectMapper().readTree(t.body());
    String token =
        json.hasNonNull("token") ? json.get("token").asText() : json.path("access_token").asText();
    return "Bearer " + token;
  }

  private static String describe(IOException e) {
    if (e == null) {
      return "no answer";
    }
    String msg = e.getMessage();
    return e.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
  }
}
