package org.arachne.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.arachne.item.export.Exporters;

/**
 * Checks, before a crawl starts, that a file it will write can be opened, so that a bad path fails
 * at once in one line that names the path and the operating system's reason (#9: a bad {@code
 * --stats-json} path failed only after the whole crawl, losing the stats, and a bad {@code -o}
 * printed a stack trace that hid the reason). Missing parent folders are created, as the crawl
 * would create them.
 */
final class OutputPaths {
    private OutputPaths() {}

    /**
     * Checks that {@code file} can be written, leaving it as it was: an existing file is opened for
     * appending and closed unchanged, a missing one is created and deleted again.
     *
     * @param what how the user named it, for the message: {@code output}, {@code --stats-json}
     * @throws CliException (config) {@code cannot open WHAT FILE: PATH: REASON}
     */
    static void checkWritable(Path file, String what) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (Files.isDirectory(file)) {
                throw new FileSystemException(file.toString(), null, "Is a directory");
            }
            if (!Files.exists(file)) {
                Files.newByteChannel(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)
                        .close();
                Files.delete(file);
            } else if (Files.isRegularFile(file)) {
                FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND).close();
            } else if (!Files.isWritable(file)) {
                // a device or a named pipe: opening a pipe would wait for its reader
                throw new AccessDeniedException(file.toString());
            }
        } catch (IOException e) {
            throw CliException.config("cannot open " + what + " " + file + ": " + reason(e));
        }
    }

    /**
     * The path and the operating system's reason of a file error, as {@code ls} would say it:
     * {@code /nope: Permission denied}, {@code /tmp/a/b: No such file or directory}; the crawl's
     * own outputs say it the same way ({@link Exporters#reason}).
     */
    static String reason(IOException e) {
        return Exporters.reason(e);
    }
}
