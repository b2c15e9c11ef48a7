package org.arachne.spider.yaml;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Reads the text of a spider file, refusing what cannot be one before it costs memory or gives a
 * raw decoding error (#9: {@code crawl /dev/zero} ran out of memory, a 1.5 GB file took 3 GiB, a
 * UTF-16 file failed with a Java exception).
 *
 * <p>Size: at most {@link #MAX_BYTES}, 1 MiB, and never more than that is read, so a device or a
 * pipe without end is refused at once. A spider file is YAML written by hand: the examples are 1 to
 * 3 KiB, and a spider with a hundred item blocks of ten fields stays under 100 KiB, so 1 MiB leaves
 * ten times that and still costs a few MiB of heap to parse (SnakeYAML's own limit is 3 MB).
 *
 * <p>Encoding: UTF-8 only, as the spider reader and every example assume (YAML also allows UTF-16
 * and UTF-32, which nobody writes spiders in; a file in one is more likely the wrong file). A UTF-8
 * byte order mark is skipped. Refused, as a {@link Problem} at the offending line and column with
 * its byte offset: a UTF-16 or UTF-32 byte order mark, a NUL byte (a binary file, or UTF-16 without
 * a mark), and bytes that are not UTF-8 (a Latin-1 or Windows-1252 file).
 */
final class SpiderFileText {
    /** The largest spider file read, in bytes. */
    static final int MAX_BYTES = 1 << 20;

    private SpiderFileText() {}

    /**
     * The text of the file.
     *
     * @throws SpiderFileException when the file is too large or not UTF-8 text
     * @throws IOException when it cannot be read
     */
    static String read(Path file) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        }
        String name = file.toString();
        if (bytes.length > MAX_BYTES) {
            throw problem(
                    name,
                    1,
                    1,
                    "the file is larger than 1 MiB; a spider file is YAML written by hand, a few"
                            + " KiB: is this the right file?");
        }
        return decode(bytes, name);
    }

    /**
     * Decodes the bytes of a spider file of this name (used in messages).
     *
     * @throws SpiderFileException when they are not UTF-8 text
     */
    static String decode(byte[] bytes, String name) {
        String utf16or32 = unicodeMark(bytes);
        if (utf16or32 != null) {
            throw problem(
                    name,
                    1,
                    1,
                    "the file is "
                            + utf16or32
                            + " (it starts with a "
                            + utf16or32
                            + " byte order mark); a spider file must be UTF-8: convert it, for"
                            + " example with iconv -f "
                            + utf16or32
                            + " -t UTF-8");
        }
        int start = startsWith(bytes, 0xEF, 0xBB, 0xBF) ? 3 : 0;
        CharsetDecoder decoder =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer out = CharBuffer.allocate(bytes.length - start);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        int malformed = result.isError() ? in.position() : -1;
        int nul = indexOfNul(bytes, start, malformed < 0 ? bytes.length : malformed);
        if (nul >= 0) {
            throw located(
                    bytes,
                    start,
                    nul,
                    name,
                    "the file holds a NUL byte at byte offset "
                            + nul
                            + "; a spider file is UTF-8 text, is this a binary file, or UTF-16?");
        }
        if (malformed >= 0) {
            throw located(
                    bytes,
                    start,
                    malformed,
                    name,
                    String.format(
                            Locale.ROOT,
                            "the file is not UTF-8: byte 0x%02X at byte offset %d is not part of a"
                                    + " UTF-8 character; save it as UTF-8 (was it written as"
                                    + " Latin-1 or Windows-1252?)",
                            bytes[malformed] & 0xFF,
                            malformed));
        }
        return out.flip().toString();
    }

    private static @Nullable String unicodeMark(byte[] bytes) {
        if (startsWith(bytes, 0x00, 0x00, 0xFE, 0xFF)) {
            return "UTF-32BE";
        }
        if (startsWith(bytes, 0xFF, 0xFE, 0x00, 0x00)) {
            return "UTF-32LE";
        }
        if (startsWith(bytes, 0xFE, 0xFF)) {
            return "UTF-16BE";
        }
        if (startsWith(bytes, 0xFF, 0xFE)) {
            return "UTF-16LE";
        }
        return null;
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOfNul(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A problem at byte {@code offset}, whose bytes from {@code start} are valid UTF-8: its line
     * counts line feeds before it, its column the characters (code points) since the last one.
     */
    private static SpiderFileException located(
            byte[] bytes, int start, int offset, String name, String message) {
        int line = 1;
        int column = 1;
        for (int i = start; i < offset; i++) {
            if (bytes[i] == '\n') {
                line++;
                column = 1;
            } else if ((bytes[i] & 0xC0) != 0x80) { // not a continuation byte: a new character
                column++;
            }
        }
        return problem(name, line, column, message);
    }

    private static SpiderFileException problem(String name, int line, int column, String message) {
        return new SpiderFileException(List.of(new Problem(name, line, column, "", message)));
    }
}
