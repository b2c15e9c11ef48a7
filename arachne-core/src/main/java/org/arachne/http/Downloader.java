package org.arachne.http;

/**
 * Makes one HTTP exchange: sends a request and returns the response with its body read,
 * decompressed and capped. Redirects are not followed here (the engine turns them into new requests
 * so that politeness and deduplication apply to them); cookies are kept per downloader.
 *
 * <p>Calls block the calling thread; the engine calls from one virtual thread per request.
 * Implementations are thread-safe and are closed once at the end of the crawl.
 */
public interface Downloader extends AutoCloseable {

    /**
     * Downloads the request.
     *
     * @return the response, whatever its status code
     * @throws DownloadException when no complete response was received (timeout, connection refused
     *     or reset, DNS failure, body over {@code download_maxsize}, broken encoding)
     * @throws InterruptedException when the calling thread is interrupted (the crawl is aborting)
     */
    Response fetch(Request request) throws DownloadException, InterruptedException;

    @Override
    void close();
}
