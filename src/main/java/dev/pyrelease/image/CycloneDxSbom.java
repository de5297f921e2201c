package dev.pyrelease.image;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import com.github.packageurl.PackageURLBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.cyclonedx.Version;
import org.cyclonedx.exception.GeneratorException;
import org.cyclonedx.exception.ParseException;
import org.cyclonedx.generators.BomGeneratorFactory;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Hash;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.Property;
import org.cyclonedx.model.metadata.ToolInformation;
import org.cyclonedx.parsers.JsonParser;

/**
 * {@link Sbom} as CycloneDX 1.6 JSON, written and read with the CycloneDX library.
 *
 * <p>Each distribution is a {@code library} component: name, version, purl {@code
 * pkg:pypi/<name>@<version>} (the purl library normalises the name as the pypi type asks), the
 * wheel's SHA-256 as its hash, and the properties {@value #WHEEL} (the wheel's file name) and
 * {@value #LAYER} (the digest of an image layer holding its files; one per layer). The base image
 * is a {@code container} component with its digest as hash and a {@code pkg:oci} purl.
 *
 * <p>Deterministic, so that the same venv gives the same layer and image digest: no timestamp, and
 * the serial number is a name-based UUID of the document written without one.
 */
final class CycloneDxSbom {
  static final Version VERSION = Version.VERSION_16;
  static final String WHEEL = "pyrelease:wheel";
  static final String LAYER = "pyrelease:layer";
  static final String PYTHON = "pyrelease:python";
  static final String BASE_REF = "base-image";

  private CycloneDxSbom() {}

  static byte[] write(Sbom sbom) {
    Bom bom = bom(sbom);
    String unsigned = json(bom);
    bom.setSerialNumber(
        "urn:uuid:" + UUID.nameUUIDFromBytes(unsigned.getBytes(StandardCharsets.UTF_8)));
    return (json(bom).replace("\r\n", "\n") + "\n").getBytes(StandardCharsets.UTF_8);
  }

  static Sbom read(byte[] json) throws IOException {
    Bom bom;
    try {
      bom = new JsonParser().parse(json);
    } catch (ParseException e) {
      throw new IOException("not a CycloneDX document: " + e.getMessage(), e);
    }
    if (bom == null || bom.getBomFormat() == null || !"CycloneDX".equals(bom.getBomFormat())) {
      throw new IOException("not a CycloneDX document");
    }
    String python = null;
    if (bom.getMetadata() != null && bom.getMetadata().getProperties() != null) {
      python =
          property(bom.getMetadata().getProperties(), PYTHON).stream().findFirst().orElse(null);
    }
    Sbom.Base base = null;
    List<Sbom.Entry> entries = new ArrayList<>();
    for (Component c : bom.getComponents() == null ? List.<Component>of() : bom.getComponents()) {
      if (c.getType() == Component.Type.CONTAINER && BASE_REF.equals(c.getBomRef())) {
        base = new Sbom.Base(baseImage(c), sha256(c) == null ? null : "sha256:" + sha256(c));
      } else if (c.getType() == Component.Type.LIBRARY
          && c.getPurl() != null
          && c.getPurl().startsWith("pkg:pypi/")) {
        List<Property> props = c.getProperties() == null ? List.of() : c.getProperties();
        entries.add(
            new Sbom.Entry(
                c.getName(),
                c.getVersion(),
                property(props, WHEEL).stream().findFirst().orElse(null),
                sha256(c),
                property(props, LAYER)));
      }
    }
    return new Sbom(python, base, entries);
  }

  private static Bom bom(Sbom sbom) {
    Bom bom = new Bom();
    Metadata metadata = new Metadata();
    metadata.setTimestamp(null); // the library stamps the time of creation: not reproducible
    Component tool = new Component();
    tool.setType(Component.Type.APPLICATION);
    tool.setName(ImageOnBase.TOOL_NAME);
    tool.setVersion(ImageOnBase.TOOL_VERSION);
    ToolInformation tools = new ToolInformation();
    tools.setComponents(List.of(tool));
    metadata.setToolChoice(tools);
    if (sbom.python() != null) {
      metadata.addProperty(new Property(PYTHON, sbom.python()));
    }
    bom.setMetadata(metadata);
    List<Component> components = new ArrayList<>();
    if (sbom.base() != null) {
      components.add(base(sbom.base()));
    }
    for (Sbom.Entry e : sbom.distributions()) {
      components.add(distribution(e));
    }
    bom.setComponents(components);
    return bom;
  }

