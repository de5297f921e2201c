package dev.pyrelease.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pyrelease.image.ImageException;
import dev.pyrelease.image.ImageRef;
import dev.pyrelease.image.ImageSettings;
import dev.pyrelease.image.ImageWriter;
import dev.pyrelease.index.IndexLocation;
import dev.pyrelease.release.BuildKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The Python-aware rebase: a build whose dependency image does not exist only because the base
 * moved to a new digest keeps the previous dependency image's distribution layers instead of
 * running pip. The source step finds the previous image by the rebase key ({@link
 * BuildKeys#rebaseKey}: the dependency key without the base digest; its newest dependency image is
 * tagged {@link BuildKeys#rebaseTag}) and hands venv.py its rebase record (the interpreter the
 * distributions were installed for, and each shared object's needs). venv.py, in the new base,
 * refuses when the interpreter differs (implementation, version, ABI, path: the full step runs and
 * the manifest says why), else makes only a new venv skeleton and checks the recorded objects
 * against the new base's libraries. The assemble step then pushes the new base + new skeleton + the
 * previous layers as they are ({@link ImageWriter#rebaseDependencyImage}).
 *
 * <p>The same steps run in {@code pyrelease build} and in the operator's build Job (the source step
 * decides, the venv container runs the new base, the assemble step pushes), so both take the path.
 */
public final class Rebase {
  /** The rebase record's file name, in the {@code venv-manifest} layer beside the SBOM. */
  public static final String RECORD_FILE = "pyrelease-rebase.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private Rebase() {}

  /** The rebase key of a plan (see {@link BuildKeys#rebaseKey}). */
  public static String key(BuildPlan plan) {
    IndexLocation index =
        plan.indexUrl() != null
            ? IndexLocation.simple(plan.indexUrl())
            : IndexLocation.findLinks(plan.findLinks());
    return BuildKeys.rebaseKey(
        plan.requirements(),
        ImageRef.parse(plan.baseImage()).repositoryName(),
        BuildKeys.indexId(index),
        plan.builderVersion());
  }

  /** The tag of a plan's rebase lineage in its repository. */
  public static String tag(BuildPlan plan) {
    return BuildKeys.rebaseTag(key(plan));
  }

  /**
   * The previous dependency image a build can keep, or why not (empty {@code from}).
   *
   * @param from {@code repository@sha256:…} of the previous dependency image, or null
   * @param previousBase the base digest it was built on, or null
   * @param why why no rebase, when {@code from} is null
   */
  record Candidate(String from, String previousBase, byte[] record, String why) {}

  /**
   * Looks for the previous dependency image of {@code plan}'s rebase key: it must exist, be built
   * on another base digest than the plan's, and carry a rebase record.
   */
  static Candidate find(ImageWriter writer, BuildPlan plan) throws ImageException {
    ImageRef lineage = ImageRef.parse(plan.repository()).withTag(tag(plan));
    Optional<String> digest = writer.digestOf(lineage);
    if (digest.isEmpty()) {
      return new Candidate(null, null, null, "no earlier dependency image of these pins");
    }
    ImageRef pinned = ImageRef.parse(plan.repository()).withDigest(digest.get());
    String previousBase = writer.labelsOf(pinned).get(ImageSettings.LABEL_BASE_DIGEST);
    if (previousBase == null || previousBase.equals(plan.baseImageDigest())) {
      return new Candidate(
          null, previousBase, null, "the earlier dependency image is on the same base");
    }
    Optional<byte[]> record = writer.venvRecordFile(pinned, RECORD_FILE);
    if (record.isEmpty()) {
      return new Candidate(
          null, previousBase, null, "the earlier dependency image has no rebase record");
    }
    return new Candidate(pinned.toString(), previousBase, record.get(), null);
  }

  /** Writes venv.py's input: the record, with the image it came from. */
  static void writeInput(Workspace ws, Candidate c) {
    try {
      ObjectNode doc = (ObjectNode) JSON.readTree(c.record());
      doc.put("from", c.from());
      doc.put("previousBase", c.previousBase());
      Files.writeString(ws.rebaseInput(), JSON.writeValueAsString(doc) + "\n");
    } catch (IOException | ClassCastException e) {
      throw BuildException.environment("cannot write " + ws.rebaseInput() + ": " + e);
    }
  }

  /**
   * What venv.py did with a rebase: {@code from} set when it rebased, {@code refused} when the
   * interpreter differs and it ran the full step instead.
   */
  record Outcome(String from, String refused) {}

  /** The outcome in the venv step's manifest. */
  static Outcome outcome(Path manifestJson) {
    try {
      JsonNode r = JSON.readTree(manifestJson.toFile()).path("rebase");
      return new Outcome(r.path("from").asText(null), r.path("refused").asText(null));
    } catch (IOException e) {
      throw BuildException.environment("cannot read " + manifestJson + ": " + e);
    }
  }
}
