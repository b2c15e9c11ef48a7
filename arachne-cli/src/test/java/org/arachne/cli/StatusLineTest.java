package org.arachne.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class StatusLineTest {
    private final ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    private final PrintWriter err =
            new PrintWriter(new OutputStreamWriter(terminal, StandardCharsets.UTF_8));
    private final StatusLine line = new StatusLine(err);

    @AfterEach
    void clear() {
        line.clear();
    }

    private String screen() {
        return terminal.toString(StandardCharsets.UTF_8);
    }

    @Test
    void show_redrawsInPlace_paddingOverALongerLine() {
        line.show("0:01.0  12 pages");
        line.show("0:02.0  9 pages");
        assertThat(screen()).isEqualTo("\r0:01.0  12 pages" + "\r0:02.0  9 pages ");
    }

    /** #9: a log line started where the progress line ended and left its tail behind. */
    @Test
    void around_clearsTheLineBeforeOtherOutput_andDrawsItAgainAfter() {
        line.show("0:01.0  12 pages");
        StatusLine.aroundShown(() -> err.print("a log line\n"));
        assertThat(screen())
                .isEqualTo(
                        "\r0:01.0  12 pages"
                                + "\r                \r"
                                + "a log line\n"
                                + "\r0:01.0  12 pages");
    }

    @Test
    void clear_leavesAnEmptyLine_andNothingToRedraw() {
        line.show("0:01.0");
        line.clear();
        StatusLine.aroundShown(() -> err.print("summary\n"));
        err.flush();
        assertThat(screen()).isEqualTo("\r0:01.0" + "\r      \r" + "summary\n");
        assertThat(StatusLine.shown()).isNull();
    }

    @Test
    void appender_writesEachLogLineOnAClearedLine() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%level %msg%n");
        encoder.start();
        StatusLineAppender<ILoggingEvent> appender = new StatusLineAppender<>();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.start();
        appender.setOutputStream(terminal); // the same device as err, as on a terminal
        line.show("0:03.0  40 pages");

        appender.doAppend(
                new LoggingEvent(
                        "test", context.getLogger("x"), Level.WARN, "slow host", null, null));

        assertThat(screen())
                .isEqualTo(
                        "\r0:03.0  40 pages"
                                + "\r                \r"
                                + "WARN slow host\n"
                                + "\r0:03.0  40 pages");
        appender.stop();
    }
}
