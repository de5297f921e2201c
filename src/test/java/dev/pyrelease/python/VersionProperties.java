package dev.pyrelease.python;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** PEP 440 ordering is a total order consistent with equals, and normalisation round-trips. */
class VersionProperties {

  @Property
  void orderingIsAntisymmetric(@ForAll("versions") String a, @ForAll("versions") String b) {
    Version x = Version.parse(a);
    Version y = Version.parse(b);
    assertThat(Integer.signum(x.compareTo(y))).isEqualTo(-Integer.signum(y.compareTo(x)));
  }

  @Property
  void orderingIsTransitive(
      @ForAll("versions") String a, @ForAll("versions") String b, @ForAll("versions") String c) {
    Version x = Version.parse(a);
    Version y = Version.parse(b);
    Version z = Version.parse(c);
    if (x.compareTo(y) <= 0 && y.compareTo(z) <= 0) {
      assertThat(x.compareTo(z)).isLessThanOrEqualTo(0);
    }
    if (x.compareTo(y) == 0 && y.compareTo(z) == 0) {
      assertThat(x.compareTo(z)).isZero();
    }
  }

  @Property
  void orderingIsConsistentWithEqualsAndHashCode(
      @ForAll("versions") String a, @ForAll("versions") String b) {
    Version x = Version.parse(a);
    Version y = Version.parse(b);
    assertThat(x.equals(y)).isEqualTo(x.compareTo(y) == 0);
    if (x.equals(y)) {
      assertThat(x.hashCode()).isEqualTo(y.hashCode());
    }
  }

  @Property
  void normalisedFormRoundTrips(@ForAll("versions") String text) {
    Version v = Version.parse(text);
    Version again = Version.parse(v.toString());
    assertThat(again).isEqualTo(v);
    assertThat(again.toString()).isEqualTo(v.toString());
  }

  @Property
  void trailingZerosDoNotMatter(@ForAll("versions") String text) {
    Version v = Version.parse(text);
    String padded =
        v.baseVersion() + ".0.0" + v.toString().substring(v.baseVersion().toString().length());
    assertThat(Version.parse(padded)).isEqualTo(v).hasSameHashCodeAs(v);
  }

  @Property
  void partsAreOrderedAsThePepSays(@ForAll("versions") String text) {
    Version v = Version.parse(text);
    Version base = v.baseVersion();
    if (!v.isPrerelease() && !v.isPostrelease() && !v.hasLocal()) {
      assertThat(v).isEqualTo(base);
    }
    if (v.isPostrelease() && !v.isPrerelease()) {
      assertThat(v).isGreaterThan(base);
    }
    if (v.isPrerelease() && !v.isPostrelease()) {
      assertThat(v).isLessThan(base);
    }
    if (v.hasLocal()) {
      assertThat(v).isGreaterThan(v.publicVersion());
    }
  }

  /** Valid versions in every spelling PEP 440 allows, with small and huge numbers. */
  @Provide
  Arbitrary<String> versions() {
    Arbitrary<String> number =
        Arbitraries.oneOf(
            Arbitraries.integers().between(0, 12).map(String::valueOf),
            Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(30));
    Arbitrary<String> epoch =
        Arbitraries.oneOf(Arbitraries.just(""), number.map(n -> n + "!")).withoutEdgeCases();
    Arbitrary<String> release =
        number.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(".", l));
    Arbitrary<String> sep = Arbitraries.of("", ".", "-", "_");
    Arbitrary<String> pre =
        Combinators.combine(
                sep,
                Arbitraries.of("a", "b", "c", "rc", "alpha", "beta", "pre", "preview", "RC"),
                sep,
                Arbitraries.oneOf(Arbitraries.just(""), number))
            .as((s1, l, s2, n) -> s1 + l + (n.isEmpty() ? "" : s2 + n));
    Arbitrary<String> post =
        Arbitraries.oneOf(
            number.map(n -> "-" + n),
            Combinators.combine(sep, Arbitraries.of("post", "rev", "r"), sep, number)
                .as((s1, l, s2, n) -> s1 + l + s2 + n));
    Arbitrary<String> dev =
        Combinators.combine(sep, Arbitraries.oneOf(Arbitraries.just(""), number))
            .as((s, n) -> s + "dev" + n);
    Arbitrary<String> local =
        Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(5), number)
            .list()
            .ofMinSize(1)
            .ofMaxSize(3)
            .map(l -> "+" + String.join(".", l));
    return Combinators.combine(
            Arbitraries.of("", "v"),
            epoch,
            release,
            optional(pre),
            optional(post),
            optional(dev),
            optional(local))
        .as((v, e, r, a, p, d, l) -> v + e + r + a + p + d + l);
  }

  private static Arbitrary<String> optional(Arbitrary<String> part) {
    return Arbitraries.oneOf(Arbitraries.just(""), part);
  }
}
