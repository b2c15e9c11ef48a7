package org.arachne.cli;

/**
 * An error to report to the user in one message, without a stack trace, ending the command with its
 * exit code (see {@link ExitCodes}).
 */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** A config error (exit 3). */
    static CliException config(String message) {
        return new CliException(ExitCodes.CONFIG, message);
    }

    int exitCode() {
        return exitCode;
    }
}
