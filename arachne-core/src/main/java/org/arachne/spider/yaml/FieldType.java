package org.arachne.spider.yaml;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How the matched text of a field becomes its value.
 *
 * <p>Numbers ({@link #INT}, {@link #DECIMAL}) are read from text around them: the value is the
 * first number in the text, an optional sign, digits and an optional fraction after a dot; commas
 * between groups of three digits are thousands separators. So {@code £12.34} gives 12.34, {@code
 * 1,234.50 USD} gives 1234.50 and {@code In stock (22 available)} gives 22. A comma is never a
 * decimal point ({@code 12,34} gives 12). Text without a number gives no value.
 */
public enum FieldType {
    /** The first non-blank match, whitespace trimmed (the default). */
    STRING,
    /** The first number of the first non-blank match, which must be whole; a {@link Long}. */
    INT,
    /** The first number of the first non-blank match; a {@link BigDecimal}. */
    DECIMAL,
    /** The first non-blank match resolved against the page URL. */
    URL,
    /** All non-blank matches, trimmed, as a list of strings. */
    LIST;

    private static final Pattern NUMBER =
            Pattern.compile("[-+]?(?:(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?|\\.\\d+)");

    /** The name used in YAML, such as {@code decimal}. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The value of one piece of text for {@link #STRING}, {@link #INT} and {@link #DECIMAL} (the
     * text trimmed, or its number); null when a number type finds no number, or a whole one is
     * needed and the number has a fraction. {@link #URL} and {@link #LIST} return the trimmed text.
     */
    public @Nullable Object convert(String text) {
        String trimmed = text.strip();
        return switch (this) {
            case STRING, URL, LIST -> trimmed;
            case DECIMAL -> firstNumber(trimmed);
            case INT -> {
                BigDecimal number = firstNumber(trimmed);
                if (number == null) {
                    yield null;
                }
                try {
                    yield number.longValueExact();
                } catch (ArithmeticException e) {
                    yield null;
                }
            }
        };
    }

    private static @Nullable BigDecimal firstNumber(String text) {
        Matcher m = NUMBER.matcher(text);
        if (!m.find()) {
            return null;
        }
        String digits = m.group().replace(",", "");
        return new BigDecimal(digits.startsWith("+") ? digits.substring(1) : digits);
    }
}
