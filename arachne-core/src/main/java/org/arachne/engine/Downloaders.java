package org.arachne.engine;

import org.arachne.http.Downloader;
import org.arachne.http.DownloaderConfig;
import org.arachne.http.Headers;
import org.arachne.http.HttpClient5Downloader;
import org.arachne.politeness.HostResolver;

/** Builds the default downloader (Apache HttpClient 5, see docs/decisions) from the settings. */
final class Downloaders {
    private Downloaders() {}

    static Downloader forSettings(Settings settings, HostResolver resolver) {
        int perIp = settings.get(Setting.CONCURRENT_REQUESTS_PER_IP);
        int perHost = Math.max(settings.get(Setting.CONCURRENT_REQUESTS_PER_DOMAIN), perIp);
        int total = settings.get(Setting.CONCURRENT_REQUESTS);
        DownloaderConfig config =
                new DownloaderConfig(
                        settings.get(Setting.USER_AGENT),
                        Headers.of(settings.get(Setting.DEFAULT_REQUEST_HEADERS)),
                        settings.get(Setting.DOWNLOAD_TIMEOUT),
                        settings.get(Setting.DOWNLOAD_MAXSIZE),
                        settings.get(Setting.DOWNLOAD_WARNSIZE),
                        settings.get(Setting.COOKIES_ENABLED),
                        resolver.overrides(),
                        Math.max(1, perHost),
                        Math.max(1, total),
                        DownloaderConfig.defaults().acceptEncoding(),
                        settings.get(Setting.PROXY).orElse(null),
                        settings.get(Setting.HTTP2_ENABLED),
                        settings.get(Setting.DENY_PRIVATE_ADDRESSES));
        return new HttpClient5Downloader(config);
    }
}
