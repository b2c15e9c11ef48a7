package org.arachne.http;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;

/**
 * GB18030 as the WHATWG gb18030 decoder reads it, which is also how it reads GBK: the JDK's
 * decoder, except that a lone byte 0x80 is the euro sign (as in Windows code page 936), where the
 * JDK sees an error. Named {@code GB18030}, so it {@code equals} the JDK's charset; encoding is the
 * JDK's.
 */
final class Gb18030Charset extends Charset {
    private static final Charset JDK = Charset.forName("GB18030");
    private static final byte EURO_BYTE = (byte) 0x80;

    static final Gb18030Charset INSTANCE = new Gb18030Charset();

    private Gb18030Charset() {
        super(JDK.name(), new String[0]);
    }

    @Override
    public boolean contains(Charset other) {
        return JDK.contains(other);
    }

    @Override
    public CharsetDecoder newDecoder() {
        return new Decoder(this);
    }

    @Override
    public CharsetEncoder newEncoder() {
        return JDK.newEncoder();
    }

    private static final class Decoder extends CharsetDecoder {
        private static final CharsetDecoder PROBE = JDK.newDecoder();

        private final CharsetDecoder jdk =
                JDK.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);

        Decoder(Gb18030Charset charset) {
            super(charset, PROBE.averageCharsPerByte(), PROBE.maxCharsPerByte());
        }

        @Override
        protected CoderResult decodeLoop(ByteBuffer in, CharBuffer out) {
            while (true) {
                // the JDK's decoder leaves an incomplete sequence at the end in the buffer, so
                // this decoder's caller sees it as it would with the JDK's decoder alone
                CoderResult result = jdk.decode(in, out, false);
                if (!result.isError() || in.get(in.position()) != EURO_BYTE) {
                    return result;
                }
                if (!out.hasRemaining()) {
                    return CoderResult.OVERFLOW;
                }
                in.get();
                out.put('\u20AC');
            }
        }

        @Override
        protected void implReset() {
            jdk.reset();
        }
    }
}
