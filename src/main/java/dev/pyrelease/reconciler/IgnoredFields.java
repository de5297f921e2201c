package dev.pyrelease.reconciler;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.google.common.collect.MapMaker;
import dev.pyrelease.api.v1alpha1.PythonRelease;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Fields of a PythonRelease this operator's model does not have — a newer CRD installed before the
 * operator, or a field added by hand where no schema prunes it. Reading from the API server skips
 * them instead of failing (a failing informer would stop the operator for every release), and
 * remembers them per object so the release's status can name what was ignored. The CLI keeps
 * refusing unknown fields in the manifests it reads.
 *
 * <p>Installed as a Jackson problem handler on the operator's client, and carried over to the
 * copies JOSDK makes; the record is weak (by identity), so it lives as long as the objects do.
 */
public final class IgnoredFields extends DeserializationProblemHandler {
  private static final String MODEL = PythonRelease.class.getPackageName();

  /** The outermost object being read (the release) → the paths of the fields it ignored. */
  private final ConcurrentMap<Object, List<String>> byRoot = new MapMaker().weakKeys().makeMap();

  @Override
  public boolean handleUnknownProperty(
      DeserializationContext ctxt,
      JsonParser p,
      JsonDeserializer<?> deserializer,
      Object beanOrClass,
      String propertyName)
      throws IOException {
    if (beanOrClass == null
        || beanOrClass instanceof Class<?>
        || !beanOrClass.getClass().getPackageName().equals(MODEL)) {
      return false;
    }
    Object root = beanOrClass;
    List<String> segments = new ArrayList<>();
    segments.add(propertyName);
    JsonStreamContext here = p.getParsingContext();
    if (p.currentToken() == JsonToken.START_OBJECT || p.currentToken() == JsonToken.START_ARRAY) {
      here = here.getParent(); // the parser is already inside the unknown field's value
    }
    for (JsonStreamContext c = here; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.getCurrentValue() != null) {
        root = c.getCurrentValue();
      }
      if (c == here) {
        continue;
      }
      segments.add(c.inArray() ? "[" + c.getCurrentIndex() + "]" : c.getCurrentName());
    }
    StringBuilder path = new StringBuilder();
    for (int i = segments.size() - 1; i >= 0; i--) {
      String s = segments.get(i);
      if (path.length() > 0 && !s.startsWith("[")) {
        path.append('.');
      }
      path.append(s);
    }
    byRoot.computeIfAbsent(root, k -> new CopyOnWriteArrayList<>()).add(path.toString());
    p.skipChildren();
    return true;
  }

  /** The ignored fields of a release, as paths ({@code spec.run.warmup}), sorted. */
  public List<String> of(Object release) {
    List<String> paths = byRoot.get(release);
    return paths == null ? List.of() : paths.stream().sorted().distinct().toList();
  }

  /**
   * A copy of a release keeps what its original ignored: JOSDK hands the reconciler a clone of the
   * cached object, and a clone is made from the model, which no longer has the fields.
   */
  public <T> T carryOver(T original, T copy) {
    List<String> paths = byRoot.get(original);
    if (paths != null) {
      byRoot.put(copy, paths);
    }
    return copy;
  }
}
