package dev.pyrelease;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * Logging set up in code, found by logback through {@code META-INF/services}: one line per event on
 * stderr (stdout is the CLI's output), key=value-friendly:
 *
 * <pre>2026-11-21T06:45:49.123Z INFO  Events release=web/shop revision=8: Normal TrafficSwitched
 * </pre>
 *
 * <p>{@code release=} comes from JOSDK's MDC (set around every reconcile), {@code revision=} from
 * the reconciler's stages; both are left out where unknown. Why not logback.xml: parsing it costs
 * about half a second at every start, and the CLI starts often.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {
  static final String PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSS'Z',UTC} %-5level %logger{0}"
          + "%replace( release=%X{resource.namespace}/%X{resource.name}){' release=/$', ''}"
          + "%replace( revision=%X{revision}){' revision=$', ''}: %msg%n";

  static final String JOSDK_EVENT_PROCESSOR =
      "io.javaoperatorsdk.operator.processing.event.EventProcessor";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(stderr);
    // JOSDK logs every failed reconcile with its stack trace at WARN; the reconciler logs each
    // failure itself, as one line (a trace only for what no one expected), and puts it on status
    context.getLogger(JOSDK_EVENT_PROCESSOR).setLevel(Level.ERROR);
    // the ssh client's chatter (security providers, host-bound keys) and its per-session warnings
    // ("Server key did not validate"): a failed git operation is reported by its caller, with the
    // host and key, on the status or stderr
    context.getLogger("org.apache.sshd").setLevel(Level.ERROR);
    context.getLogger("org.eclipse.jgit.internal.transport.sshd").setLevel(Level.ERROR);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** Applies a level name such as DEBUG or WARN; unknown names leave INFO. */
  static void setLevel(String level) {
    if (level != null
        && org.slf4j.LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(level, Level.INFO));
    }
  }
}
