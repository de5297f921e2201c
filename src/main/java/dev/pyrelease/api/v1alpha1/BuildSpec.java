package dev.pyrelease.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** What the build does besides installing the requirements. */
public class BuildSpec {
  @JsonPropertyDescription(
      "Commands run in order in the build, after the virtualenv is installed, in the app"
          + " directory as the build user, without network where the runner allows it (e.g."
          + " [python, manage.py, collectstatic, --noinput]). What they write under the app"
          + " directory becomes part of the image's app layer; a failing command fails the build."
          + " They run again on every build, app-only changes included.")
  private List<List<String>> commands;

  public List<List<String>> getCommands() {
    return commands;
  }

  public void setCommands(List<List<String>> commands) {
    this.commands = commands;
  }
}
