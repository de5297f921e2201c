package dev.pyrelease.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CachingPackageIndexTest {
  /** Counts what reaches the index; answers METADATA named after the file. */
  static final class FakeIndex implements PackageIndex {
    final List<String> fetched = new ArrayList<>();

    @Override
    public List<IndexFile> files(String name) {
      return List.of();
    }

    @Override
    public Map<String, List<IndexFile>> files(List<String> names) {
      return Map.of();
    }

    @Override
    public String metadata(IndexFile file) {
      fetched.add(file.filename());
      return "Metadata-Version: 2.1\nName: " + file.filename() + "\n";
    }

    @Override
    public Map<IndexFile, String> metadata(Collection<IndexFile> files) {
      Map<IndexFile, String> out = new LinkedHashMap<>();
      files.forEach(f -> out.put(f, metadata(f)));
      return out;
    }

    @Override
    public void close() {}
  }

  private static IndexFile file(String name, String sha) {
    return new IndexFile(name, "http://127.0.0.1/files/" + name, sha, null, false, null, null);
  }

  @Test
  void secondRunReadsMetadataFromDiskByWheelHash(@TempDir Path dir) {
    IndexFile a = file("a-1-py3-none-any.whl", "a".repeat(64));
    IndexFile b = file("b-1-py3-none-any.whl", "b".repeat(64));
    FakeIndex first = new FakeIndex();
    Map<IndexFile, String> one = new CachingPackageIndex(first, dir).metadata(List.of(a, b));
    FakeIndex second = new FakeIndex();
    Map<IndexFile, String> two = new CachingPackageIndex(second, dir).metadata(List.of(a, b));
    assertThat(first.fetched).containsExactly(a.filename(), b.filename());
    assertThat(second.fetched).isEmpty();
    assertThat(two).isEqualTo(one);
  }

  @Test
  void filesWithoutAStatedHashAreAlwaysFetched(@TempDir Path dir) {
    IndexFile noHash = file("c-1-py3-none-any.whl", null);
    IndexFile badHash = file("d-1-py3-none-any.whl", "../../etc/passwd");
    FakeIndex fake = new FakeIndex();
    CachingPackageIndex index = new CachingPackageIndex(fake, dir);
    index.metadata(noHash);
    index.metadata(noHash);
    index.metadata(badHash);
    index.metadata(badHash);
    assertThat(fake.fetched).hasSize(4);
  }

  @Test
  void anUnwritableCacheOnlyCostsTime(@TempDir Path dir) throws Exception {
    Path notADir = dir.resolve("file");
    java.nio.file.Files.writeString(notADir, "x");
    FakeIndex fake = new FakeIndex();
    IndexFile a = file("a-1-py3-none-any.whl", "a".repeat(64));
    assertThat(new CachingPackageIndex(fake, notADir).metadata(a)).contains("Name: a-1");
  }
}
