package org.arachne.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A script's arguments as Redis takes them: byte strings, numbers in decimal. */
final class Args {
    private final List<byte[]> values = new ArrayList<>();

    Args add(String text) {
        values.add(text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    Args add(long number) {
        return add(Long.toString(number));
    }

    Args add(double number) {
        return add(Double.toString(number));
    }

    Args add(boolean flag) {
        return add(flag ? "1" : "0");
    }

    Args add(byte[] bytes) {
        values.add(bytes);
        return this;
    }

    List<byte[]> list() {
        return values;
    }
}
