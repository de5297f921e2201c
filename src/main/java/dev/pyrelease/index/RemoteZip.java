package dev.pyrelease.index;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads one entry of a remote zip through byte-range reads: end-of-central-directory and central
 * directory from the tail, then only the wanted entry's local header and data.
 */
final class RemoteZip {
  /** Reads bytes {@code [start, endExclusive)} of the remote file. */
  interface RangeReader {
    byte[] read(long start, long endExclusive) throws IOException, InterruptedException;
  }

  /** Chooses the entry to read among all entry names, or returns null. */
  interface Picker {
    String pick(List<String> names);
  }

  private record Entry(String name, int method, long crc, long compSize, long size, long offset) {}

  /** Bytes {@code [start, start + data.length)} of the remote file. */
  private record Chunk(byte[] data, long start) {
    boolean covers(long from, long to) {
      return from >= start && to <= start + data.length;
    }

    int at(long pos) {
      return (int) (pos - start);
    }
  }

  private RemoteZip() {}

  /**
   * Returns the picked entry's bytes, or null when the picker found nothing.
   *
   * @param tail the last bytes of the file (at least the end-of-central-directory record)
   * @param tailStart offset of {@code tail[0]} in the file
   * @param total the file's length
   * @param fetches incremented once per extra range read
   */
  static byte[] readEntry(
      byte[] tail, long tailStart, long total, RangeReader reader, Picker picker, int[] fetches)
      throws IOException, InterruptedException {
    Chunk chunk = new Chunk(tail, tailStart);
    if (tailStart + tail.length != total) {
      throw new IOException("range response does not reach the end of the file");
    }
    // 1. end of central directory
    int eocd = -1;
    for (int p = tail.length - 22; p >= Math.max(0, tail.length - 22 - 65535); p--) {
      if (u32(tail, p) == 0x06054b50L) {
        eocd = p;
        break;
      }
    }
    if (eocd < 0) {
      throw new IOException("no zip end-of-central-directory record (not a zip file?)");
    }
    long entries = u16(tail, eocd + 10);
    long cdSize = u32(tail, eocd + 12);
    long cdOffset = u32(tail, eocd + 16);
    long shift = 0;
    if (entries == 0xffff || cdSize == 0xffffffffL || cdOffset == 0xffffffffL) {
      int loc = eocd - 20;
      if (loc < 0 || u32(tail, loc) != 0x07064b50L) {
        throw new IOException("zip64 locator missing");
      }
      long z64 = u64(tail, loc + 8);
      if (!chunk.covers(z64, z64 + 56)) {
        Chunk more = new Chunk(fetch(reader, z64, z64 + 56, fetches), z64);
        cdSize = u64(more.data, 40);
        cdOffset = u64(more.data, 48);
        if (u32(more.data, 0) != 0x06064b50L) {
          throw new IOException("bad zip64 end-of-central-directory record");
        }
      } else {
        int at = chunk.at(z64);
        if (u32(tail, at) != 0x06064b50L) {
          throw new IOException("bad zip64 end-of-central-directory record");
        }
        cdSize = u64(tail, at + 40);
        cdOffset = u64(tail, at + 48);
      }
    } else {
      // data prepended to the archive shifts every offset
      shift = Math.max(0, tailStart + eocd - (cdOffset + cdSize));
    }
    long cdStart = cdOffset + shift;
    if (cdStart < 0 || cdStart + cdSize > total) {
      throw new IOException("central directory out of bounds");
    }
    // 2. central directory
    Chunk cd;
    if (chunk.covers(cdStart, cdStart + cdSize)) {
      cd = chunk;
    } else {
      byte[] head = fetch(reader, cdStart, tailStart, fetches);
      byte[] joined = new byte[head.length + tail.length];
      System.arraycopy(head, 0, joined, 0, head.length);
      System.arraycopy(tail, 0, joined, head.length, tail.length);
      cd = new Chunk(joined, cdStart);
      chunk = cd;
    }
    Map<String, Entry> byName = new HashMap<>();
    List<String> names = new ArrayList<>();
    byte[] b = cd.data;
    int p = cd.at(cdStart);
    int end = cd.at(cdStart + cdSize);
    while (p + 46 <= end && u32(b, p) == 0x02014b50L) {
      int method = u16(b, p + 10);
      long crc = u32(b, p + 16);
      long comp = u32(b, p + 20);
      long size = u32(b, p + 24);
      int nameLen = u16(b, p + 28);
      int extraLen = u16(b, p + 30);
      int commentLen = u16(b, p + 32);
      long offset = u32(b, p + 42);
      if (p + 46 + nameLen + extraLen > b.length) {
        throw new IOException("truncated central directory");
      }
      String name = new String(b, p + 46, nameLen, StandardCharsets.UTF_8);
      // zip64 extra field: only the fields that overflowed, in this order
      int x = p + 46 + nameLen;
      int xend = x + extraLen;
      while (x + 4 <= xend) {
        int id = u16(b, x);
        int len = u16(b, x + 2);
        if (id == 0x0001) {
          int q = x + 4;
          if (size == 0xffffffffL && q + 8 <= x + 4 + len) {
            size = u64(b, q);
            q += 8;
          }
          if (comp == 0xffffffffL && q + 8 <= x + 4 + len) {
            comp = u64(b, q);
            q += 8;
          }
          if (offset == 0xffffffffL && q + 8 <= x + 4 + len) {
            offset = u64(b, q);
          }
        }
        x += 4 + len;
      }
      names.add(name);
      byName.put(name, new Entry(name, method, crc, comp, size, offset + shift));
      p += 46 + nameLen + extraLen + commentLen;
    }
    String pick = picker.pick(names);
    if (pick == null) {
      return null;
    }
    Entry e = byName.get(pick);
    if (e.size > Archives.MAX_METADATA || e.compSize > Archives.MAX_METADATA) {
      throw new IOException("entry " + pick + " is too large");
    }
    // 3. local header + data
    long lo = e.offset;
    Chunk local;
    if (chunk.covers(lo, lo + 30)) {
      local = chunk;
    } else {
      long guess = Math.min(total, lo + 30 + pick.length() + 256 + e.compSize);
      local = new Chunk(fetch(reader, lo, guess, fetches), lo);
    }
    int lp = local.at(lo);
    if (u32(local.data, lp) != 0x04034b50L) {
      throw new IOException("bad local header for " + pick);
    }
    long dataStart = lo + 30 + u16(local.data, lp + 26) + u16(local.data, lp + 28);
    long dataEnd = dataStart + e.compSize;
    if (!local.covers(dataStart, dataEnd)) {
      local = new Chunk(fetch(reader, dataStart, dataEnd, fetches), dataStart);
    }
    byte[] raw = new byte[(int) e.compSize];
    System.arraycopy(local.data, local.at(dataStart), raw, 0, raw.length);
    byte[] out;
    if (e.method == 0) {
      out = raw;
    } else if (e.method == 8) {
      out = inflate(raw, (int) e.size);
    } else {
      throw new IOException("unsupported compression method " + e.method + " for " + pick);
    }
    CRC32 crc = new CRC32();
    crc.update(out);
    if (out.length != e.size || crc.getValue() != e.crc) {
      throw new IOException("CRC/size check failed for " + pick);
    }
    return out;
  }

