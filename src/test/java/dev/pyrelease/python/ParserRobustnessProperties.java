package dev.pyrelease.python;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every parser meets text from outside (requirements files, METADATA of arbitrary wheels, file
 * names on an index), so for any input it must either succeed or throw {@link
 * PythonSyntaxException}, never another exception.
 */
class ParserRobustnessProperties {

  private static final String[] TOKENS = {
    "1",
    "0",
    "99999999999999999999999",
    ".",
    "-",
    "_",
    "!",
    "+",
    "*",
    ",",
    " ",
    "\t",
    "\n",
    "a",
    "b",
    "rc",
    "post",
    "dev",
    "v",
    "==",
    "!=",
    "~=",
    "===",
    "<",
    ">",
    "<=",
    ">=",
    "(",
    ")",
    "[",
    "]",
    ";",
    "@",
    "'",
    "\"",
    "and",
    "or",
    "in",
    "not",
    "extra",
    "python_version",
    "sys_platform",
    "'3.11'",
    "\"linux\"",
    "foo",
    "Foo_Bar",
    "http://x/y.whl",
    "py3",
    "cp311",
    "abi3",
    "none",
    "any",
    "manylinux_2_17_x86_64",
    ".whl",
    ":",
    "Name: ",
    "Version: ",
    "Requires-Dist: ",
    "Requires-Python: ",
    "Provides-Extra: ",
    "\r\n",
    "\u00e9",
    "\uFEFF",
    "\u0000"
  };

  /** Strings made of tokens that occur in valid input, so that many get far into a parser. */
  @Provide
  Arbitrary<String> nearValid() {
    return Arbitraries.of(TOKENS).list().ofMaxSize(16).map(l -> String.join("", l));
  }

  @Provide
  Arbitrary<String> anything() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(40),
        Arbitraries.strings().all().ofMaxLength(40),
        nearValid());
  }

  private static void succeedsOrThrowsTyped(Function<String, ?> parser, String input) {
    try {
      assertThat((Object) parser.apply(input)).isNotNull();
    } catch (PythonSyntaxException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  @Property
  void version(@ForAll("anything") String input) {
    succeedsOrThrowsTyped(Version::parse, input);
  }

  @Property
  void specifierSet(@ForAll("anything") String input) {
    succeedsOrThrowsTyped(SpecifierSet::parse, input);
  }

  @Property
  void marker(@ForAll("anything") String input) {
    TargetPython target = TargetPython.linux("3.11");
    succeedsOrThrowsTyped(s -> Marker.parse(s).evaluate(target, java.util.Set.of("x")), input);
  }

  @Property
  void requirement(@ForAll("anything") String input) {
    succeedsOrThrowsTyped(s -> Requirement.parse(s).toString(), input);
  }

  @Property
  void requirementWithPrefix(@ForAll("nearValid") String input) {
    // a valid name in front gets the parser past the name into extras, specifiers and markers
    succeedsOrThrowsTyped(s -> Requirement.parse(s).toString(), "pkg" + input);
  }

  @Property
  void wheelFilename(@ForAll("anything") String input) {
    TargetPython target = TargetPython.linux("3.11");
    succeedsOrThrowsTyped(s -> WheelFilename.parse(s).priority(target), input);
    succeedsOrThrowsTyped(
        s -> WheelFilename.parse(s).priority(target), "pkg-1.0-" + input + ".whl");
  }

  @Property
  void coreMetadata(@ForAll("anything") String input) {
    succeedsOrThrowsTyped(CoreMetadata::parse, input);
    succeedsOrThrowsTyped(CoreMetadata::parse, "Name: pkg\nVersion: 1.0\n" + input);
  }

  @Property
  void parsedRequirementsPrintAsTheyParse(@ForAll("nearValid") String input) {
    Requirement r;
    try {
      r = Requirement.parse("pkg" + input);
    } catch (PythonSyntaxException e) {
      return;
    }
    assertThat(Requirement.parse(r.toString())).isEqualTo(r);
  }
}
