package org.arachne.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.client5.http.HttpRequestRetryStrategy;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.CancellableDependency;
import org.apache.hc.core5.function.Resolver;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.EndpointDetails;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.TimeValue;
import org.arachne.internal.ControlChars;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pooled HTTP/1.1 connections that the server closed while they waited in the pool (#9). A server
 * may close a kept-alive connection after any response, with or without {@code Connection: close},
 * or once it was idle for its keep-alive timeout; the client learns it only when it sends its next
 * request there. As browsers do (Chromium sends a request again when it failed on a reused
 * connection before any response header arrived, {@code
 * HttpNetworkTransaction::ShouldResendRequest}), such a request is sent again at once on another
 * connection, without spending a retry of the crawl or waiting a backoff: this is HttpClient's
 * retry strategy, for that case only. The request's method is idempotent, its connection had
 * carried a response before, and it failed with no response ({@link NoHttpResponseException}), a
 * reset, a broken pipe, a closed connection, or bytes an earlier response left on the connection
 * ({@link ResponseHeadParser.LeftOnTheConnection}) before the response head was complete
 * (HttpClient asks only then: a body is read after the exchange returned). Connection failures are
 * not resent: they happen on new connections.
 *
 * <p>Detection before reuse: the pool checks a connection that was idle for {@link
 * #VALIDATE_AFTER_INACTIVITY} or more before lending it out (a read that waits at most 1 ms), and
 * every connection of a route that once had a closed connection, from then on (at most {@value
 * #ROUTES_REMEMBERED} routes are remembered). A connection in steady use is never checked.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
final class StaleConnections implements HttpRequestRetryStrategy {
    private static final Logger LOG = LoggerFactory.getLogger(StaleConnections.class);

    /**
     * A pooled connection idle this long is checked before reuse: well below the shortest
     * keep-alive timeouts of common servers (5 s in Apache httpd and Node.js) and HttpClient's 2 s
     * default, well above the gaps between the requests of a busy connection.
     */
    static final TimeValue VALIDATE_AFTER_INACTIVITY = TimeValue.ofMilliseconds(500);

    static final int ROUTES_REMEMBERED = 10_000;

    /** Context attribute: the URL of the request, for the log line of a resend. */
    static final String URL_ATTRIBUTE = "arachne.url";

    private final int maxResends;
    private final Cache<HttpRoute, Boolean> closingRoutes =
            Caffeine.newBuilder().maximumSize(ROUTES_REMEMBERED).build();
    private final AtomicLong resends = new AtomicLong();

    /**
     * @param maxConnectionsPerRoute the pool's limit per route: each resend takes one dead
     *     connection out of the pool, so after this many the next one is new
     */
    StaleConnections(int maxConnectionsPerRoute) {
        this.maxResends = maxConnectionsPerRoute + 1;
    }

    /**
     * The connection settings of each route: {@code usual} with a check after {@link
     * #VALIDATE_AFTER_INACTIVITY}, or a check before every reuse for routes that had a closed
     * connection.
     */
    Resolver<HttpRoute, ConnectionConfig> connectionConfigs(ConnectionConfig usual) {
        ConnectionConfig idleChecked =
                ConnectionConfig.copy(usual)
                        .setValidateAfterInactivity(VALIDATE_AFTER_INACTIVITY)
                        .build();
        ConnectionConfig alwaysChecked =
                ConnectionConfig.copy(usual)
                        .setValidateAfterInactivity(TimeValue.ZERO_MILLISECONDS)
                        .build();
        return route -> closingRoutes.getIfPresent(route) != null ? alwaysChecked : idleChecked;
    }

    /** How many requests were sent again because their connection had been closed. */
    long resends() {
        return resends.get();
    }

    @Override
    public boolean retryRequest(
            HttpRequest request, IOException exception, int execCount, HttpContext context) {
        if (execCount > maxResends
                || !Method.isIdempotent(request.getMethod())
                || request instanceof CancellableDependency c && c.isCancelled()
                || !closedBeforeTheResponse(exception)) {
            return false;
        }
        HttpClientContext client = HttpClientContext.cast(context);
        EndpointDetails connection = client.getEndpointDetails();
        if (connection == null || connection.getResponseCount() == 0) {
            return false; // a new connection: the server did not answer, which would repeat
        }
        if (client.getHttpRoute() instanceof HttpRoute route) {
            closingRoutes.put(route, Boolean.TRUE);
        }
        resends.incrementAndGet();
        LOG.debug(
                "sending {} again on a new connection: the server had closed the pooled one ({})",
                context.getAttribute(URL_ATTRIBUTE),
                ControlChars.escape(exception.toString()));
        return true;
    }

    private static boolean closedBeforeTheResponse(IOException e) {
        return e instanceof NoHttpResponseException
                || e instanceof ResponseHeadParser.LeftOnTheConnection
                || e instanceof ConnectionClosedException
                || e instanceof SocketException
                        && !(e instanceof ConnectException)
                        && !(e instanceof NoRouteToHostException);
    }

    /** Responses are never resent: the crawl's retry stage decides on them. */
    @Override
    public boolean retryRequest(HttpResponse response, int execCount, HttpContext context) {
        return false;
    }

    @Override
    public TimeValue getRetryInterval(HttpResponse response, int execCount, HttpContext context) {
        return TimeValue.ZERO_MILLISECONDS;
    }
}