  private static byte[] fetch(RangeReader reader, long start, long endExclusive, int[] fetches)
      throws IOException, InterruptedException {
    fetches[0]++;
    byte[] data = reader.read(start, endExclusive);
    if (data.length != endExclusive - start) {
      throw new IOException(
          "range read returned " + data.length + " bytes, wanted " + (endExclusive - start));
    }
    return data;
  }

  private static byte[] inflate(byte[] raw, int size) throws IOException {
    Inflater inf = new Inflater(true);
    try {
      inf.setInput(java.util.Arrays.copyOf(raw, raw.length + 1)); // zlib nowrap wants a pad byte
      byte[] out = new byte[size];
      int n = 0;
      while (n < size) {
        int r = inf.inflate(out, n, size - n);
        if (r == 0 && (inf.finished() || inf.needsInput() || inf.needsDictionary())) {
          break;
        }
        n += r;
      }
      if (n != size) {
        throw new IOException("inflated " + n + " bytes, expected " + size);
      }
      return out;
    } catch (DataFormatException ex) {
      throw new IOException("corrupt deflate data: " + ex.getMessage());
    } finally {
      inf.end();
    }
  }

  static int u16(byte[] b, int p) {
    return (b[p] & 0xff) | (b[p + 1] & 0xff) << 8;
  }

  static long u32(byte[] b, int p) {
    return (u16(b, p) | (long) u16(b, p + 2) << 16) & 0xffffffffL;
  }

  static long u64(byte[] b, int p) {
    return u32(b, p) | u32(b, p + 4) << 32;
  }
}
