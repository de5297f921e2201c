package dev.pyrelease.image;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The venv step's output ({@code <out>/manifest.json}, written by {@code venv.py}): the
 * interpreter, the installed distributions with their files (paths relative to the venv root,
 * including compiled {@code .pyc}), the app and the venv's remaining ("skeleton") files.
 *
 * <p>In {@code --app-only} mode {@code distributions} and {@code skeletonFiles} are absent (empty
 * lists here). Unknown fields are ignored so that the script can grow without breaking readers.
 *
 * @param python the interpreter that built the venv
 * @param venv the venv's absolute path inside the build container (normally {@code /opt/venv})
 * @param distributions installed distributions, sorted by normalised name
 * @param app the app, or {@code null} when the step ran without one
 * @param skeletonFiles venv files owned by no distribution (interpreter copies, pyvenv.cfg, ...)
 * @param contentMtimes the trees ({@code venv}, {@code app-files}) whose files the script already
 *     gave content-derived mtimes (see {@code WorkspaceLock.contentMtimes}); empty from older
 *     scripts
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VenvManifest(
    Python python,
    String venv,
    List<Distribution> distributions,
    App app,
    List<String> skeletonFiles,
    List<String> contentMtimes) {

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  public VenvManifest {
    distributions = distributions == null ? List.of() : List.copyOf(distributions);
    skeletonFiles = skeletonFiles == null ? List.of() : List.copyOf(skeletonFiles);
    contentMtimes = contentMtimes == null ? List.of() : List.copyOf(contentMtimes);
  }

  /**
   * Reads a manifest file.
   *
   * @throws UncheckedIOException when the file cannot be read or is not a manifest
   */
  public static VenvManifest read(Path manifestJson) {
    try {
      VenvManifest m = JSON.readValue(manifestJson.toFile(), VenvManifest.class);
      if (m == null) {
        throw new IOException("empty manifest");
      }
      return m;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read venv manifest " + manifestJson + ": " + e.getMessage(), e);
    }
  }

  /**
   * The interpreter the venv was built with.
   *
   * @param version e.g. {@code 3.11.2}
   * @param implementation e.g. {@code cpython}
   * @param cacheTag e.g. {@code cpython-311}
   * @param tags supported wheel tags, most preferred first
   * @param executable the base image's interpreter ({@code /usr/bin/python3.11})
   * @param venvPython the venv's interpreter ({@code /opt/venv/bin/python})
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Python(
      String version,
      String implementation,
      String cacheTag,
      List<String> tags,
      String executable,
      String venvPython) {
    public Python {
      tags = tags == null ? List.of() : List.copyOf(tags);
    }
  }

  /**
   * One installed distribution.
   *
   * @param name the distribution's name as in its METADATA
   * @param version its version
   * @param wheel the wheel file it was installed from
   * @param sha256 that wheel's sha256 (hex)
   * @param files its files relative to the venv root (RECORD plus compiled .pyc)
   * @param sizeBytes the installed size of those files
   * @param missingLibraries its shared objects that need a library neither the base image nor the
   *     venv has (empty when all are found)
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Distribution(
      String name,
      String version,
      String wheel,
      String sha256,
      List<String> files,
      long sizeBytes,
      List<MissingLibraries> missingLibraries) {
    public Distribution {
      files = files == null ? List.of() : List.copyOf(files);
      missingLibraries = missingLibraries == null ? List.of() : List.copyOf(missingLibraries);
    }
  }

  /**
   * A shared object of a distribution whose {@code DT_NEEDED} libraries the venv step found
   * nowhere: not known to the dynamic loader in the base image, not on the object's RPATH/RUNPATH,
   * and no file of that name in the venv. Importing it fails.
   *
   * @param file the object, relative to the venv root
   * @param needs the library names not found, e.g. {@code libstdc++.so.6}
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record MissingLibraries(String file, List<String> needs) {
    public MissingLibraries {
      needs = needs == null ? List.of() : List.copyOf(needs);
    }
  }

  /**
   * The app.
   *
   * @param kind {@code package} (installed into the venv; files relative to the venv root) or
   *     {@code files} (plain files; relative to the app dir; target {@code root}, i.e. /app)
   * @param root where the files go in the image: the venv path for a package, {@code /app} for
   *     plain files
   * @param files the app's files, relative to {@code root}
   * @param exported the folder under the step's out dir holding a copy of those files
   * @param name package name (package only)
   * @param version package version (package only)
   * @param wheel the app's wheel file name (package only)
   * @param sizeBytes installed size (package only)
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record App(
      String kind,
      String root,
      List<String> files,
      String exported,
      String name,
      String version,
      String wheel,
      Long sizeBytes) {
    public App {
      files = files == null ? List.of() : List.copyOf(files);
    }

    /** Whether the app is a Python package installed into the venv. */
    public boolean isPackage() {
      return "package".equals(kind);
    }
  }
}
