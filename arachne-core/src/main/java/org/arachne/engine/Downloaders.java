package org.arachne.engine;

import org.arachne.http.Downloader;
import org.arachne.http.DownloaderConfig;
import org.arachne.http.Headers;
import org.arachne.http.HostResolver;
import org.arachne.http.HttpClient5Downloader;
import org.arachne.http.HttpProxy;

/**
 * Builds the default downloader (Apache HttpClient 5, see docs/decisions) from the settings; it
 * resolves names through the crawl's {@link HostResolver}, as the politeness slots do.
 */
final class Downloaders {
    private Downloaders() {}

    static Downloader forSettings(Settings settings, HostResolver resolver) {
        int perIp = settings.getInt("concurrent_requests_per_ip");
        int perHost = Math.max(settings.getInt("concurrent_requests_per_domain"), perIp);
        int total = settings.getInt("concurrent_requests");
        DownloaderConfig config =
                DownloaderConfig.builder()
                        .userAgent(settings.getString("user_agent"))
                        .defaultHeaders(Headers.of(settings.getMap("default_request_headers")))
                        .timeout(settings.getDuration("download_timeout"))
                        .maxSize(settings.getBytes("download_maxsize"))
                        .warnSize(settings.getBytes("download_warnsize"))
                        .cookiesEnabled(settings.getBoolean("cookies_enabled"))
                        .maxConnectionsPerHost(Math.max(1, perHost))
                        .maxConnectionsTotal(Math.max(1, total))
                        .proxy(HttpProxy.parse(settings.getString("proxy")))
                        .http2Enabled(settings.getBoolean("http2_enabled"))
                        .denyPrivateAddresses(settings.getBoolean("deny_private_addresses"))
                        .build();
        return new HttpClient5Downloader(config, resolver);
    }
}
