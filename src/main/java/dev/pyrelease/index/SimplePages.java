package dev.pyrelease.index;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.pyrelease.http.Urls;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsers for PEP 503 HTML project pages (and find-links pages) and PEP 691 JSON pages. */
final class SimplePages {
  private static final Pattern COMMENT = Pattern.compile("<!--.*?-->", Pattern.DOTALL);
  private static final Pattern TAG =
      Pattern.compile(
          "<(a|base)(\\s(?:[^>\"']|\"[^\"]*\"|'[^']*')*)?>",
          Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern ATTR =
      Pattern.compile(
          "([^\\s=/>\"']+)(?:\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s>\"']+)))?", Pattern.DOTALL);
  private static final Pattern ENTITY = Pattern.compile("&(#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z]+);");
  private static final Map<String, String> NAMED =
      Map.of("amp", "&", "lt", "<", "gt", ">", "quot", "\"", "apos", "'", "nbsp", "\u00a0");

  private SimplePages() {}

  /**
   * Links to distribution files on an HTML page, resolved against {@code pageUri} (or a {@code
   * <base href>}). Non-distribution links (other pages, directories) are skipped.
   */
  static List<IndexFile> parseHtml(String html, URI pageUri) {
    String text = COMMENT.matcher(html).replaceAll("");
    URI base = pageUri;
    List<IndexFile> out = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    Matcher m = TAG.matcher(text);
    while (m.find()) {
      Map<String, String> attrs = attributes(m.group(2) == null ? "" : m.group(2));
      String href = attrs.get("href");
      if (href == null || href.isBlank()) {
        continue;
      }
      if (m.group(1).equalsIgnoreCase("base")) {
        base = resolve(pageUri, href.trim());
        continue;
      }
      String core =
          attrs.containsKey("data-core-metadata")
              ? attrs.get("data-core-metadata")
              : attrs.get("data-dist-info-metadata");
      IndexFile f =
          link(
              resolve(base, href.trim()),
              null,
              null,
              attrs.get("data-requires-python"),
              attrs.containsKey("data-yanked"),
              core != null && !core.equalsIgnoreCase("false") ? core : null);
      if (f != null && seen.add(f.url())) {
        out.add(f);
      }
    }
    return out;
  }

  /** Files of a PEP 691 JSON project page. */
  static List<IndexFile> parseJson(String json, URI pageUri) {
    JsonNode files = readJson(json).path("files");
    if (!files.isArray()) {
      throw new IllegalArgumentException("not a PEP 691 project page: no \"files\" list");
    }
    List<IndexFile> out = new ArrayList<>();
    for (JsonNode f : files) {
      JsonNode url = f.path("url");
      if (!url.isTextual()) {
        continue;
      }
      JsonNode sha = f.path("hashes").path("sha256");
      JsonNode yanked = f.path("yanked");
      JsonNode meta =
          f.has("core-metadata")
              ? f.get("core-metadata")
              : f.has("dist-info-metadata")
                  ? f.get("dist-info-metadata")
                  : f.path("data-dist-info-metadata");
      String metaSpec = null;
      if (meta.isBoolean() && meta.booleanValue()) {
        metaSpec = "true";
      } else if (meta.isObject()) {
        metaSpec =
            meta.path("sha256").isTextual() ? "sha256=" + meta.get("sha256").asText() : "true";
      }
      IndexFile file =
          link(
              resolve(pageUri, url.asText()),
              text(f.path("filename")),
              sha.isTextual() ? sha.asText().toLowerCase(Locale.ROOT) : null,
              text(f.path("requires-python")),
              (yanked.isBoolean() && yanked.booleanValue()) || yanked.isTextual(),
              metaSpec);
      if (file != null) {
        out.add(file);
      }
    }
    return out;
  }

  /** A JSON document, strictly (nothing after it); a one-line IllegalArgumentException if bad. */
  private static JsonNode readJson(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new IllegalArgumentException(
          "bad JSON"
              + (at == null ? "" : " at line " + at.getLineNr() + " column " + at.getColumnNr())
              + ": "
              + e.getOriginalMessage().lines().findFirst().orElse(""),
          e);
    }
  }

  private static String text(JsonNode n) {
    return n.isTextual() ? n.asText() : null;
  }

  /** Made on the first JSON page: an HTML-only index never pays for it. */
  private static final class Json {
    static final ObjectMapper MAPPER =
        JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
  }

  /** Builds an IndexFile from an absolute link; null when it is not a distribution file. */
  private static IndexFile link(
      URI uri,
      String filenameOrNull,
      String sha256OrNull,
      String requiresPython,
      boolean yanked,
      String metaSpec) {
    String filename = filenameOrNull != null ? filenameOrNull : Urls.filename(uri);
    if (!Names.isDistribution(filename)) {
      return null;
    }
    String sha256 = sha256OrNull;
    String frag = uri.getRawFragment();
    if (frag != null) {
      for (String part : frag.split("&")) {
        int eq = part.indexOf('=');
        if (eq > 0 && sha256 == null && part.substring(0, eq).equalsIgnoreCase("sha256")) {
          sha256 = part.substring(eq + 1).toLowerCase(Locale.ROOT);
        }
      }
    }
    String url = Urls.clean(uri).toString();
    String metadataUrl = null;
    String metadataSha = null;
    if (metaSpec != null) {
      metadataUrl = url + ".metadata";
      int eq = metaSpec.indexOf('=');
      if (eq > 0 && metaSpec.substring(0, eq).trim().equalsIgnoreCase("sha256")) {
        metadataSha = metaSpec.substring(eq + 1).trim().toLowerCase(Locale.ROOT);
      }
    }
    String rp = requiresPython == null || requiresPython.isBlank() ? null : requiresPython.trim();
    return new IndexFile(filename, url, sha256, rp, yanked, metadataUrl, metadataSha);
  }

  private static URI resolve(URI base, String href) {
    URI ref = Urls.parseLenient(href);
    return ref.isAbsolute() ? ref : base.resolve(ref);
  }

  /** Attribute map with lowercase names and HTML-unescaped values (valueless attrs map to ""). */
  static Map<String, String> attributes(String s) {
    Map<String, String> attrs = new HashMap<>();
    Matcher m = ATTR.matcher(s);
    while (m.find()) {
      String name = m.group(1).toLowerCase(Locale.ROOT);
      String v = m.group(2) != null ? m.group(2) : m.group(3) != null ? m.group(3) : m.group(4);
      attrs.putIfAbsent(name, v == null ? "" : unescape(v));
    }
    return attrs;
  }

  static String unescape(String s) {
    if (s.indexOf('&') < 0) {
      return s;
    }
    Matcher m = ENTITY.matcher(s);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String e = m.group(1);
      String rep;
      if (e.startsWith("#x") || e.startsWith("#X")) {
        rep = new String(Character.toChars(Integer.parseInt(e.substring(2), 16)));
      } else if (e.startsWith("#")) {
        rep = new String(Character.toChars(Integer.parseInt(e.substring(1))));
      } else {
        rep = NAMED.getOrDefault(e.toLowerCase(Locale.ROOT), m.group());
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(rep));
    }
    m.appendTail(sb);
    return sb.toString();
  }
}
