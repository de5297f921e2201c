import java.lang.reflect.Method;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * In a fresh JVM, after the manifest's YAML has been read with Jackson (as {@code check} does):
 * the microseconds of the first and of the second PEP 691 page parse, with whatever parser the jar
 * on the class path has. Used by bench/check-before-after.sh.
 *   java -cp PYRELEASE.jar:CLASSES Pep691ParseCost PAGE.json
 */
public class Pep691ParseCost {
  public static void main(String[] args) throws Exception {
    new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree("kind: PythonRelease\n");
    String page = Files.readString(Path.of(args[0]));
    Class<?> pages = Class.forName("dev.pyrelease.index.SimplePages");
    Method parse = pages.getDeclaredMethod("parseJson", String.class, URI.class);
    parse.setAccessible(true);
    URI at = URI.create("http://127.0.0.1/simple/x/");
    long t0 = System.nanoTime();
    List<?> first = (List<?>) parse.invoke(null, page, at);
    long t1 = System.nanoTime();
    parse.invoke(null, page, at);
    long t2 = System.nanoTime();
    System.out.println((t1 - t0) / 1000 + " " + (t2 - t1) / 1000 + " " + first.size());
  }
}
