package dev.pyrelease.index;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Reads core metadata out of local archives without extracting anything else. */
final class Archives {
  /** Cap on a metadata file's size: real ones are a few KB to a few hundred KB. */
  static final int MAX_METADATA = 16 << 20;

  private Archives() {}

  /**
   * The entry name holding a wheel's METADATA among {@code names}: {@code <top>.dist-info/METADATA}
   * with a single-level {@code .dist-info} directory, preferring the one matching the wheel's
   * {@code name-version}. Null when there is none.
   */
  static String pickWheelMetadata(List<String> names, String wheelFilename) {
    List<String> candidates = new ArrayList<>();
    for (String n : names) {
      int slash = n.indexOf('/');
      if (slash > 0
          && n.indexOf('/', slash + 1) < 0
          && n.substring(0, slash).endsWith(".dist-info")
          && n.substring(slash + 1).equals("METADATA")) {
        candidates.add(n);
      }
    }
    if (candidates.size() <= 1) {
      return candidates.isEmpty() ? null : candidates.get(0);
    }
    String[] parts = Names.stem(wheelFilename).split("-");
    if (parts.length >= 2) {
      String want = Names.normalize(parts[0]) + "-" + parts[1].toLowerCase(Locale.ROOT);
      for (String c : candidates) {
        String dir = c.substring(0, c.indexOf(".dist-info/"));
        int dash = dir.lastIndexOf('-');
        if (dash > 0
            && (Names.normalize(dir.substring(0, dash)) + "-" + dir.substring(dash + 1))
                .toLowerCase(Locale.ROOT)
                .equals(want)) {
          return c;
        }
      }
    }
    return null; // ambiguous
  }

  /** The {@code <top>/PKG-INFO} entry of an sdist, or null. */
  static String pickSdistPkgInfo(List<String> names) {
    for (String raw : names) {
      String n = raw.startsWith("./") ? raw.substring(2) : raw;
      int slash = n.indexOf('/');
      if (slash > 0 && n.substring(slash + 1).equals("PKG-INFO")) {
        return raw;
      }
    }
    return null;
  }

  /**
   * Core metadata of a local archive. {@code filename} decides the kind (wheel, zip sdist, tar.gz
   * sdist); {@code url} is only for messages.
   */
  static String readMetadata(Path file, String filename, String url) {
    String lower = filename.toLowerCase(Locale.ROOT);
    try {
      if (lower.endsWith(".whl") || lower.endsWith(".zip")) {
        return fromZip(file, filename, url, lower.endsWith(".whl"));
      }
      if (lower.endsWith(".tar.gz") || lower.endsWith(".tgz")) {
        try (InputStream in =
            new GZIPInputStream(new BufferedInputStream(Files.newInputStream(file)), 65536)) {
          return fromTar(in, filename, url);
        }
      }
      if (lower.endsWith(".tar")) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
          return fromTar(in, filename, url);
        }
      }
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IndexException(
          IndexException.Kind.UNREACHABLE, url, "file " + url + " does not exist", e);
    } catch (IOException e) {
      throw new IndexException(
          IndexException.Kind.INVALID,
          url,
          "cannot read " + filename + " from " + url + ": " + e.getMessage(),
          e);
    }
    throw new IndexException(
        IndexException.Kind.INVALID,
        url,
        "cannot read metadata of " + filename + ": unsupported archive format");
  }

  private static String fromZip(Path file, String filename, String url, boolean wheel)
      throws IOException {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      List<String> names = new ArrayList<>();
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
        names.add(e.nextElement().getName());
      }
      String pick = wheel ? pickWheelMetadata(names, filename) : pickSdistPkgInfo(names);
      if (pick == null) {
        throw missing(filename, url, wheel);
      }
      ZipEntry entry = zip.getEntry(pick);
      if (entry.getSize() > MAX_METADATA) {
        throw tooBig(filename, url);
      }
      try (InputStream in = zip.getInputStream(entry)) {
        return new String(in.readNBytes(MAX_METADATA), StandardCharsets.UTF_8);
      }
    }
  }

  /** Walks a tar stream (ustar, GNU long names, pax path) up to {@code <top>/PKG-INFO}. */
  static String fromTar(InputStream in, String filename, String url) throws IOException {
    byte[] header = new byte[512];
    String longName = null;
    while (true) {
      if (in.readNBytes(header, 0, 512) < 512) {
        break;
      }
      if (isZero(header)) {
        break;
      }
      String name = cstring(header, 0, 100);
      String prefix = cstring(header, 345, 155);
      if (!prefix.isEmpty() && header[257] == 'u') { // ustar
        name = prefix + "/" + name;
      }
      long size = octal(header, 124, 12);
      char type = (char) header[156];
      long padded = (size + 511) & ~511L;
      if (type == 'L') { // GNU long name for the next entry
        byte[] data = in.readNBytes((int) Math.min(size, 1 << 20));
        skip(in, padded - data.length);
        longName = cstring(data, 0, data.length);
        continue;
      }
      if (type == 'x') { // pax extended header for the next entry
        byte[] data = in.readNBytes((int) Math.min(size, 1 << 20));
        skip(in, padded - data.length);
        String pax = paxPath(new String(data, StandardCharsets.UTF_8));
        if (pax != null) {
          longName = pax;
        }
        continue;
      }
      if (longName != null) {
        name = longName;
        longName = null;
      }
      boolean regular = type == '0' || type == '\0' || type == '7';
      if (regular && pickSdistPkgInfo(List.of(name)) != null) {
        if (size > MAX_METADATA) {
          throw tooBig(filename, url);
        }
        return new String(in.readNBytes((int) size), StandardCharsets.UTF_8);
      }
      skip(in, padded);
    }
    throw missing(filename, url, false);
  }

  private static String paxPath(String records) {
    for (String line : records.split("\n")) {
      int sp = line.indexOf(' ');
      if (sp > 0 && line.startsWith("path=", sp + 1)) {
        return line.substring(sp + 6);
      }
    }
    return null;
  }

  private static void skip(InputStream in, long n) throws IOException {
    long left = n;
    while (left > 0) {
      long s = in.skip(left);
      if (s <= 0) {
        if (in.read() < 0) {
          throw new IOException("truncated tar archive");
        }
        s = 1;
      }
      left -= s;
    }
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static String cstring(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, StandardCharsets.UTF_8);
  }

  private static long octal(byte[] b, int off, int len) throws IOException {
    if ((b[off] & 0x80) != 0) { // GNU base-256
      long v = 0;
      for (int i = off + 1; i < off + len; i++) {
        v = (v << 8) | (b[i] & 0xff);
      }
      return v;
    }
    String s = cstring(b, off, len).trim();
    try {
      return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    } catch (NumberFormatException e) {
      throw new IOException("corrupt tar header");
    }
  }

  static IndexException missing(String filename, String url, boolean wheel) {
    return new IndexException(
        IndexException.Kind.INVALID,
        url,
        (wheel ? "no single *.dist-info/METADATA in " : "no <top>/PKG-INFO in ")
            + filename
            + " ("
            + url
            + ")");
  }

  static IndexException tooBig(String filename, String url) {
    return new IndexException(
        IndexException.Kind.INVALID,
        url,
        "metadata of "
            + filename
            + " is larger than "
            + (MAX_METADATA >> 20)
            + " MiB ("
            + url
            + ")");
  }
}
