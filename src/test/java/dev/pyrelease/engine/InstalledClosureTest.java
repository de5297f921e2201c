package dev.pyrelease.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyrelease.image.VenvManifest;
import dev.pyrelease.python.ClosureProblem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared-library part of the installed closure check, from the venv step's manifest. */
class InstalledClosureTest {
  @TempDir Path tmp;

  VenvManifest manifest(String distributions) throws Exception {
    Path f =
        Files.writeString(
            tmp.resolve("manifest.json"),
            "{\"python\": {\"version\": \"3.11.2\"}, \"venv\": \"/opt/venv\", \"distributions\": "
                + distributions
                + "}");
    return VenvManifest.read(f);
  }

  @Test
  void eachLibraryADistributionLacksIsOneProblemNamingWhoNeedsItAndTheFix() throws Exception {
    String sp = "lib/python3.11/site-packages/";
    VenvManifest m =
        manifest(
            "[{\"name\": \"numpy\", \"version\": \"2.4.1\", \"missingLibraries\": ["
                + "{\"file\": \""
                + sp
                + "numpy/_core/_multiarray_umath.so\", \"needs\": [\"libstdc++.so.6\"]},"
                + "{\"file\": \""
                + sp
                + "numpy/fft/_pocketfft_umath.so\", \"needs\": [\"libstdc++.so.6\"]}]},"
                + "{\"name\": \"opencv_python\", \"version\": \"4.12.0\", \"missingLibraries\": ["
                + "{\"file\": \""
                + sp
                + "cv2/cv2.abi3.so\", \"needs\": [\"libGL.so.1\", \"libgthread-2.0.so.0\"]}]},"
                + "{\"name\": \"sqlparse\", \"version\": \"0.6.0\"}]");
    List<ClosureProblem> problems = InstalledClosure.sharedLibraries(m);
    assertThat(problems)
        .extracting(ClosureProblem::kind)
        .containsOnly(ClosureProblem.Kind.SHARED_LIBRARY);
    assertThat(problems)
        .extracting(ClosureProblem::distribution)
        .containsExactly("numpy", "opencv-python", "opencv-python");
    assertThat(problems.get(0).message())
        .isEqualTo(
            "numpy 2.4.1: "
                + sp
                + "numpy/_core/_multiarray_umath.so (and 1 more) needs the shared library"
                + " libstdc++.so.6, which neither the base image nor the venv has, so importing it"
                + " fails; use a base image that has it (install the system package that provides"
                + " libstdc++.so.6), or, if nothing imports it, set"
                + " spec.requirements.closureCheck: false");
    assertThat(problems.get(1).message())
        .contains("cv2/cv2.abi3.so needs the shared library libGL.so.1,");
    assertThat(problems.get(2).message()).contains("libgthread-2.0.so.0");
  }

  @Test
  void aManifestWithoutMarksHasNoSharedLibraryProblems() throws Exception {
    assertThat(
            InstalledClosure.sharedLibraries(
                manifest("[{\"name\": \"numpy\", \"version\": \"2.4.1\"}]")))
        .isEmpty();
  }
}
