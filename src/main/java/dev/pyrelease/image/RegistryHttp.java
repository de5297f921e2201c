package dev.pyrelease.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pyrelease.http.Credentials;
import dev.pyrelease.http.Digests;
import dev.pyrelease.http.HttpTransport;
import dev.pyrelease.http.TransportConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few OCI distribution calls pyrelease makes itself: a manifest HEAD (does an image exist,
 * which digest does a tag name), GETs of a manifest and a blob, a blob HEAD, a monolithic blob
 * upload (POST, then PUT with the bytes) and a manifest PUT. Jib pushes the venv layers; these are
 * the calls of a build's source step and of an app-only release (see {@link AppLayerPush}).
 *
 * <p>Requests go through the shared {@link HttpTransport}: a registry's credentials or token only
 * to the origin they were sent to (a blob redirected to a storage host goes there without them),
 * never a redirect from https to http, dropped connections of idempotent calls sent again.
 *
 * <p>One instance keeps its connections open (Jib's client opens one per request) and remembers
 * what it learnt: which registries answered over plain HTTP (with insecure access they are asked
 * over HTTP first from then on, where HTTPS first cost a failed TLS handshake on every call), and
 * bearer tokens per repository and scope (asked again when the registry says 401).
 *
 * <p>Credentials go only over HTTPS, unless {@code sendCredentialsOverHttp} (Jib's rule). Insecure
 * access also accepts any TLS certificate. Failures are {@link ImageException}s with one-line
 * messages; the registry's own error text is kept, the credentials never.
 */
public final class RegistryHttp {
  /** Manifest media types asked for: single images and indexes, OCI and Docker. */
  static final String MANIFEST_TYPES =
      String.join(
          ",",
          "application/vnd.oci.image.manifest.v1+json",
          "application/vnd.docker.distribution.manifest.v2+json",
          "application/vnd.oci.image.index.v1+json",
          "application/vnd.docker.distribution.manifest.list.v2+json");

  private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TransportConfig TRANSPORT =
      TransportConfig.of(Duration.ofSeconds(10), Duration.ofSeconds(60), "pyrelease");

  /** A manifest as the registry sent it. */
  public record Manifest(String mediaType, byte[] body, String digest) {}

  /** A response: status, headers, body (empty for HEAD). */
  private record Answer(int status, java.net.http.HttpHeaders headers, byte[] body) {
    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  /** What a request is about: the image (for messages and scope) and the access it needs. */
  private record Call(ImageRef image, boolean push, String method, String path) {}

  /** Builds a request for a base URI ({@code scheme://registry}). */
  private interface Request {
    HttpRequest.Builder at(URI base);
  }

  private final RegistryCredentials credentials;
  private final boolean insecure;
  private final boolean sendCredentialsOverHttp;
  private final HttpTransport http;

  /**
   * For the first HTTPS attempt at a registry with insecure access, which may well be plain HTTP: a
   * server that does not answer a TLS hello at all (not every plain-HTTP server sends a 400) would
   * hold each first call for the whole connect timeout before HTTP is tried. It sends once: a
   * plain-HTTP server that hangs up on a TLS hello looks like a dropped connection.
   */
  private final HttpTransport probe;

  private final Set<String> plainHttp = ConcurrentHashMap.newKeySet();
  private final Set<String> tls = ConcurrentHashMap.newKeySet();
  private final Map<String, String> tokens = new ConcurrentHashMap<>();

  /**
   * @param insecure allow plain HTTP (after HTTPS failed) and any TLS certificate
   * @param sendCredentialsOverHttp send credentials to a registry that answered over plain HTTP
   */
  public RegistryHttp(
      RegistryCredentials credentials, boolean insecure, boolean sendCredentialsOverHttp) {
    this.credentials = credentials;
    this.insecure = insecure;
    this.sendCredentialsOverHttp = sendCredentialsOverHttp;
    this.http = new HttpTransport(TRANSPORT.withInsecureTls(insecure));
    this.probe =
        insecure
            ? new HttpTransport(
                TRANSPORT
                    .withInsecureTls(true)
                    .withConnectTimeout(Duration.ofSeconds(3))
                    .withAttempts(1))
            : http;
  }

  /** The digest a manifest HEAD names, or empty when the registry has no such manifest. */
  public Optional<String> manifestDigest(ImageRef ref) throws ImageException {
    Answer a =
        send(
            new Call(ref, false, "HEAD", "/manifests/" + ref.qualifier()),
            base ->
                HttpRequest.newBuilder(base.resolve(path(ref, "/manifests/" + ref.qualifier())))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .header("Accept", MANIFEST_TYPES));
    if (a.status() == 404) {
      return Optional.empty();
    }
    expect(a, ref, "a manifest HEAD");
    String d = a.header("Docker-Content-Digest");
    if (d == null) {
      throw new ImageException(
          "registry " + ref.registry() + " sent no Docker-Content-Digest for " + ref,
          ref.registry(),
          null);
    }
    return Optional.of(d);
  }

  /** The manifest of {@code ref}; a missing one is {@link BaseImageNotFoundException}. */
  public Manifest manifest(ImageRef ref) throws ImageException {
    Answer a =
        send(
            new Call(ref, false, "GET", "/manifests/" + ref.qualifier()),
            base ->
                HttpRequest.newBuilder(base.resolve(path(ref, "/manifests/" + ref.qualifier())))
                    .header("Accept", MANIFEST_TYPES));
    if (a.status() == 404) {
      throw new BaseImageNotFoundException(ref.toString(), ref.registry(), null);
    }
    expect(a, ref, "a manifest GET");
    String type = a.header("Content-Type");
    String digest = a.header("Docker-Content-Digest");
    if (digest == null) {
      digest = "sha256:" + Digests.sha256(a.body());
    }
    return new Manifest(type == null ? "" : type.split(";")[0].trim(), a.body(), digest);
  }

  /**
   * The single-image manifest of {@code ref}: the linux/amd64 entry's when {@code ref} names an
   * index (manifest list). A missing one is {@link BaseImageNotFoundException}.
   */
  public Manifest imageManifest(ImageRef ref) throws ImageException {
    Manifest m = manifest(ref);
    JsonNode index = json(m, ref);
    if (!index.has("manifests")) {
      return m;
    }
    for (JsonNode d : index.path("manifests")) {
      JsonNode p = d.path("platform");
      if ("amd64".equals(p.path("architecture").asText())
          && "linux".equals(p.path("os").asText())) {
        return manifest(ref.withDigest(d.path("digest").asText()));
      }
    }
    throw new ImageException("no linux/amd64 image in " + ref, ref.registry(), null);
  }

  /** A manifest's JSON. */
  public static JsonNode json(Manifest m, ImageRef ref) throws ImageException {
    try {
      return JSON.readTree(m.body());
    } catch (IOException e) {
      throw new ImageException(
          "registry " + ref.registry() + " sent a manifest that is not JSON for " + ref,
          ref.registry(),
          e);
    }
  }

  /**
   * Mounts a blob of another repository on the same registry into {@code repository} (no bytes
   * sent); whether the registry did. Registries may decline (then they open an upload instead).
   */
  public boolean mountBlob(ImageRef repository, String digest, String fromRepository)
      throws ImageException {
    String query = "?mount=" + enc(digest) + "&from=" + enc(fromRepository);
    Answer a =
        send(
            new Call(repository, true, "POST", "/blobs/uploads/"),
            base ->
                HttpRequest.newBuilder(base.resolve(path(repository, "/blobs/uploads/") + query))
                    .POST(HttpRequest.BodyPublishers.noBody()));
    expect(a, repository, "mounting blob " + digest);
    return a.status() == 201;
  }

  /** A blob's bytes (small ones: a config). */
  public byte[] blob(ImageRef repository, String digest) throws ImageException {
    Answer a =
        send(
            new Call(repository, false, "GET", "/blobs/" + digest),
            base -> HttpRequest.newBuilder(base.resolve(path(repository, "/blobs/" + digest))));
    expect(a, repository, "blob " + digest);
    return a.body();
  }

  /** Whether the repository has a blob. */
  public boolean hasBlob(ImageRef repository, String digest) throws ImageException {
    Answer a =
        send(
            new Call(repository, true, "HEAD", "/blobs/" + digest),
            base ->
                HttpRequest.newBuilder(base.resolve(path(repository, "/blobs/" + digest)))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()));
    if (a.status() == 404) {
      return false;
    }
    expect(a, repository, "a blob HEAD");
    return true;
  }

  /** Uploads a blob in one PUT (after the POST that opens the upload). */
  public void pushBlob(ImageRef repository, String digest, HttpRequest.BodyPublisher bytes)
      throws ImageException {
    Answer opened =
        send(
            new Call(repository, true, "POST", "/blobs/uploads/"),
            base ->
                HttpRequest.newBuilder(base.resolve(path(repository, "/blobs/uploads/")))
                    .POST(HttpRequest.BodyPublishers.noBody()));
    expect(opened, repository, "opening an upload");
    String location = opened.header("Location");
    if (location == null) {
      throw new ImageException(
          "registry " + repository.registry() + " opened an upload without a Location",
          repository.registry(),
          null);
    }
    String query = (location.contains("?") ? "&" : "?") + "digest=" + enc(digest);
    Answer put =
        send(
            new Call(repository, true, "PUT", "/blobs/uploads/"),
            base ->
                HttpRequest.newBuilder(
                        base.resolve(path(repository, "/blobs/uploads/")).resolve(location + query))
                    .header("Content-Type", "application/octet-stream")
                    .PUT(bytes));
    expect(put, repository, "blob " + digest);
  }

  /** PUTs a manifest under a tag (or digest); the digest the registry names it by. */
  public String putManifest(ImageRef ref, String mediaType, byte[] body) throws ImageException {
    Answer a =
        send(
            new Call(ref, true, "PUT", "/manifests/" + ref.qualifier()),
            base ->
                HttpRequest.newBuilder(base.resolve(path(ref, "/manifests/" + ref.qualifier())))
                    .header("Content-Type", mediaType)
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
    expect(a, ref, "the manifest of " + ref);
    String d = a.header("Docker-Content-Digest");
    return d != null ? d : "sha256:" + Digests.sha256(body);
  }

  /**
   * PUTs one manifest under each tag, in order, checking that the registry names it by the digest
   * we computed (a registry that rewrote it would leave tags on another image).
   */
  public void putManifestTagged(
      ImageRef repo,
      String mediaType,
      byte[] body,
      String digest,
      List<String> tags,
      Consumer<String> progress)
      throws ImageException {
    for (String tag : tags) {
      progress.accept("Pushing manifest for " + tag + "...");
      String named = putManifest(repo.withTag(tag), mediaType, body);
      if (!named.equals(digest)) {
        throw new ImageException(
            "registry " + repo.registry() + " names the manifest " + named + ", not " + digest,
            repo.registry(),
            null);
      }
    }
  }

  // ---------------------------------------------------------------- transport

  private static String path(ImageRef ref, String rest) {
    return "/v2/" + ref.repository() + rest;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /**
   * Sends over the scheme that answered last time, else HTTPS, then (insecure access) HTTP; a
   * remembered scheme that stops answering is forgotten and the call made as the first time.
   */
  private Answer send(Call call, Request request) throws ImageException {
    String registry = call.image().registry();
    IOException last = null;
    if (plainHttp.contains(registry)) {
      try {
        return sendAuthorized(call, request, "http");
      } catch (IOException e) {
        plainHttp.remove(registry);
        last = e;
      }
    }
    for (String scheme : insecure ? new String[] {"https", "http"} : new String[] {"https"}) {
      try {
        Answer a = sendAuthorized(call, request, scheme);
        (scheme.equals("http") ? plainHttp : tls).add(registry);
        return a;
      } catch (IOException e) {
        last = e;
      }
    }
    RegistryUnreachableException u = Failures.unreachable(last, registry);
    if (!insecure && u.reason().startsWith("TLS handshake failed")) {
      // most often a plain-HTTP registry (a loopback or in-cluster one) reached over HTTPS
      throw new RegistryUnreachableException(
          registry, u.reason() + " (if it is plain HTTP, allow it with --insecure-registry)", last);
    }
    throw u;
  }

  private Answer sendAuthorized(Call call, Request request, String scheme)
      throws IOException, ImageException {
    URI base = URI.create(scheme + "://" + call.image().registry());
    boolean https = scheme.equals("https");
    String key = tokenKey(call);
    String auth = tokens.get(key);
    HttpTransport client =
        https && insecure && !tls.contains(call.image().registry()) ? probe : http;
    Answer a = exchange(client, request, base, https ? auth : authOverHttp(auth));
    if (a.status() != 401) {
      return a;
    }
    if (!https && !sendCredentialsOverHttp) {
      throw new RegistryUnauthorizedException(
          call.image().registry(), call.image().repository(), Failures.NOT_SENT, null);
    }
    auth = authorize(call, a.header("WWW-Authenticate"), base);
    if (auth == null) {
      throw new RegistryUnauthorizedException(
          call.image().registry(), call.image().repository(), null);
    }
    tokens.put(key, auth);
    a = exchange(client, request, base, auth);
    if (a.status() == 401) {
      tokens.remove(key);
      throw new RegistryUnauthorizedException(
          call.image().registry(), call.image().repository(), null);
    }
    return a;
  }

  private String authOverHttp(String auth) {
    return sendCredentialsOverHttp ? auth : null;
  }

  /** One request; {@code authorization} goes to the request's own origin only. */
  private Answer exchange(HttpTransport client, Request request, URI base, String authorization)
      throws IOException {
    HttpRequest r0 = request.at(base).build();
    try {
      HttpResponse<byte[]> r =
          client.send(
              r0,
              Credentials.forOrigin(r0.uri(), authorization),
              HttpResponse.BodyHandlers.ofByteArray());
      return new Answer(r.statusCode(), r.headers(), r.body() == null ? new byte[0] : r.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted");
    }
  }

  private static String tokenKey(Call call) {
    return call.image().registry()
        + "/"
        + call.image().repository()
        + (call.push() ? " push" : " pull");
  }

  /**
   * The Authorization for a 401's challenge: Basic with the registry's credentials, or a bearer
   * token from the challenge's realm for this repository (pull, or pull and push); null when there
   * is nothing to answer with.
   */
  private String authorize(Call call, String challenge, URI base) throws IOException {
    Optional<RegistryCredentials.Credential> cred =
        credentials.forRegistry(call.image().registry());
    String basic = cred.map(c -> Credentials.basic(c.username(), c.password())).orElse(null);
    if (challenge == null || !challenge.regionMatches(true, 0, "Bearer", 0, 6)) {
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
    String scope =
        "repository:" + call.image().repository() + (call.push() ? ":pull,push" : ":pull");
    URI token =
        base.resolve(
            realm
                + (realm.contains("?") ? "&" : "?")
                + "scope="
                + enc(scope)
                + (service == null ? "" : "&service=" + enc(service)));
    Answer t =
        exchange(
            http,
            b -> HttpRequest.newBuilder(token),
            base,
            token.getScheme().equals("https") || sendCredentialsOverHttp ? basic : null);
    if (t.status() / 100 != 2) {
      return null;
    }
    JsonNode json = JSON.readTree(t.body());
    String value =
        json.hasNonNull("token") ? json.get("token").asText() : json.path("access_token").asText();
    return value.isEmpty() ? null : "Bearer " + value;
  }

  /**
   * Any 2xx: the distribution spec names 200, 201 (a PUT) or 202 (an upload's POST), and registries
   * differ in which they send.
   */
  private static void expect(Answer a, ImageRef image, String what) throws ImageException {
    if (a.status() / 100 == 2) {
      return;
    }
    if (a.status() == 401 || a.status() == 403) {
      throw new RegistryUnauthorizedException(image.registry(), image.repository(), null);
    }
    throw new ImageException(
        "registry "
            + image.registry()
            + " answered HTTP "
            + a.status()
            + " to "
            + what
            + errorText(a.body()),
        image.registry(),
        null);
  }

  /** The registry's error message ({@code {"errors":[{"code","message"}]}}), if any. */
  private static String errorText(byte[] body) {
    try {
      JsonNode e = JSON.readTree(body).path("errors").path(0);
      if (e.isMissingNode()) {
        return "";
      }
      return ": " + e.path("code").asText() + " " + e.path("message").asText();
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
