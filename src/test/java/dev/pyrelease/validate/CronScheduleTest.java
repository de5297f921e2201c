package dev.pyrelease.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pyrelease.validate.CronSchedule.Field;
import java.util.BitSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CronScheduleTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "* * * * *",
        "*/15 * * * *",
        "0 3 * * *",
        "1-30/5 * * * *",
        "5/15 * * * *",
        "0,15,30,45 0-6,18-23 * * *",
        "0 0 1 1 *",
        "59 23 31 12 6",
        "0 0 ? * MON-FRI",
        "0 0 1 * ?",
        "0 9 * jan,Jul sun",
        "0 9 * JAN-DEC/3 SUN-SAT",
        "0 9 * * Mon,wed,FRI",
        "  0   3 *\t* *  ",
        "@yearly",
        "@annually",
        "@monthly",
        "@weekly",
        "@daily",
        "@midnight",
        "@hourly"
      })
  void acceptsWhatKubernetesAccepts(String expression) throws Exception {
    assertThat(CronSchedule.parse(expression).expression()).isEqualTo(expression);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          61 * * * *          | minute field '61' is out of range 0-59
          * 24 * * *          | hour field '24' is out of range 0-23
          * * 0 * *           | day-of-month field '0' is out of range 1-31
          * * 32 * *          | day-of-month field '32' is out of range 1-31
          * * * 13 *          | month field '13' is out of range 1-12
          * * * 0 *           | month field '0' is out of range 1-12
          0 0 * * 7           | day-of-week field '7' is out of range 0-6 (Kubernetes does not take 7 for Sunday: write 0 or SUN)
          50-61 * * * *       | minute field '61' is out of range 0-59
          * * * * 1-8         | day-of-week field '8' is out of range 0-6
          * * * * *  *        | has 6 fields, not 5 (there is no seconds field)
          * * * *             | has 4 fields, not 5
          daily               | has 1 field, not 5
          @every 1h           | '@every' is not accepted: a schedule runs at calendar times (e.g. every hour is '0 * * * *' or @hourly)
          @fortnightly        | '@fortnightly' is not a known descriptor
          @Daily              | '@Daily' is not a known descriptor
          x * * * *           | minute field 'x' is not a number (allowed: 0-59)
          * * * foo *         | month field 'foo' is not a number or a month name (allowed: 1-12 or JAN-DEC)
          * * * * monday      | day-of-week field 'monday' is not a number or a day name (allowed: 0-6 or SUN-SAT)
          -5 * * * *          | minute field '-5' has a '-' without a number on each side
          1- * * * *          | minute field '1-' has a '-' without a number on each side
          1-2-3 * * * *       | minute field '1-2-3' has more than one '-'
          30-10 * * * *       | minute field '30-10' is a range that starts after it ends
          */0 * * * *         | minute field '*/0': the step '0' is not a positive number
          */x * * * *         | minute field '*/x': the step 'x' is not a positive number
          */ * * * *          | minute field '*/': the step '' is not a positive number
          1/2/3 * * * *       | minute field '1/2/3' has more than one '/'
          "1,,2 * * * *"      | minute field '1,,2' has an empty list item
          "1, * * * *"        | minute field '1,' has an empty list item
          ? * * * *           | minute field '?': '?' is only allowed in day-of-month and day-of-week
          *-5 * * * *         | minute field '*-5': '*' stands alone or with a step, as in '*/5'
          1-? * * 1 *         | minute field '1-?': '?' stands alone or with a step, as in '*/5'
          1.5 * * * *         | minute field '1.5' is not a number (allowed: 0-59)
          99999999999 * * * * | minute field '99999999999' is out of range 0-59
          """)
  void refusesWithTheFieldAndItsRange(String expression, String why) {
    CronSchedule.InvalidCronException e =
        catchThrowableOfType(
            () -> CronSchedule.parse(expression), CronSchedule.InvalidCronException.class);
    assertThat(e).as(expression).isNotNull();
    assertThat(e.getMessage()).isEqualTo(why);
    assertThat(e.fix()).isNotBlank();
  }

  @Test
  void aTimeZonePrefixIsRefusedPointingAtTimeZone() {
    CronSchedule.InvalidCronException e =
        catchThrowableOfType(
            () -> CronSchedule.parse("CRON_TZ=Europe/Berlin 0 3 * * *"),
            CronSchedule.InvalidCronException.class);
    assertThat(e.getMessage()).isEqualTo("a time zone prefix (CRON_TZ=) is not allowed");
    assertThat(e.fix())
        .isEqualTo(
            "Kubernetes refuses a zone in the schedule: set timeZone: Europe/Berlin and schedule:"
                + " '0 3 * * *'");
    assertThat(
            catchThrowableOfType(
                    () -> CronSchedule.parse("TZ=UTC @daily"),
                    CronSchedule.InvalidCronException.class)
                .getMessage())
        .isEqualTo("a time zone prefix (TZ=) is not allowed");
  }

  @Test
  void anEmptyExpressionIsRefused() {
    assertThat(
            catchThrowableOfType(
                () -> CronSchedule.parse(" "), CronSchedule.InvalidCronException.class))
        .hasMessage("it is empty");
  }

  @Test
  void expandsListsRangesStepsAndNames() throws Exception {
    CronSchedule c = CronSchedule.parse("*/15 1-10/3,22 ? jan,MAR-may/2 SUN,fri-sat");
    assertThat(c.values(Field.MINUTE)).isEqualTo(bits(0, 15, 30, 45));
    assertThat(c.values(Field.HOUR)).isEqualTo(bits(1, 4, 7, 10, 22));
    assertThat(c.values(Field.DAY_OF_MONTH)).isEqualTo(bits(IntStream.rangeClosed(1, 31)));
    assertThat(c.values(Field.MONTH)).isEqualTo(bits(1, 3, 5));
    assertThat(c.values(Field.DAY_OF_WEEK)).isEqualTo(bits(0, 5, 6));
    // "N/step" runs from N to the field's end, as in Kubernetes' parser
    assertThat(CronSchedule.parse("50/4 * * * *").values(Field.MINUTE)).isEqualTo(bits(50, 54, 58));
  }

  @Test
  void descriptorsAreTheirFiveFields() throws Exception {
    CronSchedule weekly = CronSchedule.parse("@weekly");
    assertThat(weekly.values(Field.MINUTE)).isEqualTo(bits(0));
    assertThat(weekly.values(Field.HOUR)).isEqualTo(bits(0));
    assertThat(weekly.values(Field.DAY_OF_WEEK)).isEqualTo(bits(0));
    CronSchedule hourly = CronSchedule.parse("@hourly");
    assertThat(hourly.values(Field.HOUR)).isEqualTo(bits(IntStream.rangeClosed(0, 23)));
    assertThat(CronSchedule.parse("@yearly").values(Field.MONTH)).isEqualTo(bits(1));
  }

  private static BitSet bits(int... values) {
    return bits(IntStream.of(values));
  }

  private static BitSet bits(IntStream values) {
    BitSet b = new BitSet();
    values.forEach(b::set);
    return b;
  }
}
