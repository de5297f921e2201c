package dev.pyrelease.validate;

import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A CronJob schedule as Kubernetes reads it (its controller and its validation use the standard
 * parser of robfig/cron v3): five fields, minute hour day-of-month month day-of-week, each a
 * comma-separated list of {@code *}, a value, a range {@code a-b}, each with an optional step
 * {@code /n} ({@code a/n} means from a to the field's end); month names JAN-DEC and day names
 * SUN-SAT in any case; or one of the descriptors (yearly, annually, monthly, weekly, daily,
 * midnight, hourly, each after an {@code @}).
 *
 * <p>Stricter than Kubernetes where its parser is lax in ways that surprise: {@code ?} only in the
 * day fields, no empty list items, no {@code *-5}, no {@code @every} (the schema documents calendar
 * schedules and the descriptors above only). Like Kubernetes, the day of the week is 0-6: {@code 7}
 * for Sunday is refused by the API server, so it is refused here, with the hint to write 0 or SUN.
 * A {@code TZ=}/{@code CRON_TZ=} prefix is refused as the API server refuses it: the zone belongs
 * in {@code timeZone}.
 */
public final class CronSchedule {

  /** The five fields, in order, with their bounds and names. */
  public enum Field {
    MINUTE("minute", 0, 59, Map.of()),
    HOUR("hour", 0, 23, Map.of()),
    DAY_OF_MONTH("day-of-month", 1, 31, Map.of()),
    MONTH(
        "month",
        1,
        12,
        Map.ofEntries(
            Map.entry("jan", 1),
            Map.entry("feb", 2),
            Map.entry("mar", 3),
            Map.entry("apr", 4),
            Map.entry("may", 5),
            Map.entry("jun", 6),
            Map.entry("jul", 7),
            Map.entry("aug", 8),
            Map.entry("sep", 9),
            Map.entry("oct", 10),
            Map.entry("nov", 11),
            Map.entry("dec", 12))),
    DAY_OF_WEEK(
        "day-of-week",
        0,
        6,
        Map.of("sun", 0, "mon", 1, "tue", 2, "wed", 3, "thu", 4, "fri", 5, "sat", 6));

    final String label;
    final int min;
    final int max;
    final Map<String, Integer> names;

    Field(String label, int min, int max, Map<String, Integer> names) {
      this.label = label;
      this.min = min;
      this.max = max;
      this.names = names;
    }

    String range() {
      return min
          + "-"
          + max
          + switch (this) {
            case MONTH -> " or JAN-DEC";
            case DAY_OF_WEEK -> " or SUN-SAT";
            default -> "";
          };
    }
  }

  /** The descriptors Kubernetes documents, as the five fields they stand for. */
  private static final Map<String, String> DESCRIPTORS =
      Map.of(
          "@yearly", "0 0 1 1 *",
          "@annually", "0 0 1 1 *",
          "@monthly", "0 0 1 * *",
          "@weekly", "0 0 * * 0",
          "@daily", "0 0 * * *",
          "@midnight", "0 0 * * *",
          "@hourly", "0 * * * *");

  /** What the fix of any malformed expression says. */
  public static final String FORMAT =
      "use five fields, minute (0-59) hour (0-23) day-of-month (1-31) month (1-12 or JAN-DEC)"
          + " day-of-week (0-6 or SUN-SAT), e.g. '*/15 * * * *' or '30 3 * * MON-FRI', or one of"
          + " @hourly, @daily, @weekly, @monthly, @yearly";

  private final String expression;
  private final List<BitSet> values;

  private CronSchedule(String expression, List<BitSet> values) {
    this.expression = expression;
    this.values = values;
  }

  /** An expression that Kubernetes would refuse (or that we refuse, see the class comment). */
  public static final class InvalidCronException extends Exception {
    private final String fix;

    InvalidCronException(String what, String fix) {
      super(what);
      this.fix = fix;
    }

    /** How to fix it. */
    public String fix() {
      return fix;
    }
  }

  public static CronSchedule parse(String expression) throws InvalidCronException {
    if (expression == null || expression.isBlank()) {
      throw invalid("it is empty");
    }
    String e = expression.strip();
    if (e.startsWith("TZ=") || e.startsWith("CRON_TZ=")) {
      String[] parts = e.split("\\s+", 2);
      String zone = parts[0].substring(parts[0].indexOf('=') + 1);
      String rest = parts.length > 1 ? parts[1] : "";
      throw new InvalidCronException(
          "a time zone prefix ("
              + parts[0].substring(0, parts[0].indexOf('=') + 1)
              + ") is not allowed",
          "Kubernetes refuses a zone in the schedule: set timeZone: "
              + zone
              + (rest.isEmpty() ? "" : " and schedule: '" + rest + "'"));
    }
    if (e.startsWith("@")) {
      String fields = DESCRIPTORS.get(e);
      if (fields == null) {
        if (e.startsWith("@every")) {
          throw invalid(
              "'@every' is not accepted: a schedule runs at calendar times (e.g. every hour is"
                  + " '0 * * * *' or @hourly)");
        }
        throw invalid("'" + e + "' is not a known descriptor");
      }
      e = fields;
    }
    String[] fields = e.split("\\s+");
    if (fields.length != 5) {
      throw invalid(
          "has "
              + fields.length
              + " field"
              + (fields.length == 1 ? "" : "s")
              + ", not 5"
              + (fields.length == 6 ? " (there is no seconds field)" : ""));
    }
    Field[] kinds = Field.values();
    List<BitSet> values = new java.util.ArrayList<>(5);
    for (int i = 0; i < 5; i++) {
      values.add(field(fields[i], kinds[i]));
    }
    return new CronSchedule(expression, List.copyOf(values));
  }

  /** The values one field allows (for a {@code *} all of them). */
  public BitSet values(Field field) {
    return (BitSet) values.get(field.ordinal()).clone();
  }

  public String expression() {
    return expression;
  }

  @Override
  public String toString() {
    return expression;
  }

  private static BitSet field(String text, Field f) throws InvalidCronException {
    BitSet bits = new BitSet(f.max + 1);
    for (String item : text.split(",", -1)) {
      if (item.isEmpty()) {
        throw invalid(f.label + " field '" + text + "' has an empty list item");
      }
      range(item, f, bits);
    }
    return bits;
  }

  private static void range(String item, Field f, BitSet bits) throws InvalidCronException {
    String[] rangeAndStep = item.split("/", -1);
    if (rangeAndStep.length > 2) {
      throw invalid(f.label + " field '" + item + "' has more than one '/'");
    }
    String range = rangeAndStep[0];
    int start;
    int end;
    if (range.equals("*") || range.equals("?")) {
      if (range.equals("?") && f != Field.DAY_OF_MONTH && f != Field.DAY_OF_WEEK) {
        throw invalid(
            f.label + " field '" + item + "': '?' is only allowed in day-of-month and day-of-week");
      }
      start = f.min;
      end = f.max;
    } else if (range.contains("*") || range.contains("?")) {
      throw invalid(
          f.label
              + " field '"
              + item
              + "': '"
              + (range.contains("*") ? "*" : "?")
              + "' stands alone or with a step, as in '*/5'");
    } else {
      String[] lowAndHigh = range.split("-", -1);
      if (lowAndHigh.length > 2) {
        throw invalid(f.label + " field '" + item + "' has more than one '-'");
      }
      start = value(lowAndHigh[0], item, f);
      end = lowAndHigh.length == 2 ? value(lowAndHigh[1], item, f) : start;
      if (lowAndHigh.length == 1 && rangeAndStep.length == 2) {
        end = f.max; // robfig: "N/step" means "N-max/step"
      }
      if (start > end) {
        throw invalid(
            f.label + " field '" + item + "' is a range that starts after it ends",
            "write the range from low to high, e.g. '" + end + "-" + start + "' or a list");
      }
    }
    int step = 1;
    if (rangeAndStep.length == 2) {
      String s = rangeAndStep[1];
      if (!isDigits(s) || s.length() > 9 || Integer.parseInt(s) == 0) {
        throw invalid(
            f.label + " field '" + item + "': the step '" + s + "' is not a positive number");
      }
      step = Integer.parseInt(s);
    }
    for (int v = start; v <= end; v += step) {
      bits.set(v);
    }
  }

  private static int value(String text, String item, Field f) throws InvalidCronException {
    Integer named = f.names.get(text.toLowerCase(Locale.ROOT));
    if (named != null) {
      return named;
    }
    if (!isDigits(text)) {
      String what =
          text.isEmpty()
              ? f.label + " field '" + item + "' has a '-' without a number on each side"
              : f.label
                  + " field '"
                  + text
                  + "' is not a number"
                  + (f.names.isEmpty()
                      ? ""
                      : " or a " + (f == Field.MONTH ? "month" : "day") + " name")
                  + " (allowed: "
                  + f.range()
                  + ")";
      throw invalid(what);
    }
    int v = text.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(text);
    if (v < f.min || v > f.max) {
      String hint =
          f == Field.DAY_OF_WEEK && v == 7
              ? " (Kubernetes does not take 7 for Sunday: write 0 or SUN)"
              : "";
      throw invalid(
          f.label + " field '" + text + "' is out of range " + f.min + "-" + f.max + hint);
    }
    return v;
  }

  private static boolean isDigits(String s) {
    return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  private static InvalidCronException invalid(String what) {
    return new InvalidCronException(what, FORMAT);
  }

  private static InvalidCronException invalid(String what, String fix) {
    return new InvalidCronException(what, fix);
  }
}
