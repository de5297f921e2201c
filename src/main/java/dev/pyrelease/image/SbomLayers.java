package dev.pyrelease.image;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The venv layers with the SBOM's own layer ({@value LayerPlan#SBOM}) appended, and the SBOM, which
 * names the layer each distribution lives in by the digest that layer will have when pushed.
 *
 * <p>The SBOM's layer comes after the layers it names, so their digests are worked out before the
 * push: each layer is built once more as Jib builds it (the same tar and gzip, {@link
 * ImageOnBase#build}) and only hashed. That costs a compression of the venv (done on all cores),
 * and only when the dependency image is built; {@link #checkPushed} then compares with what was
 * pushed, so an SBOM never names a layer the image does not have.
 *
 * @param plan the venv layers and the SBOM's layer
 * @param sbom the SBOM in that layer
 * @param sbomFile the file written for it
 * @param digests the digest of each venv layer, by layer name
 */
public record SbomLayers(LayerPlan plan, Sbom sbom, Path sbomFile, Map<String, String> digests) {

  /**
   * @param venvLayers {@link LayerPlan#forVenv}'s plan
   * @param venvTarget where the venv is in the image
   * @param dir where to write the SBOM file
   */
  public static SbomLayers of(
      LayerPlan venvLayers, VenvManifest m, Sbom.Base base, String venvTarget, Path dir) {
    return of(venvLayers, m, base, null, venvTarget, dir);
  }

  /**
   * {@link #of(LayerPlan, VenvManifest, Sbom.Base, String, Path)} with venv.py's rebase record in
   * the SBOM's layer too ({@link LayerPlan#withSbom(Path, Path, String)}; null: none).
   */
  public static SbomLayers of(
      LayerPlan venvLayers,
      VenvManifest m,
      Sbom.Base base,
      Path rebaseRecord,
      String venvTarget,
      Path dir) {
    Map<String, String> digests = new ConcurrentHashMap<>();
    venvLayers.layers().parallelStream().forEach(l -> digests.put(l.name(), digestOf(l)));
    Sbom sbom =
        Sbom.of(
            m,
            base,
            d ->
                venvLayers.layersHolding(d.files(), venvTarget).stream()
                    .map(digests::get)
                    .toList());
    Path file = sbom.writeTo(dir);
    return new SbomLayers(
        venvLayers.withSbom(file, rebaseRecord, venvTarget), sbom, file, new TreeMap<>(digests));
  }

  /**
   * Checks that the pushed layers have the digests the SBOM names.
   *
   * @throws ImageException when one differs (the SBOM would name a layer the image lacks)
   */
  public void checkPushed(List<ImageResult.LayerResult> pushed) throws ImageException {
    for (ImageResult.LayerResult l : pushed) {
      String expected = digests.get(l.name());
      if (expected != null && !expected.equals(l.digest())) {
        throw new ImageException(
            "the SBOM names the "
                + l.name()
                + " layer "
                + expected
                + ", but the image has "
                + l.digest()
                + " (a bug: please report it)",
            null,
            null);
      }
    }
  }

  private static String digestOf(PlannedLayer layer) {
    try {
      return ImageOnBase.build(layer, OutputStream.nullOutputStream())
          .blob()
          .getDigest()
          .toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the " + layer.name() + " layer's files", e);
    }
  }
}
