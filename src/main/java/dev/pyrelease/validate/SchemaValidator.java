package dev.pyrelease.validate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pyrelease.python.Problem;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Checks a YAML document against a CRD's structural openAPIV3Schema the way the API server would
 * (types, required, unknown fields, patterns, bounds), reporting every problem with its line.
 *
 * <p>Why not a JSON-schema library: the CRD schema is a Kubernetes dialect (int-or-string,
 * preserve-unknown-fields), and a user needs the YAML line of each problem, which only the YAML
 * node tree knows. The schema itself is generated from the Java model, so nothing is written twice.
 */
final class SchemaValidator {
  private final String file;
  private final List<Problem> problems = new ArrayList<>();

  private SchemaValidator(String file) {
    this.file = file;
  }

  static List<Problem> validate(String file, Node root, JsonNode schema, String rootPath) {
    SchemaValidator v = new SchemaValidator(file);
    v.check(root, schema, rootPath);
    return v.problems;
  }

  private void check(Node node, JsonNode schema, String path) {
    if (schema == null || isNull(node)) {
      return;
    }
    if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
      if (!(node instanceof ScalarNode s)
          || !(s.getTag().equals(Tag.INT) || s.getTag().equals(Tag.STR))) {
        add(node, path, "must be an integer or a string", "e.g. 8000 or \"http\"");
      }
      return;
    }
    String type = schema.path("type").asText(null);
    if (type == null) {
      return;
    }
    switch (type) {
      case "object" -> checkObject(node, schema, path);
      case "array" -> checkArray(node, schema, path);
      case "string" -> checkString(node, schema, path);
      case "integer", "number" -> checkNumber(node, schema, path, type);
      case "boolean" -> {
        if (!(node instanceof ScalarNode s) || !s.getTag().equals(Tag.BOOL)) {
          add(node, path, "must be true or false, not " + describe(node), "write true or false");
        }
      }
      default -> {}
    }
  }

  private void checkObject(Node node, JsonNode schema, String path) {
    if (!(node instanceof MappingNode map)) {
      add(node, path, "must be a mapping (key: value), not " + describe(node), fixFor(schema));
      return;
    }
    JsonNode props = schema.get("properties");
    JsonNode additional = schema.get("additionalProperties");
    boolean open =
        schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)
            || (additional != null && (additional.isObject() || additional.asBoolean(false)));
    List<String> seen = new ArrayList<>();
    for (NodeTuple t : map.getValue()) {
      String key = t.getKeyNode() instanceof ScalarNode k ? k.getValue() : String.valueOf(t);
      String child = path.isEmpty() ? key : path + "." + key;
      if (seen.contains(key)) {
        add(t.getKeyNode(), child, "is given twice", "keep one of them");
        continue;
      }
      seen.add(key);
      JsonNode sub = props == null ? null : props.get(key);
      if (sub == null) {
        if (additional != null && additional.isObject()) {
          check(t.getValueNode(), additional, child);
        } else if (!open) {
          add(
              t.getKeyNode(),
              child,
              "is not a known field",
              props == null || props.isEmpty()
                  ? "remove it"
                  : "remove it or fix its spelling; known fields here: "
                      + String.join(", ", names(props)));
        }
        continue;
      }
      check(t.getValueNode(), sub, child);
    }
    if (schema.has("required")) {
      for (JsonNode r : schema.get("required")) {
        String req = r.asText();
        NodeTuple present =
            map.getValue().stream()
                .filter(t -> t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(req))
                .findFirst()
                .orElse(null);
        if (present == null || isNull(present.getValueNode())) {
          String child = path.isEmpty() ? req : path + "." + req;
          add(node, child, "is required", fixFor(props == null ? null : props.get(req)));
        }
      }
    }
  }

  private void checkArray(Node node, JsonNode schema, String path) {
    if (!(node instanceof SequenceNode seq)) {
      add(node, path, "must be a list, not " + describe(node), "write it as a YAML list: [a, b]");
      return;
    }
    if (schema.has("minItems") && seq.getValue().size() < schema.get("minItems").asInt()) {
      add(
          node,
          path,
          "needs at least " + schema.get("minItems").asInt() + " item(s)",
          "add the missing item(s)");
    }
    if (schema.path("items").isObject()) {
      for (int i = 0; i < seq.getValue().size(); i++) {
        check(seq.getValue().get(i), schema.get("items"), path + "[" + i + "]");
      }
    }
  }

  private void checkString(Node node, JsonNode schema, String path) {
    if (!(node instanceof ScalarNode s)) {
      add(node, path, "must be a string, not " + describe(node), fixFor(schema));
      return;
    }
    if (!s.getTag().equals(Tag.STR)) {
      // YAML reads 3.11, 1234 or true as non-strings; the API server would refuse them too
      add(
          node,
          path,
          "must be a string, not " + describe(node) + " (" + s.getTag().getClassName() + ")",
          "quote it: \"" + s.getValue() + "\"");
      return;
    }
    String value = s.getValue();
    String pattern = schema.path("pattern").asText(null);
    if (pattern != null) {
      try {
        if (!Pattern.compile(pattern).matcher(value).find()) {
          add(node, path, "'" + value + "' does not match " + pattern, fixFor(schema));
        }
      } catch (PatternSyntaxException e) {
        // A pattern Java cannot read is the API server's to enforce.
      }
    }
    if (schema.path("enum").size() > 0) {
      List<String> allowed = new ArrayList<>();
      schema.get("enum").forEach(j -> allowed.add(j.asText()));
      if (!allowed.contains(value)) {
        add(node, path, "'" + value + "' is not allowed", "use one of " + allowed);
      }
    }
  }

  private void checkNumber(Node node, JsonNode schema, String path, String type) {
    boolean ok =
        node instanceof ScalarNode s
            && (s.getTag().equals(Tag.INT)
                || (type.equals("number") && s.getTag().equals(Tag.FLOAT)));
    if (!ok) {
      add(
          node,
          path,
          "must be "
              + ("integer".equals(type) ? "an integer" : "a number")
              + ", not "
              + describe(node),
          fixFor(schema));
      return;
    }
    double value;
    try {
      value = Double.parseDouble(((ScalarNode) node).getValue().replace("_", ""));
    } catch (NumberFormatException e) {
      return;
    }
    if (schema.has("minimum") && value < schema.get("minimum").asDouble()) {
      add(
          node,
          path,
          "must be at least "
              + fmt(schema.get("minimum").asDouble())
              + ", not "
              + ((ScalarNode) node).getValue(),
          fixFor(schema));
    }
    if (schema.has("maximum") && value > schema.get("maximum").asDouble()) {
      add(
          node,
          path,
          "must be at most "
              + fmt(schema.get("maximum").asDouble())
              + ", not "
              + ((ScalarNode) node).getValue(),
          fixFor(schema));
    }
  }

  private static List<String> names(JsonNode props) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = props.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  private static String fixFor(JsonNode schema) {
    if (schema == null || !schema.hasNonNull("description")) {
      return "see `kubectl explain pythonrelease.spec`";
    }
    String d = schema.get("description").asText();
    return "expected: " + (d.length() > 160 ? d.substring(0, 157) + "..." : d);
  }

  private static boolean isNull(Node node) {
    return node == null || (node instanceof ScalarNode s && s.getTag().equals(Tag.NULL));
  }

  private static String describe(Node node) {
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    if (node instanceof ScalarNode s) {
      return "'" + s.getValue() + "'";
    }
    return "this";
  }

  private void add(Node node, String path, String what, String fix) {
    int line = node == null ? 0 : node.getStartMark().getLine() + 1;
    problems.add(new Problem(file, line, "", path + " " + what, fix));
  }
}
