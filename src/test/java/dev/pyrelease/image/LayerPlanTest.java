package dev.pyrelease.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerPlanTest {

  private static final LayerPolicy SMALL = new LayerPolicy(10_000, 4);

  @TempDir Path tmp;

  private SyntheticVenv venv() throws Exception {
    return new SyntheticVenv(tmp.resolve("v"))
        .dist("Django", "5.2.17", 50_000, true, false)
        .dist("numpy", "2.1.0", 20_000, false, true)
        .dist("asgiref", "3.12.1", 300, false, false)
        .dist("sqlparse", "0.6.0", 400, true, false)
        .dist("typing_extensions", "4.12.2", 200, false, false)
        .dist("six", "1.16.0", 100, false, false)
        .dist("idna", "3.10", 150, false, false);
  }

  private static Map<String, List<String>> targets(LayerPlan p) {
    return p.layers().stream()
        .collect(
            Collectors.toMap(
                PlannedLayer::name,
                l -> l.files().stream().map(LayerFile::target).toList(),
                (a, b) -> a,
                java.util.LinkedHashMap::new));
  }

  @Test
  void manifestIsReadToleratingUnknownFields() throws Exception {
    SyntheticVenv v = venv();
    VenvManifest m = VenvManifest.read(v.writeManifest());
    assertThat(m.python().version()).isEqualTo("3.11.2");
    assertThat(m.venv()).isEqualTo("/opt/venv");
    assertThat(m.distributions())
        .extracting(VenvManifest.Distribution::name)
        .containsExactlyInAnyOrder(
            "Django", "numpy", "asgiref", "sqlparse", "typing_extensions", "six", "idna");
    assertThat(m.skeletonFiles()).containsExactly("bin/activate", "pyvenv.cfg");
    assertThat(m.app()).isNull();
  }

  @Test
  void unreadableManifestFailsWithTheFileName() throws Exception {
    Path bad = Files.writeString(tmp.resolve("manifest.json"), "{not json");
    assertThatThrownBy(() -> VenvManifest.read(bad))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(bad.toString());
  }

  @Test
  void skeletonFirstThenLargeDistributionsThenBuckets() throws Exception {
    SyntheticVenv v = venv();
    LayerPlan plan =
        LayerPlan.forVenv(VenvManifest.read(v.writeManifest()), v.venv(), "/opt/venv", SMALL);
    List<String> names = plan.names();
    assertThat(names.get(0)).isEqualTo("venv-skeleton");
    assertThat(names.subList(1, 3)).containsExactly("dist-django", "dist-numpy");
    assertThat(names.subList(3, names.size()))
        .allMatch(n -> n.startsWith("deps-bucket-"))
        .isSorted();
    // every small distribution is in the bucket its name hashes to
    Map<String, List<String>> t = targets(plan);
    for (String small : List.of("asgiref", "sqlparse", "typing_extensions", "six", "idna")) {
      int b = LayerPlan.bucketOf(small, 4);
      assertThat(t.get("deps-bucket-" + b))
          .anyMatch(p -> p.contains("/site-packages/" + small + "/__init__.py"));
    }
    assertThat(t.get("venv-skeleton"))
        .containsExactly("/opt/venv/bin/activate", "/opt/venv/pyvenv.cfg");
    assertThat(t.get("dist-django"))
        .contains(
            "/opt/venv/bin/django",
            "/opt/venv/lib/python3.11/site-packages/django/__pycache__/__init__.cpython-311.pyc");
  }

  @Test
  void emptyBucketsAreOmitted() throws Exception {
    SyntheticVenv v =
        new SyntheticVenv(tmp.resolve("one")).dist("six", "1.16.0", 100, false, false);
    LayerPlan plan =
        LayerPlan.forVenv(
            VenvManifest.read(v.writeManifest()), v.venv(), "/opt/venv", LayerPolicy.DEFAULT);
    assertThat(plan.names())
        .containsExactly("venv-skeleton", "deps-bucket-" + LayerPlan.bucketOf("six", 4));
  }

  @Test
  void entriesAreSortedByTargetAndModesKept() throws Exception {
    SyntheticVenv v = venv();
    LayerPlan plan =
        LayerPlan.forVenv(VenvManifest.read(v.writeManifest()), v.venv(), "/opt/venv/", SMALL);
    for (PlannedLayer l : plan.layers()) {
      assertThat(l.files()).extracting(LayerFile::target).isSorted().doesNotHaveDuplicates();
      for (LayerFile f : l.files()) {
        assertThat(f.target()).startsWith("/opt/venv/").doesNotContain("//");
        assertThat(f.source()).exists();
        if (f.target().startsWith("/opt/venv/bin/") && !f.target().endsWith("activate")
            || f.target().endsWith(".so")) {
          assertThat(f.mode()).as(f.target()).isEqualTo(0755);
        } else {
          assertThat(f.mode()).as(f.target()).isEqualTo(0644);
        }
      }
    }
  }

  @Test
  void samePlanForSameInputs() throws Exception {
    SyntheticVenv v = venv();
    VenvManifest m = VenvManifest.read(v.writeManifest());
    LayerPlan a = LayerPlan.forVenv(m, v.venv(), "/opt/venv", SMALL);
    LayerPlan b =
        LayerPlan.forVenv(VenvManifest.read(v.writeManifest()), v.venv(), "/opt/venv", SMALL);
    assertThat(a).isEqualTo(b);
  }

  @Test
  void bumpingOneDistributionChangesOnlyItsLayer() throws Exception {
    SyntheticVenv v = venv();
    LayerPlan before =
        LayerPlan.forVenv(VenvManifest.read(v.writeManifest()), v.venv(), "/opt/venv", SMALL);
    // a large one: only its own layer changes
    SyntheticVenv v2 = venv().dist("numpy", "2.1.1", 20_000, false, true);
    LayerPlan afterLarge =
        LayerPlan.forVenv(VenvManifest.read(v2.writeManifest()), v2.venv(), "/opt/venv", SMALL);
    assertThat(changed(rebase(before, v.venv(), v2.venv()), afterLarge))
        .containsExactly("dist-numpy");
    // a small one: only its bucket changes
    SyntheticVenv v3 = venv().dist("six", "1.17.0", 100, false, false);
    LayerPlan afterSmall =
        LayerPlan.forVenv(VenvManifest.read(v3.writeManifest()), v3.venv(), "/opt/venv", SMALL);
    assertThat(changed(rebase(before, v.venv(), v3.venv()), afterSmall))
        .containsExactly("deps-bucket-" + LayerPlan.bucketOf("six", 4));
  }

  @Test
  void vendoredLibrariesOfALargeDistributionGetTheirOwnLayerJustBeforeIt() throws Exception {
    SyntheticVenv v = venv().vendored("numpy", "libopenblas-0a1b2c3d.so", 15_000);
    v.vendored("numpy", "libgfortran-4e5f6a7b.so.5", 300);
    LayerPlan p =
        LayerPlan.forVenv(VenvManifest.read(v.writeManifest()), v.venv(), "/opt/venv", SMALL);
    List<String> names = p.names();
    assertThat(names.indexOf("libs-numpy")).isEqualTo(names.indexOf("dist-numpy") - 1);
    String libs = "/opt/venv/lib/python3.11/site-packages/numpy.libs/";
    assertThat(targets(p).get("libs-numpy"))
        .containsExactly(libs + "libgfortran-4e5f6a7b.so.5", libs + "libopenblas-0a1b2c3d.so");
    assertThat(targets(p).get("dist-numpy"))
        .isNotEmpty()
        .noneMatch(t -> t.contains("numpy.libs/"))
        .contains("/opt/venv/lib/python3.11/site-packages/numpy/__init__.py");
    // together they hold what one dist-numpy layer held
    assertThat(p.layer("libs-numpy").orElseThrow().files().get(1).octalMode()).isEqualTo("755");

    // libraries smaller than the threshold stay in the distribution's layer
    SyntheticVenv small = new SyntheticVenv(tmp.resolve("small"));
    small.dist("numpy", "2.1.0", 20_000, false, true).vendored("numpy", "libz-1a2b.so.1", 500);
    LayerPlan q =
        LayerPlan.forVenv(
            VenvManifest.read(small.writeManifest()), small.venv(), "/opt/venv", SMALL);
    assertThat(q.names()).doesNotContain("libs-numpy");
    assertThat(targets(q).get("dist-numpy")).anyMatch(t -> t.endsWith("numpy.libs/libz-1a2b.so.1"));
  }

  @Test
  void bumpingADistributionThatKeepsItsVendoredLibrariesLeavesTheirLayerAsItWas() throws Exception {
    LayerPlan before = numpyWith("a", "2.3.5", "libopenblas-fdde5778.so");
    assertThat(changed(before, numpyWith("b", "2.4.1", "libopenblas-fdde5778.so")))
        .containsExactly("dist-numpy");
    assertThat(changed(before, numpyWith("c", "2.4.6", "libopenblas-32a4b2a6.so")))
        .containsExactly("dist-numpy", "libs-numpy");
  }

  /** The plan of a venv (in {@code dir}) with numpy {@code version} vendoring {@code library}. */
  private LayerPlan numpyWith(String dir, String version, String library) throws Exception {
    SyntheticVenv v = new SyntheticVenv(tmp.resolve(dir));
    v.dist("numpy", version, 20_000, false, true).vendored("numpy", library, 15_000);
    v.dist("six", "1.16.0", 100, false, false);
    return LayerPlan.forVenv(VenvManifest.read(v.writeManifest()), v.venv(), "/opt/venv", SMALL);
  }

  @Test
  void vendoredLibrariesAreTheFilesInADotLibsDirectoryOfSitePackages() {
    assertThat(LayerPlan.isVendoredLibrary("lib/python3.11/site-packages/numpy.libs/a.so"))
        .isTrue();
    assertThat(LayerPlan.isVendoredLibrary("lib/python3.11/site-packages/pillow.libs/x/b.so.1"))
        .isTrue();
    assertThat(LayerPlan.isVendoredLibrary("lib/python3.11/site-packages/numpy/core/a.so"))
        .isFalse();
    assertThat(LayerPlan.isVendoredLibrary("lib/python3.11/site-packages/numpy.libs")).isFalse();
    assertThat(LayerPlan.isVendoredLibrary("lib/python3.11/site-packages/.libs/a.so")).isFalse();
    assertThat(LayerPlan.isVendoredLibrary("bin/tool.libs/a.so")).isFalse();
    assertThat(LayerPlan.isVendoredLibrary("lib/python3.11/site-packages/a.libs.py")).isFalse();
  }

  /** Layer names whose (target, mode, content) differ. */
  private static List<String> changed(LayerPlan a, LayerPlan b) throws Exception {
    Map<String, String> fa = fingerprints(a);
    Map<String, String> fb = fingerprints(b);
    java.util.Set<String> names = new java.util.TreeSet<>(fa.keySet());
    names.addAll(fb.keySet());
    return names.stream().filter(n -> !java.util.Objects.equals(fa.get(n), fb.get(n))).toList();
  }

  private static Map<String, String> fingerprints(LayerPlan p) throws Exception {
    Map<String, String> out = new HashMap<>();
    for (PlannedLayer l : p.layers()) {
      StringBuilder sb = new StringBuilder();
      for (LayerFile f : l.files()) {
        sb.append(f.target())
            .append(' ')
            .append(f.octalMode())
            .append(' ')
            .append(java.util.Arrays.hashCode(Files.readAllBytes(f.source())))
            .append('\n');
      }
      out.put(l.name(), sb.toString());
    }
    return out;
  }

  private static LayerPlan rebase(LayerPlan p, Path from, Path to) {
    return p; // sources differ by root only; fingerprints compare content, not source paths
  }

  @Test
  void bucketsAreStableAndSpread() {
    assertThat(LayerPlan.bucketOf("Typing.Extensions", 4))
        .isEqualTo(LayerPlan.bucketOf("typing-extensions", 4));
    assertThat(LayerPlan.bucketOf("typing_extensions", 4))
        .isEqualTo(LayerPlan.bucketOf("typing-extensions", 4));
    // pinned values: a change of the hash would reshuffle every user's layers
    assertThat(IntStream.range(0, 4).mapToObj(i -> LayerPlan.bucketOf("name" + i, 4)).toList())
        .isEqualTo(IntStream.range(0, 4).mapToObj(i -> LayerPlan.bucketOf("NAME" + i, 4)).toList());
    Map<Integer, Long> spread =
        IntStream.range(0, 400)
            .boxed()
            .collect(
                Collectors.groupingBy(
                    i -> LayerPlan.bucketOf("pkg-" + i, 4), Collectors.counting()));
    assertThat(spread).hasSize(4);
    assertThat(spread.values()).allMatch(c -> c > 60);
  }

  @Test
  void appLayerFromExportedFilesGoesLast() throws Exception {
    SyntheticVenv v = venv();
    Map<String, Object> app =
        v.filesApp(
            Map.of(
                "manage.py", "print(1)\n", "shop/settings.py", "X=1\n", "run.sh", "#!/bin/sh\n"));
    VenvManifest m = VenvManifest.read(v.writeManifest(app));
    PlannedLayer appLayer = LayerPlan.forApp(m, v.out().resolve("app-files"), null);
    assertThat(appLayer.name()).isEqualTo("app");
    assertThat(appLayer.files())
        .extracting(LayerFile::target)
        .containsExactly("/app/manage.py", "/app/run.sh", "/app/shop/settings.py");
    assertThat(appLayer.files()).extracting(LayerFile::mode).containsExactly(0644, 0755, 0644);
    LayerPlan full = LayerPlan.forVenv(m, v.venv(), "/opt/venv", SMALL).with(appLayer);
    assertThat(full.names().get(full.names().size() - 1)).isEqualTo("app");
    assertThat(LayerPlan.forApp(m, v.out().resolve("app-files"), "/srv").files().get(0).target())
        .isEqualTo("/srv/manage.py");
  }

  @Test
  void sbomLayerHoldsTheSbomNamingEachDistributionsLayerByDigest() throws Exception {
    SyntheticVenv v = venv();
    VenvManifest m = VenvManifest.read(v.writeManifest());
    LayerPlan venv = LayerPlan.forVenv(m, v.venv(), "/opt/venv", SMALL);
    SbomLayers s =
        SbomLayers.of(
            venv,
            m,
            new Sbom.Base("127.0.0.1:5000/python:3.11", null),
            "/opt/venv",
            tmp.resolve("s"));
    PlannedLayer l = s.plan().layer(LayerPlan.SBOM).orElseThrow();
    assertThat(s.plan().names()).endsWith(LayerPlan.SBOM);
    assertThat(l.files())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.target()).isEqualTo("/opt/venv/sbom.cdx.json");
              assertThat(f.mode()).isEqualTo(0644);
            });
    // Django is large: its own layer; six is in a bucket with others; numpy's libs are small here
    assertThat(s.digests()).containsOnlyKeys(venv.names());
    Sbom.Entry django =
        s.sbom().distributions().stream().filter(e -> e.name().equals("Django")).findFirst().get();
    assertThat(django.layers()).containsExactly(s.digests().get("dist-django"));
    Sbom.Entry six =
        s.sbom().distributions().stream().filter(e -> e.name().equals("six")).findFirst().get();
    assertThat(six.layers())
        .containsExactly(s.digests().get(LayerPlan.BUCKET_PREFIX + LayerPlan.bucketOf("six", 4)));
    assertThat(s.sbom().distributions()).allSatisfy(e -> assertThat(e.layers()).isNotEmpty());
    // the digest is the one the layer's blob has: build it again as the push does
    var built =
        ImageOnBase.build(
            venv.layer("dist-django").orElseThrow(), java.io.OutputStream.nullOutputStream());
    assertThat(built.blob().getDigest().toString()).isEqualTo(django.layers().get(0));
    // the same venv gives the same bytes; a pushed layer with another digest is refused
    assertThat(
            new String(
                SbomLayers.of(venv, m, s.sbom().base(), "/opt/venv", tmp.resolve("t"))
                    .sbom()
                    .toJson(),
                java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(Files.readString(s.sbomFile()));
    assertThatThrownBy(
            () ->
                s.checkPushed(
                    List.of(
                        new ImageResult.LayerResult(
                            "dist-django", "sha256:" + "0".repeat(64), 1, true))))
        .isInstanceOf(ImageException.class)
        .hasMessageContaining("the SBOM names the dist-django layer");
    s.checkPushed(
        List.of(new ImageResult.LayerResult("dist-django", django.layers().get(0), 1, true)));
  }

  @Test
  void missingFileIsReportedWithItsPath() throws Exception {
    SyntheticVenv v = venv();
    Path manifest = v.writeManifest();
    Files.delete(v.venv().resolve("pyvenv.cfg"));
    assertThatThrownBy(
            () -> LayerPlan.forVenv(VenvManifest.read(manifest), v.venv(), "/opt/venv", SMALL))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("pyvenv.cfg");
  }

  @Test
  void pathsEscapingTheTreeAreRejected() throws Exception {
    SyntheticVenv v = venv();
    v.writeManifest();
    VenvManifest m = VenvManifest.read(v.writeManifest());
    VenvManifest evil =
        new VenvManifest(
            m.python(), m.venv(), m.distributions(), m.app(), List.of("../etc/passwd"), List.of());
    assertThatThrownBy(() -> LayerPlan.forVenv(evil, v.venv(), "/opt/venv", SMALL))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
