package org.arachne.http;

import java.util.Locale;
import org.arachne.internal.ControlChars;
import org.arachne.url.Urls;

/**
 * A download that produced no usable response; {@link #kind()} says why, for stats and retry. The
 * message is safe to log: control characters a server put into it (terminal escapes in a bad chunk
 * header) are escaped, as {@code \u001b}.
 */
public final class DownloadException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why a download failed. Retryable kinds are retried by the retry stage. */
    public enum Kind {
        /** No response within {@code download_timeout}. */
        TIMEOUT(true),
        /** The connection could not be made (refused, unreachable). */
        CONNECT(true),
        /** The connection broke while sending or receiving. */
        CONNECTION_RESET(true),
        /** The host name did not resolve. */
        DNS(true),
        /** The body (after decompression) is larger than {@code download_maxsize}. */
        TOO_LARGE(false),
        /** The body could not be decompressed (broken gzip or deflate). */
        BAD_ENCODING(false),
        /**
         * The server broke the HTTP protocol: no valid status line (an HTTP/0.9 reply), a head over
         * the limits, a bad chunk header, an HTTP/2 protocol error. It would do it again: not
         * retried.
         */
        PROTOCOL(false),
        /** Refused by policy before sending (for example a private address). */
        REFUSED(false),
        /** Anything else. */
        OTHER(true);

        private final boolean retryable;

        Kind(boolean retryable) {
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }

        /** The name used in stats keys, e.g. {@code connection_reset}. */
        public String statName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Kind kind;
    private final String url;

    public DownloadException(Kind kind, String url, String message, Throwable cause) {
        super(ControlChars.escape(message), cause);
        this.kind = kind;
        this.url = url;
    }

    public DownloadException(Kind kind, String url, String message) {
        super(ControlChars.escape(message));
        this.kind = kind;
        this.url = url;
    }

    public Kind kind() {
        return kind;
    }

    public String url() {
        return url;
    }

    @Override
    public String getMessage() {
        return Urls.redacted(kind.statName() + ": " + super.getMessage() + " (" + url + ")");
    }
}
