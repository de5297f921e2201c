package dev.pyrelease.python;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A target's wheel-tag preferences, computed once: ranking many wheel files against {@link
 * TargetPython#supportedTags()} (about a thousand tags) is what makes checking an index fast or
 * slow.
 */
public final class TagPriority {
  private final Map<WheelTag, Integer> rank;

  private TagPriority(Map<WheelTag, Integer> rank) {
    this.rank = rank;
  }

  public static TagPriority of(TargetPython target) {
    List<WheelTag> supported = target.supportedTags();
    Map<WheelTag, Integer> rank = new HashMap<>(supported.size() * 2);
    for (int i = 0; i < supported.size(); i++) {
      rank.putIfAbsent(supported.get(i), i);
    }
    return new TagPriority(Map.copyOf(rank));
  }

  /**
   * The position of the wheel's best tag in the target's preference order (lower is better), or -1
   * when pip on the target would not install it.
   */
  public int rank(WheelFilename wheel) {
    int best = -1;
    for (WheelTag tag : wheel.tags()) {
      Integer r = rank.get(tag);
      if (r != null && (best < 0 || r < best)) {
        best = r;
      }
    }
    return best;
  }
}
