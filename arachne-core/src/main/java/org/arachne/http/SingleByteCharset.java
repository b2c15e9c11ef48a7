package org.arachne.http;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;

/**
 * A single-byte encoding decoded as its WHATWG index says, where the JDK's decoder differs: the
 * windows code pages map the bytes 0x80 to 0x9F they leave undefined to the C1 controls of the same
 * value (so {@code iso-8859-1} bytes, read as windows-1252, are never lost), and a few code points
 * changed since the JDK's tables (KOI8-U 0xAE and 0xBE, x-mac-cyrillic 0xFF, windows-1255 0xCA). It
 * carries the name of the JDK charset it starts from, so it {@code equals} that one. Encoding is
 * the JDK's.
 */
final class SingleByteCharset extends Charset {
    private static final char UNMAPPED = '\uFFFD';

    private final Charset base;
    private final char[] table = new char[256];

    /**
     * @param base the JDK charset whose table is the start
     * @param controlsForUndefined whether undefined bytes 0x80 to 0x9F decode to C1 controls
     * @param overrides pairs of byte and code point where WHATWG's index differs from the JDK's
     */
    SingleByteCharset(Charset base, boolean controlsForUndefined, int... overrides) {
        super(base.name(), new String[0]);
        this.base = base;
        byte[] all = new byte[256];
        for (int b = 0; b < 256; b++) {
            all[b] = (byte) b;
        }
        new String(all, base).getChars(0, 256, table, 0);
        for (int b = 0x80; b < 0xA0 && controlsForUndefined; b++) {
            table[b] = table[b] == UNMAPPED ? (char) b : table[b];
        }
        for (int i = 0; i < overrides.length; i += 2) {
            table[overrides[i]] = (char) overrides[i + 1];
        }
    }

    /** The text of these bytes: one char per byte, U+FFFD for a byte the index leaves undefined. */
    String decode(byte[] bytes, int offset, int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = table[bytes[offset + i] & 0xFF];
        }
        return new String(chars);
    }

    @Override
    public boolean contains(Charset other) {
        return base.contains(other);
    }

    @Override
    public CharsetDecoder newDecoder() {
        return new Decoder(this);
    }

    @Override
    public CharsetEncoder newEncoder() {
        return base.newEncoder();
    }

    private static final class Decoder extends CharsetDecoder {
        private final char[] table;

        Decoder(SingleByteCharset charset) {
            super(charset, 1f, 1f);
            this.table = charset.table;
        }

        @Override
        protected CoderResult decodeLoop(ByteBuffer in, CharBuffer out) {
            while (in.hasRemaining()) {
                if (!out.hasRemaining()) {
                    return CoderResult.OVERFLOW;
                }
                char c = table[in.get(in.position()) & 0xFF];
                if (c == UNMAPPED) {
                    return CoderResult.unmappableForLength(1);
                }
                in.get();
                out.put(c);
            }
            return CoderResult.UNDERFLOW;
        }
    }
}
