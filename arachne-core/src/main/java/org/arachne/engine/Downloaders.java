package org.arachne.engine;

import org.arachne.http.Downloader;
import org.arachne.http.DownloaderConfig;
import org.arachne.http.Headers;
import org.arachne.http.HttpClient5Downloader;
import org.arachne.http.HttpProxy;
import org.arachne.politeness.HostResolver;

/** Builds the default downloader (Apache HttpClient 5, see docs/decisions) from the settings. */
final class Downloaders {
    private Downloaders() {}

    static Downloader forSettings(Settings settings, HostResolver resolver) {
        int perIp = settings.getInt("concurrent_requests_per_ip");
        int perHost = Math.max(settings.getInt("concurrent_requests_per_domain"), perIp);
        int total = settings.getInt("concurrent_requests");
        DownloaderConfig config =
                new DownloaderConfig(
                        settings.getString("user_agent"),
                        Headers.of(settings.getMap("default_request_headers")),
                        settings.getDuration("download_timeout"),
                        settings.getBytes("download_maxsize"),
                        settings.getBytes("download_warnsize"),
                        settings.getBoolean("cookies_enabled"),
                        resolver.overrides(),
                        Math.max(1, perHost),
                        Math.max(1, total),
                        DownloaderConfig.defaults().acceptEncoding(),
                        HttpProxy.parse(settings.getString("proxy")),
                        settings.getBoolean("http2_enabled"),
                        settings.getBoolean("deny_private_addresses"));
        return new HttpClient5Downloader(config);
    }
}
