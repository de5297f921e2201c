package dev.pyrelease.index;

import dev.pyrelease.http.Urls;
import java.util.Objects;

/**
 * One distribution file listed by an index.
 *
 * @param filename the file's name (last URL path segment, percent-decoded), e.g. {@code
 *     celery-5.6.3-py3-none-any.whl}
 * @param url absolute URL of the file, without fragment and without credentials
 * @param sha256 lowercase hex sha256 from the link's {@code #sha256=} fragment (or PEP 691 {@code
 *     hashes}), or {@code null}
 * @param requiresPython the {@code data-requires-python} value, HTML-unescaped (e.g. {@code
 *     >=3.8}), or {@code null}
 * @param yanked whether the link carries {@code data-yanked} (PEP 592)
 * @param metadataUrl {@code url + ".metadata"} when the index offers the core metadata separately
 *     (PEP 658/714: {@code data-core-metadata} or {@code data-dist-info-metadata}), else {@code
 *     null}
 * @param metadataSha256 the sha256 the index gives for that metadata file, or {@code null}
 */
public record IndexFile(
    String filename,
    String url,
    String sha256,
    String requiresPython,
    boolean yanked,
    String metadataUrl,
    String metadataSha256) {

  public IndexFile {
    Objects.requireNonNull(filename, "filename");
    Objects.requireNonNull(url, "url");
  }

  /** True for {@code .whl} files. */
  public boolean isWheel() {
    return Names.isWheel(filename);
  }

  @Override
  public String toString() {
    return "IndexFile["
        + filename
        + " "
        + Urls.mask(url)
        + (sha256 != null ? " sha256=" + sha256 : "")
        + (requiresPython != null ? " requires-python=" + requiresPython : "")
        + (yanked ? " yanked" : "")
        + (metadataUrl != null ? " metadata" : "")
        + "]";
  }
}