  private static Component distribution(Sbom.Entry e) {
    Component c = new Component();
    c.setType(Component.Type.LIBRARY);
    c.setName(e.name());
    c.setVersion(e.version());
    String purl = purl("pypi", null, e.name(), e.version(), null);
    c.setPurl(purl);
    c.setBomRef(purl);
    if (e.sha256() != null) {
      c.setHashes(List.of(new Hash(Hash.Algorithm.SHA_256, e.sha256())));
    }
    List<Property> props = new ArrayList<>();
    if (e.wheel() != null) {
      props.add(new Property(WHEEL, e.wheel()));
    }
    e.layers().forEach(l -> props.add(new Property(LAYER, l)));
    if (!props.isEmpty()) {
      c.setProperties(props);
    }
    return c;
  }

  /** The base as a container component: {@code pkg:oci/<name>@<digest>?repository_url=…&tag=…}. */
  private static Component base(Sbom.Base b) {
    Component c = new Component();
    c.setType(Component.Type.CONTAINER);
    c.setBomRef(BASE_REF);
    ImageRef ref = parseOrNull(b.image());
    c.setName(ref == null ? b.image() : ref.repositoryName());
    String digest = b.digest() != null ? b.digest() : ref == null ? null : ref.digest();
    if (ref != null && ref.tag() != null) {
      c.setVersion(ref.tag());
    } else if (digest != null) {
      c.setVersion(digest);
    }
    if (digest != null && digest.startsWith("sha256:")) {
      c.setHashes(List.of(new Hash(Hash.Algorithm.SHA_256, digest.substring("sha256:".length()))));
      if (ref != null) {
        String name = ref.repository().substring(ref.repository().lastIndexOf('/') + 1);
        c.setPurl(purl("oci", null, name.toLowerCase(Locale.ROOT), digest, ref));
      }
    }
    return c;
  }

  private static String purl(
      String type, String namespace, String name, String version, ImageRef oci) {
    try {
      PackageURLBuilder b =
          PackageURLBuilder.aPackageURL()
              .withType(type)
              .withNamespace(namespace)
              .withName(name)
              .withVersion(version);
      if (oci != null) {
        b.withQualifier("repository_url", oci.repositoryName());
        if (oci.tag() != null) {
          b.withQualifier("tag", oci.tag());
        }
      }
      PackageURL p = b.build();
      return p.canonicalize();
    } catch (MalformedPackageURLException e) {
      throw new IllegalArgumentException("no package URL for " + name + " " + version, e);
    }
  }

  private static ImageRef parseOrNull(String image) {
    try {
      return image == null ? null : ImageRef.parse(image);
    } catch (IllegalArgumentException e) {
      return null; // a tar base: named, without a purl
    }
  }

  private static String baseImage(Component c) {
    if (c.getVersion() == null || c.getVersion().startsWith("sha256:")) {
      return c.getName();
    }
    return c.getName() + ":" + c.getVersion();
  }

  private static String sha256(Component c) {
    if (c.getHashes() == null) {
      return null;
    }
    return c.getHashes().stream()
        .filter(h -> Hash.Algorithm.SHA_256.getSpec().equals(h.getAlgorithm()))
        .map(Hash::getValue)
        .findFirst()
        .orElse(null);
  }

  private static List<String> property(List<Property> props, String name) {
    return props.stream().filter(p -> name.equals(p.getName())).map(Property::getValue).toList();
  }

  private static String json(Bom bom) {
    try {
      return BomGeneratorFactory.createJson(VERSION, bom).toJsonString();
    } catch (GeneratorException e) {
      throw new IllegalStateException("cannot write the CycloneDX SBOM: " + e.getMessage(), e);
    }
  }
}
