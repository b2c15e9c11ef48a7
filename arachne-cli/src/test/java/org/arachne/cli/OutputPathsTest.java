package org.arachne.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OutputPathsTest {
    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of(new AccessDeniedException("/nope"), "/nope: Permission denied"),
                Arguments.of(
                        new NoSuchFileException("/a/b.jsonl"),
                        "/a/b.jsonl: No such file or directory"),
                Arguments.of(
                        new NotDirectoryException("/etc/hosts"), "/etc/hosts: Not a directory"),
                Arguments.of(
                        new FileSystemException("/mnt/ro/x.csv", null, "Read-only file system"),
                        "/mnt/ro/x.csv: Read-only file system"),
                Arguments.of(
                        new IOException("No space left on device"), "No space left on device"));
    }

    @ParameterizedTest
    @MethodSource("errors")
    void reason_namesThePathAndTheOperatingSystemsWords(IOException error, String expected) {
        assertThat(OutputPaths.reason(error)).isEqualTo(expected);
    }
}
