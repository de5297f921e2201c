package dev.pyrelease.index;

import dev.pyrelease.http.Digests;
import dev.pyrelease.http.Urls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The core metadata of one index file, the cheapest way the server allows: the PEP 658 {@code
 * .metadata} file (hash-checked), else the entry read out of the remote zip with range requests
 * ({@link RemoteZip}), else the whole file, hash-checked, read in memory or through a temp file;
 * {@code file://} archives are opened in place.
 */
final class WheelMetadata {
  /** First range read from a wheel's end: EOCD + central directory of most wheels. */
  static final int TAIL_BYTES = 64 * 1024;

  /** Whole downloads of zips up to this size are read in memory rather than via a temp file. */
  static final int IN_MEMORY_LIMIT = 32 << 20;

  private static final Pattern CONTENT_RANGE =
      Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)", Pattern.CASE_INSENSITIVE);

  private final IndexHttp http;
  private final IndexLocation location;
  private final boolean rangeRequests;
  private final IndexStats stats;

  WheelMetadata(IndexHttp http, boolean rangeRequests, IndexStats stats) {
    this.http = http;
    this.location = http.location();
    this.rangeRequests = rangeRequests;
    this.stats = stats;
  }

  String read(IndexFile f) {
    if (f.metadataUrl() != null) {
      String viaPep658 = pep658(f);
      if (viaPep658 != null) {
        return viaPep658;
      }
    }
    URI u = Urls.parseLenient(f.url());
    if (Urls.isFile(u)) {
      return Archives.readMetadata(Path.of(u), f.filename(), f.url());
    }
    if (rangeRequests && isZip(f)) {
      return viaRange(f, u);
    }
    return viaDownload(f, u);
  }

  /** The PEP 658 metadata file, hash-checked; null when it turns out to be missing (404). */
  private String pep658(IndexFile f) {
    URI mu = Urls.parseLenient(f.metadataUrl());
    byte[] body;
    stats.metadataFiles.incrementAndGet();
    if (Urls.isFile(mu)) {
      try {
        body = Files.readAllBytes(Path.of(mu));
      } catch (NoSuchFileException e) {
        return null;
      } catch (IOException e) {
        throw http.fileUnreachable(mu, e.toString(), e);
      }
    } else {
      try {
        HttpResponse<byte[]> r = http.get(mu, Map.of(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() == 404 || r.statusCode() == 410) {
          return null;
        }
        if (r.statusCode() != 200) {
          throw http.fileUnreachable(mu, IndexHttp.httpStatus(r.statusCode()), null);
        }
        body = r.body();
      } catch (IOException e) {
        throw http.fileUnreachable(mu, http.describe(e, mu), e);
      }
    }
    if (f.metadataSha256() != null) {
      String got = Digests.sha256(body);
      if (!got.equalsIgnoreCase(f.metadataSha256())) {
        throw new IndexException(
            IndexException.Kind.HASH_MISMATCH,
            location.displayUrl(mu),
            "sha256 mismatch for the metadata of "
                + f.filename()
                + " ("
                + location.displayUrl(mu)
                + "): index says "
                + f.metadataSha256()
                + ", file has "
                + got);
      }
    }
    return new String(body, StandardCharsets.UTF_8);
  }

  private String viaRange(IndexFile f, URI u) {
    HttpResponse<InputStream> r;
    stats.rangeRequests.incrementAndGet();
    try {
      r =
          http.get(
              u,
              Map.of("Range", "bytes=-" + TAIL_BYTES),
              HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw http.fileUnreachable(u, http.describe(e, u), e);
    }
    int status = r.statusCode();
    if (status == 200) { // server ignores Range: this is the whole file already
      return fromFullBody(f, u, r);
    }
    if (status != 206) {
      IndexHttp.drain(r.body());
      if (status == 416) {
        return viaDownload(f, u);
      }
      throw http.fileUnreachable(u, IndexHttp.httpStatus(status), null);
    }
    Matcher cr = CONTENT_RANGE.matcher(r.headers().firstValue("Content-Range").orElse(""));
    byte[] tail;
    try (InputStream in = r.body()) {
      tail = in.readAllBytes();
    } catch (IOException e) {
      throw http.fileUnreachable(u, http.describe(e, u), e);
    }
    if (!cr.find() || cr.group(3).equals("*")) {
      return viaDownload(f, u);
    }
    long start = Long.parseLong(cr.group(1));
    long total = Long.parseLong(cr.group(3));
    byte[] entry;
    try {
      entry =
          RemoteZip.readEntry(
              tail, start, total, (s, e) -> rangeRead(u, s, e), picker(f), new int[1]);
    } catch (IOException e) {
      // odd zip layout or a server that stopped honouring Range: take the slow, sure way
      return viaDownload(f, u);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw IndexHttp.interrupted(location.displayUrl(u));
    }
    if (entry == null) {
      throw Archives.missing(f.filename(), location.displayUrl(u), f.isWheel());
    }
    return new String(entry, StandardCharsets.UTF_8);
  }

  private byte[] rangeRead(URI u, long start, long endExclusive) throws IOException {
    stats.rangeRequests.incrementAndGet();
    HttpResponse<byte[]> r;
    try {
      r =
          http.get(
              u,
              Map.of("Range", "bytes=" + start + "-" + (endExclusive - 1)),
              HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw http.fileUnreachable(u, http.describe(e, u), e);
    }
    if (r.statusCode() != 206) {
      throw new IOException("range request answered with HTTP " + r.statusCode());
    }
    Matcher cr = CONTENT_RANGE.matcher(r.headers().firstValue("Content-Range").orElse(""));
    if (!cr.find() || Long.parseLong(cr.group(1)) != start) {
      throw new IOException("unexpected Content-Range");
    }
    return r.body();
  }

  private String viaDownload(IndexFile f, URI u) {
    HttpResponse<InputStream> r;
    try {
      r = http.get(u, Map.of(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw http.fileUnreachable(u, http.describe(e, u), e);
    }
    if (r.statusCode() != 200) {
      IndexHttp.drain(r.body());
      throw http.fileUnreachable(u, IndexHttp.httpStatus(r.statusCode()), null);
    }
    return fromFullBody(f, u, r);
  }

  /**
   * Reads a whole file, checks its sha256 and reads the metadata out of it: zips up to {@link
   * #IN_MEMORY_LIMIT} in memory (no disk round trip), anything else via a temp file that is deleted
   * afterwards.
   */
  private String fromFullBody(IndexFile f, URI u, HttpResponse<InputStream> r) {
    stats.fullDownloads.incrementAndGet();
    long length = r.headers().firstValueAsLong("Content-Length").orElse(-1);
    MessageDigest md = Digests.newSha256();
    Path tmp = null;
    try {
      if (isZip(f) && length >= 0 && length <= IN_MEMORY_LIMIT) {
        byte[] data;
        try (InputStream in = new DigestInputStream(r.body(), md)) {
          data = in.readNBytes(IN_MEMORY_LIMIT + 1);
          if (in.read() >= 0 || data.length > IN_MEMORY_LIMIT) {
            throw new IOException("body longer than its Content-Length");
          }
        }
        checkHash(f, u, md);
        return fromZipBytes(f, u, data);
      }
      tmp = Files.createTempFile("pyrelease-index-", ".part");
      try (InputStream in = new DigestInputStream(r.body(), md);
          OutputStream out = Files.newOutputStream(tmp)) {
        in.transferTo(out);
      }
      checkHash(f, u, md);
      return Archives.readMetadata(tmp, f.filename(), location.displayUrl(u));
    } catch (IOException e) {
      throw http.fileUnreachable(u, http.describe(e, u), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // a leftover temp file is harmless
        }
      }
    }
  }

  private String fromZipBytes(IndexFile f, URI u, byte[] data) {
    byte[] entry;
    try {
      entry =
          RemoteZip.readEntry(
              data,
              0,
              data.length,
              (s, e) -> Arrays.copyOfRange(data, (int) s, (int) e),
              picker(f),
              new int[1]);
    } catch (IOException e) {
      throw new IndexException(
          IndexException.Kind.INVALID,
          location.displayUrl(u),
          "cannot read " + f.filename() + " from " + location.displayUrl(u) + ": " + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw IndexHttp.interrupted(location.displayUrl(u));
    }
    if (entry == null) {
      throw Archives.missing(f.filename(), location.displayUrl(u), f.isWheel());
    }
    return new String(entry, StandardCharsets.UTF_8);
  }

  private void checkHash(IndexFile f, URI u, MessageDigest md) {
    String got = Digests.hex(md.digest());
    if (f.sha256() != null && !got.equalsIgnoreCase(f.sha256())) {
      throw new IndexException(
          IndexException.Kind.HASH_MISMATCH,
          location.displayUrl(u),
          "sha256 mismatch for "
              + f.filename()
              + " downloaded from "
              + location.displayUrl(u)
              + ": index says "
              + f.sha256()
              + ", file has "
              + got);
    }
  }

  private static RemoteZip.Picker picker(IndexFile f) {
    return names ->
        f.isWheel()
            ? Archives.pickWheelMetadata(names, f.filename())
            : Archives.pickSdistPkgInfo(names);
  }

  private static boolean isZip(IndexFile f) {
    String lower = f.filename().toLowerCase(Locale.ROOT);
    return lower.endsWith(".whl") || lower.endsWith(".zip");
  }
}
