package dev.pyrelease.python;

import java.util.Locale;
import java.util.Objects;

/**
 * One PEP 425 compatibility tag, e.g. {@code cp311-cp311-manylinux_2_17_x86_64}. Components are
 * kept in lower case so that tags compare as pip compares them.
 */
public record WheelTag(String interpreter, String abi, String platform) {
  public WheelTag {
    interpreter = Objects.requireNonNull(interpreter, "interpreter").toLowerCase(Locale.ROOT);
    abi = Objects.requireNonNull(abi, "abi").toLowerCase(Locale.ROOT);
    platform = Objects.requireNonNull(platform, "platform").toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return interpreter + "-" + abi + "-" + platform;
  }
}
