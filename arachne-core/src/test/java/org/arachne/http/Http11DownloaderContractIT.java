package org.arachne.http;

import org.arachne.testing.TlsTestServer;
import org.junit.jupiter.api.Timeout;

/** The {@link Downloader} contract on plain http: HttpClient's classic client, HTTP/1.1. */
@Timeout(30)
class Http11DownloaderContractIT extends DownloaderContract {

    @Override
    protected String base() throws Exception {
        return TlsTestServer.shared().httpBase();
    }

    @Override
    protected String protocol() {
        return "HTTP/1.1";
    }

    @Override
    protected Downloader create(DownloaderConfig config, HostResolver hosts) {
        return new HttpClient5Downloader(config, hosts);
    }
}
