package org.arachne.internal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the native libraries that dependencies unpack from their jars are kept: once per user, in
 * {@code java.io.tmpdir/arachne-USER} (the user's own, {@code rwx------}), instead of a new copy at
 * every start that a killed process never deletes (sqlite-jdbc and brotli4j both delete theirs only
 * at a normal exit: #10 found 162 copies in {@code /tmp} after a few runs of the tests).
 */
public final class OwnNativeLibraries {
    private static final Logger log = LoggerFactory.getLogger(OwnNativeLibraries.class);
    private static final Set<PosixFilePermission> OWNER_ONLY =
            PosixFilePermissions.fromString("rwx------");

    private OwnNativeLibraries() {}

    /** What writes a library's bytes to a file. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Path file) throws IOException;
    }

    /**
     * {@code java.io.tmpdir/arachne-USER}, made when missing; null when it is not this user's own
     * (a link, another owner, writable by others) or cannot be made, with a warning naming {@code
     * library}: a library loaded from a folder others can write to would run their code.
     */
    public static @Nullable Path directory(String library) {
        String user = System.getProperty("user.name", "");
        if (!user.matches("[A-Za-z0-9._-]+")
                || !FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return null;
        }
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "arachne-" + user);
        try {
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (FileAlreadyExistsException e) {
                // made by an earlier run, or by another process just now: checked below
            }
            UserPrincipal me =
                    FileSystems.getDefault()
                            .getUserPrincipalLookupService()
                            .lookupPrincipalByName(user);
            if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                    && Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).equals(me)
                    && Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS)
                            .equals(OWNER_ONLY)) {
                return dir;
            }
            log.warn(
                    "{} is not this user's own folder (rwx------): {} is extracted at every start"
                            + " instead",
                    dir,
                    library);
        } catch (IOException e) {
            log.warn(
                    "cannot use {} for {} ({}); it is extracted at every start instead",
                    dir,
                    library,
                    e.toString());
        }
        return null;
    }

    /**
     * Makes {@code file} (in {@link #directory}) unless it is there: written under a temporary name
     * and renamed, so that the file there is always whole, and only its owner may read it.
     */
    public static void keep(Path file, Content content) throws IOException {
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path partial = Files.createTempFile(file.getParent(), "partial-", ".tmp");
        try {
            content.writeTo(partial);
            Files.setPosixFilePermissions(partial, OWNER_ONLY);
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
