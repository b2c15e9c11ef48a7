package org.arachne.engine;

import org.arachne.http.Downloader;
import org.arachne.http.DownloaderConfig;
import org.arachne.http.Headers;
import org.arachne.http.HostResolver;
import org.arachne.http.HttpClient5Downloader;

/**
 * Builds the default downloader (Apache HttpClient 5, see docs/decisions) from the settings; it
 * resolves names through the crawl's {@link HostResolver}, as the politeness slots do.
 */
final class Downloaders {
    private Downloaders() {}

    static Downloader forSettings(Settings settings, HostResolver resolver) {
        int perIp = settings.get(Setting.CONCURRENT_REQUESTS_PER_IP);
        int perHost = Math.max(settings.get(Setting.CONCURRENT_REQUESTS_PER_DOMAIN), perIp);
        int total = settings.get(Setting.CONCURRENT_REQUESTS);
        DownloaderConfig config =
                DownloaderConfig.builder()
                        .userAgent(settings.get(Setting.USER_AGENT))
                        .defaultHeaders(Headers.of(settings.get(Setting.DEFAULT_REQUEST_HEADERS)))
                        .timeout(settings.get(Setting.DOWNLOAD_TIMEOUT))
                        .maxSize(settings.get(Setting.DOWNLOAD_MAXSIZE))
                        .warnSize(settings.get(Setting.DOWNLOAD_WARNSIZE))
                        .maxBytesInFlight(settings.get(Setting.DOWNLOAD_INFLIGHT_BYTES))
                        .cookiesEnabled(settings.get(Setting.COOKIES_ENABLED))
                        .maxConnectionsPerHost(Math.max(1, perHost))
                        .maxConnectionsTotal(Math.max(1, total))
                        .proxy(settings.get(Setting.PROXY).orElse(null))
                        .http2Enabled(settings.get(Setting.HTTP2_ENABLED))
                        .denyPrivateAddresses(settings.get(Setting.DENY_PRIVATE_ADDRESSES))
                        .build();
        return new HttpClient5Downloader(config, resolver);
    }
}
