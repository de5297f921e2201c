package dev.pyrelease.validate;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.python.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a PythonRelease manifest strictly: YAML syntax, apiVersion/kind, metadata.name, and the
 * spec against the CRD's generated schema (unknown fields, types, required fields, patterns,
 * bounds), reporting every problem with its line, as {@code kubectl apply} with strict field
 * validation would.
 */
public final class ManifestReader {
  static final String CRD_RESOURCE = "META-INF/fabric8/pythonreleases.pyrelease.dev-v1.yml";
  private static final String API_VERSION = PythonRelease.GROUP + "/" + PythonRelease.VERSION;

  private final JsonNode specSchema;
  private final ObjectMapper mapper =
      new YAMLMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  private ManifestReader(JsonNode specSchema) {
    this.specSchema = specSchema;
  }

  /** A reader using the CRD generated from the model (inside the jar). */
  public static ManifestReader fromGeneratedCrd() {
    try (InputStream in = ManifestReader.class.getClassLoader().getResourceAsStream(CRD_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(CRD_RESOURCE + " is missing from the classpath");
      }
      // a plain tree, not fabric8's CRD model: loading that model costs a second at startup
      JsonNode crd = new YAMLMapper().readTree(in);
      return new ManifestReader(crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + CRD_RESOURCE, e);
    }
  }

  public Manifest read(Path path) throws ManifestException {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw single(path.toString(), 0, "file not found", "check the path given with -f");
    } catch (IOException e) {
      throw single(path.toString(), 0, "cannot read the file: " + e.getMessage(), "check the path");
    }
    return read(path.toString(), text);
  }

  public Manifest read(String file, String text) throws ManifestException {
    Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
    List<Node> docs = new ArrayList<>();
    try {
      for (Node n : yaml.composeAll(new StringReader(text))) {
        docs.add(n);
      }
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
      throw single(file, line, "is not valid YAML: " + e.getProblem(), "fix the YAML syntax");
    } catch (YAMLException e) {
      throw single(file, 0, "is not valid YAML: " + e.getMessage(), "fix the YAML syntax");
    }
    MappingNode doc = null;
    int docIndex = -1;
    for (int i = 0; i < docs.size(); i++) {
      if (docs.get(i) instanceof MappingNode m && "PythonRelease".equals(scalar(m, "kind"))) {
        if (doc != null) {
          throw single(file, line(m), "holds more than one PythonRelease", "keep one per file");
        }
        doc = m;
        docIndex = i;
      }
    }
    if (doc == null) {
      throw single(
          file,
          docs.isEmpty() || docs.get(0) == null ? 0 : line(docs.get(0)),
          "holds no document with kind: PythonRelease",
          "start the manifest with apiVersion: " + API_VERSION + " and kind: PythonRelease");
    }
    List<Problem> problems = new ArrayList<>();
    String apiVersion = scalar(doc, "apiVersion");
    if (!API_VERSION.equals(apiVersion)) {
      problems.add(
          new Problem(
              file,
              line(doc),
              "",
              "apiVersion '" + apiVersion + "' is not served",
              "use apiVersion: " + API_VERSION));
    }
    Node metadata = child(doc, "metadata");
    String name = metadata instanceof MappingNode m ? scalar(m, "name") : null;
    if (name == null) {
      problems.add(
          new Problem(file, line(doc), "", "metadata.name is required", "name the release"));
    } else {
      NameRules.check(name)
          .ifPresent(
              why ->
                  problems.add(
                      new Problem(
                          file,
                          line(metadata),
                          "",
                          "metadata.name '" + name + "' " + why,
                          "use a lowercase name of letters, digits and '-', starting with a letter,"
                              + " at most "
                              + NameRules.MAX_LENGTH
                              + " characters")));
    }
    Node spec = child(doc, "spec");
    if (spec == null) {
      problems.add(new Problem(file, line(doc), "", "spec is required", "add a spec"));
    } else {
      problems.addAll(SchemaValidator.validate(file, spec, specSchema, "spec"));
    }
    if (!problems.isEmpty()) {
      throw new ManifestException(problems);
    }
    Map<String, Integer> lines = new HashMap<>();
    index(doc, "", lines);
    try {
      // the schema check passed, so binding the same document to the model cannot lose anything
      Object tree = null;
      int i = 0;
      for (Object o : yaml.loadAll(text)) {
        if (i++ == docIndex) {
          tree = o;
        }
      }
      PythonRelease release = mapper.convertValue(tree, PythonRelease.class);
      return new Manifest(file, release, lines);
    } catch (IllegalArgumentException | YAMLException e) {
      throw single(
          file,
          line(doc),
          "cannot be read as a PythonRelease: " + e.getMessage(),
          "compare it with `kubectl explain pythonrelease.spec`");
    }
  }

  private static void index(Node node, String path, Map<String, Integer> lines) {
    if (!path.isEmpty()) {
      lines.put(path, line(node));
    }
    if (node instanceof MappingNode m) {
      for (NodeTuple t : m.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k) {
          String child = path.isEmpty() ? k.getValue() : path + "." + k.getValue();
          lines.put(child, line(t.getKeyNode()));
          index(t.getValueNode(), child, lines);
          lines.put(child, line(t.getKeyNode()));
        }
      }
    } else if (node instanceof SequenceNode s) {
      for (int i = 0; i < s.getValue().size(); i++) {
        index(s.getValue().get(i), path + "[" + i + "]", lines);
      }
    }
  }

  private static Node child(MappingNode map, String key) {
    for (NodeTuple t : map.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
        return t.getValueNode();
      }
    }
    return null;
  }

  private static String scalar(MappingNode map, String key) {
    return child(map, key) instanceof ScalarNode s ? s.getValue() : null;
  }

  private static int line(Node n) {
    return n.getStartMark().getLine() + 1;
  }

  private static ManifestException single(String file, int line, String what, String fix) {
    return new ManifestException(List.of(new Problem(file, line, "", what, fix)));
  }
}
