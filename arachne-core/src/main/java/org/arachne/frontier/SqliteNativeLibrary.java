package org.arachne.frontier;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.arachne.internal.OwnNativeLibraries;
import org.arachne.item.export.Exporters;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * sqlite-jdbc's native library, extracted once per version, platform and user into a directory of
 * that user's own under {@code java.io.tmpdir} and loaded from there ({@code org.sqlite.lib.path}).
 * By itself sqlite-jdbc writes a new copy (1.1 MB) at every start and deletes it only at a normal
 * exit, so every crawl killed ({@code kill -9}, a way a job dir is stopped) left its copy behind
 * for good (sqlite-jdbc#1140; #10: 162 copies in {@code /tmp} after a few runs of the tests), and
 * with {@code /tmp} full, or under a file-size limit, a job dir could not be opened at all ("Error
 * opening connection" after two stack traces).
 *
 * <p>Where this cannot be done safely (no POSIX permissions, a directory another user owns or
 * others may write, a user without a name), sqlite-jdbc does as it does by itself.
 */
final class SqliteNativeLibrary {
    private static final String PATH_PROPERTY = "org.sqlite.lib.path";
    private static final String NAME_PROPERTY = "org.sqlite.lib.name";

    private static boolean prepared;

    private SqliteNativeLibrary() {}

    /**
     * Before the first connection of this JVM: makes sure the library is in this user's directory
     * and tells sqlite-jdbc to load it from there; nothing when a location was set already.
     *
     * @throws FrontierException ({@link FrontierException.Kind#STORAGE}) when the library cannot be
     *     written there (a full disk, a file-size limit), naming the file and the reason
     */
    static synchronized void prepare() {
        if (prepared || System.getProperty(PATH_PROPERTY) != null) {
            return;
        }
        String folder = LibraryLoaderUtil.getNativeLibResourcePath(); // /org/sqlite/native/OS/arch
        String name = LibraryLoaderUtil.getNativeLibName();
        Path dir = OwnNativeLibraries.directory("SQLite's native library");
        if (dir == null || SQLiteJDBCLoader.class.getResource(folder + "/" + name) == null) {
            prepared = true;
            return; // sqlite-jdbc finds its library its own way (a system library, another OS)
        }
        String platform = folder.substring(folder.lastIndexOf("/native/") + 8).replace('/', '-');
        Path file =
                dir.resolve(
                        "sqlite-jdbc-"
                                + SQLiteJDBCLoader.getVersion()
                                + "-"
                                + platform
                                + "-"
                                + name);
        try {
            OwnNativeLibraries.keep(file, partial -> extract(folder + "/" + name, partial));
        } catch (IOException e) {
            throw new FrontierException(
                    "cannot write SQLite's native library to "
                            + file
                            + ": "
                            + Exporters.reason(e)
                            + "; free some space there (or lift the file-size limit), or choose"
                            + " another folder with -Djava.io.tmpdir=DIR",
                    FrontierException.Kind.STORAGE,
                    false,
                    e);
        }
        System.setProperty(PATH_PROPERTY, dir.toString());
        System.setProperty(NAME_PROPERTY, file.getFileName().toString());
        prepared = true;
    }

    private static void extract(String resource, Path file) throws IOException {
        try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("sqlite-jdbc has no " + resource);
            }
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
