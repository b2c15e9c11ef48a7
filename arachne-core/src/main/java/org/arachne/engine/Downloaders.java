package org.arachne.engine;

import org.arachne.http.Downloader;
import org.arachne.politeness.HostResolver;

/** Builds the default downloader from the settings. */
final class Downloaders {
    private Downloaders() {}

    static Downloader forSettings(Settings settings, HostResolver resolver) {
        throw new IllegalStateException("the default HTTP downloader lands with the http work");
    }
}
