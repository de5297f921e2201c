package dev.pyrelease.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** One hook: a named command. */
public class Hook {
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$")
  @JsonPropertyDescription(
      "Hook name (lowercase letters, digits and '-', at most 32), unique within the release.")
  private String name;

  @Required
  @Size(min = 1)
  @JsonPropertyDescription("The command and its arguments, e.g. [python, manage.py, migrate].")
  private List<String> command;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public List<String> getCommand() {
    return command;
  }

  public void setCommand(List<String> command) {
    this.command = command;
  }
}
