package dev.pyrelease.status;

/**
 * One condition as a stage reports it: status True/False/Unknown, a CamelCase reason and a message.
 * {@link StatusBuilder} turns it into a metav1 Condition with times and generation.
 */
public record Cond(String status, String reason, String message) {
  public static Cond isTrue(String reason, String message) {
    return new Cond("True", reason, message);
  }

  public static Cond isFalse(String reason, String message) {
    return new Cond("False", reason, message);
  }

  public static Cond unknown(String reason, String message) {
    return new Cond("Unknown", reason, message);
  }
}
