package org.arachne.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * #9: the spider file was read whole before anything was checked: {@code crawl /dev/zero} ran out
 * of memory, a huge file took GiBs, a binary or UTF-16 file gave a raw Java decoding error. Now a
 * file over 1 MiB is refused without reading further and one that is not UTF-8 text is refused at
 * its line and column; both are bad spider files (exit 3), for {@code check} and {@code crawl}.
 */
@Timeout(30)
class SpiderFileLimitsTest {
    private static final int MIB = 1 << 20;

    @TempDir Path dir;

    /** A valid spider followed by comment lines up to {@code size} bytes. */
    private static byte[] paddedSpider(int size) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) '#');
        byte[] spider = CliTest.GOOD_SPIDER.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(spider, 0, bytes, 0, spider.length);
        for (int i = spider.length + 79; i < size; i += 80) {
            bytes[i] = '\n';
        }
        return bytes;
    }

    @ParameterizedTest
    @ValueSource(strings = {"check", "crawl"})
    void fileOverOneMebibyte_isABadSpiderFile(String command) throws IOException {
        Path spider = dir.resolve("big.yaml");
        Files.write(spider, paddedSpider(MIB + 1));

        Run run = Run.of(command, spider.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err()).contains("big.yaml:1:1: the file is larger than 1 MiB");
    }

    @Test
    void fileOfExactlyOneMebibyte_isRead() throws IOException {
        Path spider = dir.resolve("full.yaml");
        Files.write(spider, paddedSpider(MIB));

        Run run = Run.of("check", spider.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"check", "crawl"})
    void devZero_isRefusedAtOnce(String command) {
        Run run = Run.of(command, "/dev/zero");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err()).contains("/dev/zero:1:1: the file is larger than 1 MiB");
    }

    /** A pipe that would give 3 MiB: no more than the limit is read, then the pipe is closed. */
    @Test
    void fifoGivingMoreThanTheLimit_isRefusedAfterReadingTheLimit() throws Exception {
        Path fifo = dir.resolve("spider.yaml");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0)
                .as("mkfifo")
                .isTrue();
        long[] written = {0};
        Thread writer =
                Thread.ofPlatform()
                        .daemon()
                        .start(
                                () -> {
                                    byte[] chunk = paddedSpider(64 << 10);
                                    try (OutputStream out = Files.newOutputStream(fifo)) {
                                        while (written[0] < 3 * MIB) {
                                            out.write(chunk);
                                            written[0] += chunk.length;
                                        }
                                    } catch (IOException e) {
                                        // the reader closed the pipe: what the test expects
                                    }
                                });

        Run run = Run.of("crawl", fifo.toString());
        writer.join();

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err()).contains("spider.yaml:1:1: the file is larger than 1 MiB");
        assertThat(written[0]).isLessThan(3L * MIB);
    }

    /**
     * The bytes of a table row: ASCII, with {@code \n} a line feed, {@code \0} a NUL, {@code \xHH}
     * a byte.
     */
    private static byte[] bytes(String escaped) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c != '\\') {
                out.write(c);
            } else if (escaped.charAt(i + 1) == 'x') {
                out.write(Integer.parseInt(escaped.substring(i + 2, i + 4), 16));
                i += 3;
            } else {
                out.write(escaped.charAt(++i) == 'n' ? '\n' : 0);
            }
        }
        return out.toByteArray();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
                    \\xFF\\xFEn\\0a\\0m\\0e\\0         | 1:1: the file is UTF-16LE (it starts with a UTF-16LE byte order mark); a spider file must be UTF-8
                    \\xFE\\xFF\\0n\\0a\\0m\\0e         | 1:1: the file is UTF-16BE
                    \\xFF\\xFE\\0\\0n\\0\\0\\0       | 1:1: the file is UTF-32LE
                    n\\0a\\0m\\0e\\0:\\0               | 1:2: the file holds a NUL byte at byte offset 1; a spider file is UTF-8 text, is this a binary file, or UTF-16?
                    name: x\\nstart_urls: [\\0]      | 2:14: the file holds a NUL byte at byte offset 21
                    name: caf\\xE9\\n                | 1:10: the file is not UTF-8: byte 0xE9 at byte offset 9 is not part of a UTF-8 character; save it as UTF-8
                    name: a\\n\\n  # \\x80           | 3:5: the file is not UTF-8: byte 0x80 at byte offset 13
                    name: \\xE4\\xB9\\xA6\\xFF         | 1:8: the file is not UTF-8: byte 0xFF at byte offset 9
                    \\xEF\\xBB\\xBFname: \\xFF         | 1:7: the file is not UTF-8: byte 0xFF at byte offset 9
                    """)
    void notUtf8Text_isABadSpiderFileAtItsLineAndColumn(String escaped, String message)
            throws IOException {
        Path spider = dir.resolve("bad.yaml");
        Files.write(spider, bytes(escaped));

        for (String command : new String[] {"check", "crawl"}) {
            Run run = Run.of(command, spider.toString());

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
            assertThat(run.err()).contains("bad.yaml:" + message);
            assertThat(run.err()).doesNotContain("Exception");
        }
    }

    @Test
    void utf8WithAByteOrderMarkAndChineseText_isRead() throws IOException {
        Path spider = dir.resolve("bom.yaml");
        byte[] text =
                CliTest.GOOD_SPIDER
                        .replace("name: books", "name: 书")
                        .getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[text.length + 3];
        bytes[0] = (byte) 0xEF;
        bytes[1] = (byte) 0xBB;
        bytes[2] = (byte) 0xBF;
        System.arraycopy(text, 0, bytes, 3, text.length);
        Files.write(spider, bytes);

        Run run = Run.of("check", spider.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
    }
}
