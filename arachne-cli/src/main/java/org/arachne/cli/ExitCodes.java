package org.arachne.cli;

/**
 * The exit codes of the {@code arachne} command: interface, so scripts and CI can tell a bad spider
 * file from a crawl that went wrong. Never change a value once released.
 *
 * <table>
 *   <caption>Exit codes</caption>
 *   <tr><th>code</th><th>meaning</th></tr>
 *   <tr><td>0</td><td>finished: nothing was left to crawl, or a close condition ended it; a Redis
 *       worker also when {@code arachne stop} stopped its crawl</td></tr>
 *   <tr><td>1</td><td>internal error: a bug in Arachne (a stack trace is printed)</td></tr>
 *   <tr><td>2</td><td>usage error: unknown option, missing argument</td></tr>
 *   <tr><td>3</td><td>config error: bad YAML spider, unknown setting, bad value, unreadable or
 *       unwritable file, bad {@code --class}; a job dir that cannot be used as it is (another
 *       spider's, a damaged, foreign or newer {@code frontier.db}), left untouched</td></tr>
 *   <tr><td>4</td><td>the crawl was aborted or could not start; fetch, parse or shell got no
 *       response; shell: the runtime has no {@code jdk.jshell}</td></tr>
 *   <tr><td>5</td><td>finished with errors and {@code --fail-on-error} was given; for demo, the
 *       output does not match the sandbox manifest; parse: a callback failed; shell without a
 *       terminal: a snippet failed</td></tr>
 *   <tr><td>6</td><td>an output or the job dir could not be written (a full disk, a file-size
 *       limit, an I/O error): the crawl stopped; the file ends on its last whole record, and a job
 *       dir's next run goes on from its last commit</td></tr>
 *   <tr><td>7</td><td>the crawl fetched no page: every request failed (the server cannot be
 *       reached, its robots.txt is unavailable); one line says why</td></tr>
 *   <tr><td>8</td><td>the job dir is in use by another process, or (Redis) the worker name or the
 *       crawl's item stream is held by another process: nothing was done</td></tr>
 *   <tr><td>9</td><td>{@code check --contracts}: a contract of the spider failed (each failure is
 *       printed with what differed)</td></tr>
 *   <tr><td>130</td><td>stopped by Ctrl-C, SIGTERM or SIGHUP (the first stops gracefully, the
 *       second aborts)</td></tr>
 * </table>
 */
public final class ExitCodes {
    /** Finished, also when closed by a close condition. */
    public static final int OK = 0;

    /** An unexpected failure: a bug. */
    public static final int INTERNAL = 1;

    /** Bad command line (picocli's usage error). */
    public static final int USAGE = 2;

    /** Bad spider file, setting, value, file or spider class. */
    public static final int CONFIG = 3;

    /** Crawl aborted or could not start; fetch got no response. */
    public static final int ABORTED = 4;

    /** Finished with errors and {@code --fail-on-error}; demo output differs from the manifest. */
    public static final int FAILED = 5;

    /** An output or the job dir could not be written; the crawl stopped. */
    public static final int OUTPUT_FAILED = 6;

    /** The crawl finished without a single page: every request failed. */
    public static final int NO_PAGE = 7;

    /**
     * The job dir is in use by another process, or a Redis worker's name or a crawl's item stream
     * is held by another; nothing was done.
     */
    public static final int JOB_DIR_IN_USE = 8;

    /** {@code check --contracts}: at least one contract failed. */
    public static final int CONTRACT_FAILED = 9;

    /** Stopped by Ctrl-C, SIGTERM or SIGHUP (128 + SIGINT, as shells report it). */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {}
}
