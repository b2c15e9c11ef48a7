package org.arachne.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.cookie.CookieStore;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.CancellableDependency;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;
import org.apache.hc.core5.http.message.BasicClassicHttpResponse;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.nio.entity.BasicAsyncEntityProducer;
import org.apache.hc.core5.http.nio.ssl.TlsStrategy;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.apache.hc.core5.http.nio.support.classic.SharedInputBuffer;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;

/**
 * The https half of {@link HttpClient5Downloader} when HTTP/2 is enabled: HttpClient 5's async
 * client, which offers {@code h2} and {@code http/1.1} through ALPN and speaks what the server
 * picks, seen through HttpClient's classic API so that the downloader reads, caps, decodes and
 * times out its bodies exactly as on the classic client. Concurrent requests to one HTTP/2 origin
 * share its connection (message multiplexing).
 *
 * <p>Started on first use, so a crawl of plain http sites never starts its I/O threads. Shares the
 * downloader's DNS resolver, TLS strategy, cookie store and limits. Thread-safe.
 */
final class AlpnClient implements AutoCloseable {
    private final DownloaderConfig config;
    private final DnsResolver dns;
    private final TlsStrategy tls;
    private final @Nullable CookieStore cookies;

    private volatile @Nullable CloseableHttpClient client;
    private @Nullable CloseableHttpAsyncClient async;
    private boolean closed;

    AlpnClient(
            DownloaderConfig config,
            DnsResolver dns,
            TlsStrategy tls,
            @Nullable CookieStore cookies) {
        this.config = config;
        this.dns = dns;
        this.tls = tls;
        this.cookies = cookies;
    }

    /**
     * The client, started on the first call.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    CloseableHttpClient client() {
        CloseableHttpClient result = client;
        if (result == null) {
            synchronized (this) {
                result = client;
                if (result == null) {
                    if (closed) {
                        throw new IllegalStateException("the downloader is closed");
                    }
                    CloseableHttpAsyncClient started = build();
                    started.start();
                    async = started;
                    result = new ClassicOverAsync(started);
                    client = result;
                }
            }
        }
        return result;
    }

    private CloseableHttpAsyncClient build() {
        Timeout timeout = Timeout.of(config.timeout());
        HttpAsyncClientBuilder builder =
                HttpAsyncClients.custom()
                        .setConnectionManager(
                                PoolingAsyncClientConnectionManagerBuilder.create()
                                        .setMaxConnTotal(config.maxConnectionsTotal())
                                        .setMaxConnPerRoute(config.maxConnectionsPerHost())
                                        .setDnsResolver(dns)
                                        .setTlsStrategy(tls)
                                        .setDefaultTlsConfig(
                                                TlsConfig.custom()
                                                        .setVersionPolicy(
                                                                HttpVersionPolicy.NEGOTIATE)
                                                        .setHandshakeTimeout(timeout)
                                                        .build())
                                        .setDefaultConnectionConfig(
                                                ConnectionConfig.custom()
                                                        .setConnectTimeout(timeout)
                                                        .setSocketTimeout(timeout)
                                                        .build())
                                        .setMessageMultiplexing(true)
                                        .build())
                        .setHttp1Config(ResponseHeadParser.LIMITS)
                        .setDefaultRequestConfig(HttpClient5Downloader.requestConfig(timeout))
                        .disableRedirectHandling()
                        .disableContentCompression()
                        .disableAutomaticRetries()
                        .setUserAgent(config.userAgent());
        if (cookies != null) {
            builder.setDefaultCookieStore(cookies);
        } else {
            builder.disableCookieManagement();
        }
        return builder.build();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (async != null) {
            async.close(CloseMode.GRACEFUL);
        }
    }

    /**
     * HttpClient's classic API over the async client, like httpclient5's {@code
     * ClassicToAsyncAdaptor} but with a body stream that fails as soon as the exchange fails or is
     * cancelled (the adaptor's waits for its read timeout first, twice: once to read and once to
     * drain on close), so the downloader's deadline holds on HTTP/2 too.
     */
    private static final class ClassicOverAsync extends CloseableHttpClient {
        private final CloseableHttpAsyncClient async;

        ClassicOverAsync(CloseableHttpAsyncClient async) {
            this.async = async;
        }

