package org.arachne.http;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;
import org.arachne.internal.OwnNativeLibraries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where brotli4j unpacks its native library: a folder of this user's own ({@link
 * OwnNativeLibraries}), cleared of what killed crawls left there. By itself brotli4j unpacks a new
 * copy (1 MB) into a new folder of {@code java.io.tmpdir} at every start and deletes it only at a
 * normal exit, so every crawl killed left one behind for good. brotli4j names neither its platform
 * nor its copies' owner, so the copies are not shared: each start still unpacks one, in {@code
 * brotli4j/} of the user's folder, and removes the copies there older than {@link #STALE} (those of
 * running crawls are in use by then; on Linux and macOS a loaded library may be removed).
 *
 * <p>Where there is no such folder, brotli4j does as it does by itself.
 */
final class BrotliNativeLibrary {
    private static final Logger log = LoggerFactory.getLogger(BrotliNativeLibrary.class);
    private static final String WORKDIR_PROPERTY = "com.aayushatharva.brotli4j.native.workdir";
    private static final String COPY_PREFIX = "com_aayushatharva_brotli4j_";

    /** A copy this old has been loaded by its crawl, or its crawl is gone. */
    static final Duration STALE = Duration.ofMinutes(1);

    private static boolean prepared;

    private BrotliNativeLibrary() {}

    /** Before brotli4j loads its library: nothing when a folder was set already. */
    static synchronized void prepare() {
        if (prepared || System.getProperty(WORKDIR_PROPERTY) != null) {
            return;
        }
        prepared = true;
        Path own = OwnNativeLibraries.directory("brotli4j's native library");
        if (own == null) {
            return;
        }
        Path workdir = own.resolve("brotli4j");
        try {
            Files.createDirectories(workdir);
            removeStaleCopies(workdir, Instant.now().minus(STALE));
            System.setProperty(WORKDIR_PROPERTY, workdir.toString());
        } catch (IOException e) {
            log.debug(
                    "cannot use {} for brotli4j ({}); it unpacks as it does",
                    workdir,
                    e.toString());
        }
    }

    /** The copies in {@code workdir} last changed before {@code before}; those it cannot, kept. */
    static void removeStaleCopies(Path workdir, Instant before) throws IOException {
        try (DirectoryStream<Path> copies = Files.newDirectoryStream(workdir, COPY_PREFIX + "*")) {
            for (Path copy : copies) {
                FileTime changed = Files.getLastModifiedTime(copy, LinkOption.NOFOLLOW_LINKS);
                if (changed.toInstant().isBefore(before)) {
                    removeTree(copy);
                }
            }
        }
    }

    private static void removeTree(Path copy) {
        try (Stream<Path> files = Files.walk(copy)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            // in use where a loaded library cannot be removed: the next start tries again
            log.debug("cannot remove {} ({})", copy, e.toString());
        }
    }
}
