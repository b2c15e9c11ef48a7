package org.arachne.cli;

import ch.qos.logback.core.ConsoleAppender;

/**
 * Logback's console appender that clears the progress line on a terminal before each log line and
 * draws it again after ({@link StatusLine}), so that log lines and the progress line do not mix
 * (#9). Named in {@code logback.xml}; without a progress line it is a plain console appender.
 */
public class StatusLineAppender<E> extends ConsoleAppender<E> {
    @Override
    protected void subAppend(E event) {
        StatusLine.aroundShown(() -> super.subAppend(event));
    }
}
