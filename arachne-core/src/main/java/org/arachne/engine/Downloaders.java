package org.arachne.engine;

import org.arachne.http.Downloader;
import org.arachne.http.DownloaderConfig;
import org.arachne.http.Headers;
import org.arachne.http.HttpClient5Downloader;
import org.arachne.politeness.HostResolver;

/** Builds the default downloader, {@link HttpClient5Downloader}, from the settings. */
final class Downloaders {
    private Downloaders() {}

    static Downloader forSettings(Settings settings, HostResolver resolver) {
        long maxSize = settings.getBytes("download_maxsize");
        int total = settings.getInt("concurrent_requests");
        int perDomain = settings.getInt("concurrent_requests_per_domain");
        DownloaderConfig defaults = DownloaderConfig.defaults();
        return new HttpClient5Downloader(
                new DownloaderConfig(
                        settings.getString("user_agent"),
                        Headers.of(settings.getMap("default_request_headers")),
                        settings.getDuration("download_timeout"),
                        maxSize,
                        Math.min(defaults.warnSize(), maxSize / 2),
                        settings.getBoolean("cookies_enabled"),
                        resolver.overrides(),
                        Math.max(1, perDomain),
                        Math.max(1, total),
                        defaults.acceptEncoding()));
    }
}
