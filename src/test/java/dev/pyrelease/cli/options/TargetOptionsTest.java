package dev.pyrelease.cli.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyrelease.api.v1alpha1.PythonReleaseSpec;
import dev.pyrelease.engine.AssembleStep;
import dev.pyrelease.engine.BuildException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** --to, --tar and spec.image.repository as the build's output. */
class TargetOptionsTest {
  static PythonReleaseSpec spec(String repository) {
    PythonReleaseSpec spec = new PythonReleaseSpec();
    if (repository != null) {
      spec.setImage(new dev.pyrelease.api.v1alpha1.ImageSpec());
      spec.getImage().setRepository(repository);
    }
    return spec;
  }

  @Test
  void toWinsOverTheSpecAndTarNamesTheRepository() {
    AssembleStep.Output to =
        TargetOptions.output(spec("reg.example/app"), "127.0.0.1:5000/other", null);
    assertThat(((AssembleStep.Output.Registry) to).repository().repositoryName()).endsWith("other");
    AssembleStep.Output tar = TargetOptions.output(spec("reg.example/app"), null, Path.of("a.tar"));
    assertThat(tar).isInstanceOf(AssembleStep.Output.Tar.class);
    assertThat(((AssembleStep.Output.Tar) tar).file()).isAbsolute();
    assertThat(((AssembleStep.Output.Tar) tar).name().repositoryName()).endsWith("app");
  }

  @Test
  void aRepositoryIsRequiredAndNeitherTaggedNorPinned() {
    assertThatThrownBy(() -> TargetOptions.output(spec(null), null, null))
        .isInstanceOf(BuildException.class)
        .hasMessageContaining("give --to REPOSITORY or set spec.image.repository");
    assertThatThrownBy(() -> TargetOptions.output(spec(null), "reg.example/app:1", null))
        .hasMessageContaining("has a tag or digest");
    assertThatThrownBy(() -> TargetOptions.output(spec(null), "reg.example/app@sha256:ab", null))
        .hasMessageContaining("has a tag or digest");
  }
}