        @Override
        protected CloseableHttpResponse doExecute(
                @Nullable HttpHost target,
                ClassicHttpRequest request,
                @Nullable HttpContext context)
                throws IOException {
            HttpEntity entity = request.getEntity();
            AsyncEntityProducer body =
                    entity == null
                            ? null
                            : new BasicAsyncEntityProducer(
                                    EntityUtils.toByteArray(entity),
                                    ContentType.parseLenient(entity.getContentType()));
            StreamingConsumer consumer = new StreamingConsumer();
            Future<Void> exchange =
                    async.execute(
                            target,
                            new BasicRequestProducer(request, body),
                            consumer,
                            null,
                            context,
                            consumer.whenDone());
            if (request instanceof CancellableDependency cancellable) {
                cancellable.setDependency(
                        () -> {
                            consumer.abort(new InterruptedIOException("request cancelled"));
                            return exchange.cancel(true);
                        });
            }
            return CloseableHttpResponse.adapt(consumer.head());
        }

        @Override
        public void close(CloseMode mode) {
            async.close(mode);
        }

        @Override
        public void close() {
            async.close(CloseMode.GRACEFUL);
        }
    }

    /**
     * Hands the response head to the waiting thread as soon as it arrives and streams the body to
     * it through a bounded buffer (flow control follows the reader). A failure or cancellation
     * wakes the reader at once with its cause.
     */
    private static final class StreamingConsumer implements AsyncResponseConsumer<Void> {
        private static final int BUFFER = 64 * 1024;

        private final CompletableFuture<ClassicHttpResponse> head = new CompletableFuture<>();
        private final SharedInputBuffer buffer = new SharedInputBuffer(BUFFER);
        private volatile @Nullable IOException failure;
        private volatile @Nullable FutureCallback<Void> result;

        ClassicHttpResponse head() throws IOException {
            try {
                return head.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchangeFailed(e);
                throw new InterruptedIOException("interrupted waiting for the response");
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
        }

        /** Wakes the waiting thread however the exchange ends, in case no consumer event does. */
        FutureCallback<Void> whenDone() {
            return new FutureCallback<>() {
                @Override
                public void completed(Void nothing) {}

                @Override
                public void failed(Exception cause) {
                    exchangeFailed(cause);
                }

                @Override
                public void cancelled() {
                    abort(new InterruptedIOException("request cancelled"));
                }
            };
        }

        void abort(IOException cause) {
            if (failure == null) {
                failure = cause;
            }
            head.completeExceptionally(cause);
            buffer.abort();
        }

        private void exchangeFailed(Exception cause) {
            abort(cause instanceof IOException io ? io : new IOException(cause));
        }

        @Override
        public void consumeResponse(
                HttpResponse response,
                @Nullable EntityDetails entityDetails,
                HttpContext context,
                FutureCallback<Void> resultCallback) {
            BasicClassicHttpResponse classic =
                    new BasicClassicHttpResponse(response.getCode(), response.getReasonPhrase());
            classic.setVersion(response.getVersion());
            classic.setHeaders(response.getHeaders());
            if (entityDetails == null) {
                resultCallback.completed(null);
            } else {
                result = resultCallback;
                classic.setEntity(new InputStreamEntity(new BodyStream(), -1, null));
            }
            head.complete(classic);
        }

        @Override
        public void informationResponse(HttpResponse response, HttpContext context) {}

        @Override
        public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
            buffer.updateCapacity(capacityChannel);
        }

        @Override
        public void consume(ByteBuffer src) {
            buffer.fill(src);
        }

        @Override
        public void streamEnd(@Nullable List<? extends Header> trailers) {
            buffer.markEndStream();
            FutureCallback<Void> callback = result;
            if (callback != null) {
                callback.completed(null);
            }
        }

        @Override
        public void failed(Exception cause) {
            exchangeFailed(cause);
        }

        @Override
        public void releaseResources() {
            // the buffer may still hold the end of the body for the reader: it stays as it is
        }

        /** The body: the buffer's bytes, then the exchange's failure if it failed. */
        private final class BodyStream extends InputStream {
            @Override
            public int read() throws IOException {
                try {
                    return buffer.read();
                } catch (InterruptedIOException e) {
                    throw failureOr(e);
                }
            }

            @Override
            public int read(byte[] bytes, int offset, int length) throws IOException {
                try {
                    return buffer.read(bytes, offset, length);
                } catch (InterruptedIOException e) {
                    throw failureOr(e);
                }
            }

            private IOException failureOr(IOException e) {
                IOException cause = failure;
                return cause != null ? cause : e;
            }

            @Override
            public void close() {
                // never drain what is left: the caller cancels the exchange instead
                buffer.abort();
            }
        }
    }
}
