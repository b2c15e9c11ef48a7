package org.arachne.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrotliNativeLibraryTest {
    @TempDir Path workdir;

    private Path copy(String name, Duration age) throws Exception {
        Path folder = Files.createDirectory(workdir.resolve(name));
        Files.writeString(folder.resolve("libbrotli.so"), "not a library");
        Files.setLastModifiedTime(folder, FileTime.from(Instant.now().minus(age)));
        return folder;
    }

    @Test
    void removeStaleCopies_removesTheOldCopiesOnly_andNothingElse() throws Exception {
        copy("com_aayushatharva_brotli4j_1", Duration.ofHours(3)); // a crawl killed long ago
        copy("com_aayushatharva_brotli4j_2", Duration.ofMinutes(2));
        Path running = copy("com_aayushatharva_brotli4j_3", Duration.ofSeconds(5));
        Path other = copy("something-else", Duration.ofHours(3));

        BrotliNativeLibrary.removeStaleCopies(
                workdir, Instant.now().minus(BrotliNativeLibrary.STALE));

        try (Stream<Path> left = Files.list(workdir)) {
            assertThat(left).containsExactlyInAnyOrder(running, other);
        }
        assertThat(running.resolve("libbrotli.so")).exists();
    }
}
