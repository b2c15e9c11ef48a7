package org.arachne.http;

import org.arachne.testing.TlsTestServer;
import org.junit.jupiter.api.Timeout;

/** The {@link Downloader} contract on https to a server offering h2: the async client, HTTP/2. */
@Timeout(30)
class Http2DownloaderContractIT extends DownloaderContract {

    @Override
    protected String base() throws Exception {
        return TlsTestServer.shared().h2Base();
    }

    @Override
    protected String protocol() {
        return "HTTP/2";
    }

    @Override
    protected Downloader create(DownloaderConfig config, HostResolver hosts) throws Exception {
        return new HttpClient5Downloader(config, hosts, TlsTestServer.clientTrust());
    }
}
