package dev.pyrelease.image;

import dev.pyrelease.http.Digests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The layers of a release image, planned from the venv step's manifest — pure: no Jib, and no I/O
 * beyond reading the permissions (and, for vendored libraries, the sizes) of the files named.
 *
 * <p>Order (base image first, then):
 *
 * <ol>
 *   <li>{@code venv-skeleton}: the venv's own files (interpreter copies, {@code pyvenv.cfg},
 *       activate scripts);
 *   <li>{@code dist-<name>}: one layer per distribution whose installed size is at least {@link
 *       LayerPolicy#largeBytes()}, in name order; just before it, {@code libs-<name>} when its
 *       vendored shared libraries (auditwheel's {@code site-packages/<pkg>.libs/}) come to that
 *       size too. Those libraries are named by a hash of their content and often outlive the
 *       release that brought them (numpy 2.3.5 and 2.4.1 carry the same 28 MB {@code numpy.libs/}),
 *       so a bump of such a distribution sends only its own files;
 *   <li>{@code deps-bucket-<i>}: the small distributions, grouped into {@link
 *       LayerPolicy#buckets()} layers by a stable hash (sha256) of the normalised name; empty
 *       buckets are omitted;
 *   <li>optionally {@code venv-manifest} ({@link #withSbom}): the installed-distributions manifest
 *       alone, so that the big skeleton layer does not change when a pin changes;
 *   <li>the app ({@link #forApp}), last.
 * </ol>
 *
 * <p>Entries of a layer are sorted by target path; modes come from the real files (executable bits
 * kept); directories are implied. The same inputs give the same plan, and bumping one distribution
 * changes only its own layers or its bucket (plus {@code venv-manifest}).
 *
 * @param layers the planned layers, in image order
 */
public record LayerPlan(List<PlannedLayer> layers) {

  /** Name of the layer with the venv's own files. */
  public static final String SKELETON = "venv-skeleton";

  /** Name of the layer holding only {@link Sbom#FILE_NAME}. */
  public static final String SBOM = "venv-manifest";

  /** Name of the app layer. */
  public static final String APP = "app";

  /** Prefix of a large distribution's own layer. */
  public static final String DIST_PREFIX = "dist-";

  /**
   * Prefix of the layer with a large distribution's vendored libraries: never the same name as a
   * {@link #DIST_PREFIX} layer, whatever the distributions are called.
   */
  public static final String LIBS_PREFIX = "libs-";

  /** Prefix of a bucket of small distributions. */
  public static final String BUCKET_PREFIX = "deps-bucket-";

  private static final Pattern SEPARATORS = Pattern.compile("[-_.]+");

  public LayerPlan {
    layers = List.copyOf(layers);
    Set<String> seen = new java.util.HashSet<>();
    for (PlannedLayer l : layers) {
      if (!seen.add(l.name())) {
        throw new IllegalArgumentException("duplicate layer name: " + l.name());
      }
    }
  }

  /**
   * Plans the venv layers (skeleton, large distributions, buckets).
   *
   * @param m the venv step's manifest
   * @param venvDir the venv on this machine (the manifest's paths are relative to it)
   * @param venvTarget where the venv goes in the image, normally {@code /opt/venv}
   * @param policy large-distribution threshold and bucket count
   * @throws UncheckedIOException when a file named by the manifest is missing or unreadable
   */
  public static LayerPlan forVenv(
      VenvManifest m, Path venvDir, String venvTarget, LayerPolicy policy) {
    String root = absoluteDir(venvTarget);
    List<PlannedLayer> out = new ArrayList<>();
    PlannedLayer skeleton = layer(SKELETON, venvDir, root, m.skeletonFiles());
    if (!skeleton.isEmpty()) {
      out.add(skeleton);
    }
    List<VenvManifest.Distribution> dists = new ArrayList<>(m.distributions());
    dists.sort(Comparator.comparing(d -> normalize(d.name())));
    Map<Integer, List<String>> buckets = new TreeMap<>();
    for (VenvManifest.Distribution d : dists) {
      if (d.sizeBytes() >= policy.largeBytes()) {
        List<String> libs = d.files().stream().filter(LayerPlan::isVendoredLibrary).toList();
        List<String> own = d.files();
        if (!libs.isEmpty() && sizeOf(venvDir, libs) >= policy.largeBytes()) {
          out.add(layer(LIBS_PREFIX + normalize(d.name()), venvDir, root, libs));
          own = d.files().stream().filter(f -> !isVendoredLibrary(f)).toList();
        }
        out.add(layer(DIST_PREFIX + normalize(d.name()), venvDir, root, own));
      } else {
        buckets
            .computeIfAbsent(bucketOf(d.name(), policy.buckets()), b -> new ArrayList<>())
            .addAll(d.files());
      }
    }
    buckets.forEach(
        (i, files) -> {
          PlannedLayer l = layer(BUCKET_PREFIX + i, venvDir, root, files);
          if (!l.isEmpty()) {
            out.add(l);
          }
        });
    return new LayerPlan(out);
  }

  /**
   * Whether a venv-relative path is in a vendored-libraries directory: {@code
   * .../site-packages/<something>.libs/...}, where auditwheel puts the shared libraries it grafts
   * into a manylinux wheel.
   */
  static boolean isVendoredLibrary(String relPath) {
    String[] parts = relPath.replace('\\', '/').split("/");
    for (int i = 0; i + 2 < parts.length; i++) {
      if (parts[i].equals("site-packages")) {
        return parts[i + 1].endsWith(".libs") && parts[i + 1].length() > ".libs".length();
      }
    }
    return false;
  }

  private static long sizeOf(Path root, List<String> relPaths) {
    long total = 0;
    for (String rel : relPaths) {
      Path file = root.resolve(cleanRelative(rel));
      try {
        total += Files.size(file);
      } catch (NoSuchFileException e) {
        throw new UncheckedIOException("file named by the venv manifest is missing: " + file, e);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }
    return total;
  }

  /**
   * Plans the app layer.
   *
   * @param m the manifest (of the full or the {@code --app-only} venv step)
   * @param appDir where the app's files are on this machine: the step's exported copy ({@code
   *     <out>/app-files}), or the venv dir for a package app
   * @param appTarget where they go in the image; {@code null} means the manifest's {@code app.root}
   *     ({@code /app} for plain files, the venv for a package)
   * @throws IllegalArgumentException when the manifest has no app
   */
  public static PlannedLayer forApp(VenvManifest m, Path appDir, String appTarget) {
    if (m.app() == null) {
      throw new IllegalArgumentException("the venv manifest has no app");
    }
    String target = appTarget != null ? appTarget : m.app().root();
    if (target == null) {
      target = m.app().isPackage() ? "/opt/venv" : "/app";
    }
    return layer(APP, appDir, absoluteDir(target), m.app().files());
  }

  /**
   * This plan with a {@value #SBOM} layer appended, holding {@code sbomFile} at {@code
   * <venvTarget>/}{@value Sbom#FILE_NAME}.
   */
  public LayerPlan withSbom(Path sbomFile, String venvTarget) {
    String target = absoluteDir(venvTarget) + "/" + Sbom.FILE_NAME;
    List<PlannedLayer> out = new ArrayList<>(layers);
    out.add(
        new PlannedLayer(SBOM, List.of(new LayerFile(sbomFile, target, FileModes.of(sbomFile)))));
    return new LayerPlan(out);
  }

  /**
   * {@link #withSbom(Path, String)}, the layer also holding {@code rebaseRecord} (venv.py's record
   * of the interpreter and shared objects, which a rebase onto a patched base reads) at {@code
   * <venvTarget>/<its file name>}; null: none.
   */
  public LayerPlan withSbom(Path sbomFile, Path rebaseRecord, String venvTarget) {
    if (rebaseRecord == null) {
      return withSbom(sbomFile, venvTarget);
    }
    String dir = absoluteDir(venvTarget) + "/";
    List<LayerFile> files = new ArrayList<>();
    files.add(new LayerFile(sbomFile, dir + Sbom.FILE_NAME, FileModes.of(sbomFile)));
    files.add(
        new LayerFile(rebaseRecord, dir + rebaseRecord.getFileName(), FileModes.of(rebaseRecord)));
    files.sort(Comparator.comparing(LayerFile::target));
    List<PlannedLayer> out = new ArrayList<>(layers);
    out.add(new PlannedLayer(SBOM, files));
    return new LayerPlan(out);
  }

  /**
   * The names of the layers holding any of these venv-relative files (in plan order), as {@link
   * #forVenv} placed them under {@code venvTarget}: where a distribution's files are.
   */
  public List<String> layersHolding(Collection<String> relPaths, String venvTarget) {
    String root = absoluteDir(venvTarget);
    Set<String> targets = new java.util.HashSet<>();
    for (String rel : relPaths) {
      String clean = cleanRelative(rel);
      targets.add(root.equals("/") ? "/" + clean : root + "/" + clean);
    }
    return layers.stream()
        .filter(l -> l.files().stream().anyMatch(f -> targets.contains(f.target())))
        .map(PlannedLayer::name)
        .toList();
  }

  /** This plan with {@code layer} appended (e.g. the app layer). */
  public LayerPlan with(PlannedLayer layer) {
    List<PlannedLayer> out = new ArrayList<>(layers);
    out.add(layer);
    return new LayerPlan(out);
  }

  /** The layer with that name, if planned. */
  public Optional<PlannedLayer> layer(String name) {
    return layers.stream().filter(l -> l.name().equals(name)).findFirst();
  }

  /** The layer names, in order. */
  public List<String> names() {
    return layers.stream().map(PlannedLayer::name).toList();
  }

  /** PEP 503 normalisation: lower case, runs of {@code -_.} become one {@code -}. */
  public static String normalize(String name) {
    return SEPARATORS.matcher(name).replaceAll("-").toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * The bucket (0-based) of a small distribution: the first four bytes of the sha256 of its
   * normalised name, unsigned, modulo {@code buckets}. Stable across JVMs and versions.
   */
  public static int bucketOf(String name, int buckets) {
    byte[] h = Digests.newSha256().digest(normalize(name).getBytes(StandardCharsets.UTF_8));
    long v =
        ((h[0] & 0xffL) << 24) | ((h[1] & 0xffL) << 16) | ((h[2] & 0xffL) << 8) | (h[3] & 0xffL);
    return (int) (v % buckets);
  }

  private static PlannedLayer layer(
      String name, Path sourceRoot, String targetRoot, Collection<String> relPaths) {
    Map<String, LayerFile> byTarget = new LinkedHashMap<>();
    for (String rel : relPaths) {
      String clean = cleanRelative(rel);
      String target = targetRoot.equals("/") ? "/" + clean : targetRoot + "/" + clean;
      if (byTarget.containsKey(target)) {
        continue;
      }
      Path source = sourceRoot.resolve(clean);
      byTarget.put(target, new LayerFile(source, target, FileModes.of(source)));
    }
    List<LayerFile> files = new ArrayList<>(byTarget.values());
    files.sort(Comparator.comparing(LayerFile::target));
    return new PlannedLayer(name, files);
  }

  private static String cleanRelative(String rel) {
    String r = rel.replace('\\', '/');
    while (r.startsWith("./")) {
      r = r.substring(2);
    }
    if (r.isEmpty() || r.startsWith("/") || List.of(r.split("/")).contains("..")) {
      throw new IllegalArgumentException("not a relative path inside the tree: " + rel);
    }
    return r;
  }

  private static String absoluteDir(String dir) {
    if (dir == null || !dir.startsWith("/")) {
      throw new IllegalArgumentException("target directory must be absolute: " + dir);
    }
    String d = dir;
    while (d.length() > 1 && d.endsWith("/")) {
      d = d.substring(0, d.length() - 1);
    }
    return d;
  }
}
