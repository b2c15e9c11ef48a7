package org.arachne.spider.yaml;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.arachne.select.PythonRegex;
import org.jsoup.parser.Parser;
import org.jspecify.annotations.Nullable;

/**
 * One step of a field's {@code processors}, Scrapy's item loader processors in YAML: each step
 * takes the texts the field found (every match of its selector, in page order) and gives the texts
 * the next step gets; the field's type then makes its value of what the last step gave. A
 * description, immutable; {@link #compile()} makes the step that runs.
 */
public sealed interface FieldProcessor {

    /** The processor's name in YAML, such as {@code normalize_space}. */
    String yamlName();

    /**
     * The step as a function over the texts, its regex (if any) compiled once; it returns a new
     * list and never changes the one it is given.
     *
     * @throws java.util.regex.PatternSyntaxException if a {@link Replace} regex is invalid (a
     *     definition from {@link YamlSpiders#parse} has been checked already)
     */
    UnaryOperator<List<String>> compile();

    /** The processors without an argument. */
    enum Simple implements FieldProcessor {
        /** Removes whitespace (Unicode's, no-break spaces included) at both ends of each text. */
        STRIP,
        /** Trims each text and turns every run of whitespace inside it into one space. */
        NORMALIZE_SPACE,
        /** Lower-cases each text (locale-independent). */
        LOWER,
        /** Upper-cases each text (locale-independent). */
        UPPER,
        /**
         * Removes the HTML tags of each text and decodes its character references ({@code <b>5</b>
         * &amp;amp; up} gives {@code 5 & up}), as w3lib's {@code remove_tags} and {@code
         * replace_entities} do together; whitespace is kept.
         */
        STRIP_TAGS,
        /** Keeps the first text that is not empty, as Scrapy's {@code TakeFirst}; none if none. */
        FIRST;

        @Override
        public String yamlName() {
            return name().toLowerCase(Locale.ROOT);
        }

        @Override
        public UnaryOperator<List<String>> compile() {
            return switch (this) {
                case STRIP -> each(Simple::strip);
                case NORMALIZE_SPACE -> each(Simple::normalizeSpace);
                case LOWER -> each(text -> text.toLowerCase(Locale.ROOT));
                case UPPER -> each(text -> text.toUpperCase(Locale.ROOT));
                case STRIP_TAGS ->
                        each(text -> Parser.parseBodyFragment(text, "").body().wholeText());
                case FIRST ->
                        texts -> {
                            for (String text : texts) {
                                if (!text.isEmpty()) {
                                    return List.of(text);
                                }
                            }
                            return List.of();
                        };
            };
        }

        private static String strip(String text) {
            int start = 0;
            int end = text.length();
            while (start < end && isSpace(text.charAt(start))) {
                start++;
            }
            while (end > start && isSpace(text.charAt(end - 1))) {
                end--;
            }
            return text.substring(start, end);
        }

        private static String normalizeSpace(String text) {
            StringBuilder sb = new StringBuilder(text.length());
            boolean pendingSpace = false;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (isSpace(c)) {
                    pendingSpace = !sb.isEmpty();
                } else {
                    if (pendingSpace) {
                        sb.append(' ');
                        pendingSpace = false;
                    }
                    sb.append(c);
                }
            }
            return sb.toString();
        }
    }

    /**
     * Replaces every match of {@code regex} (Python's syntax, as every regex of a spider file) in
     * each text with {@code replacement}, in Java's syntax: {@code $1} for group 1, {@code ${name}}
     * for a named group, {@code \$} for a dollar sign (the syntax of a rule's {@code
     * process_value}).
     */
    record Replace(String regex, String replacement) implements FieldProcessor {
        public Replace {
            Objects.requireNonNull(regex, "regex");
            Objects.requireNonNull(replacement, "replacement");
        }

        @Override
        public String yamlName() {
            return "replace";
        }

        @Override
        public UnaryOperator<List<String>> compile() {
            Pattern pattern = PythonRegex.compile(regex);
            return each(text -> pattern.matcher(text).replaceAll(replacement));
        }
    }

    /**
     * Splits each text into several at every {@code separator}, as Python's {@code
     * str.split(separator)} does (empty parts kept); with a null separator at every run of
     * whitespace, dropping empty parts, as {@code str.split()} does.
     */
    record Split(@Nullable String separator) implements FieldProcessor {
        public Split {
            if (separator != null && separator.isEmpty()) {
                throw new IllegalArgumentException("split: the separator must not be empty");
            }
        }

        @Override
        public String yamlName() {
            return "split";
        }

        @Override
        public UnaryOperator<List<String>> compile() {
            return texts -> {
                List<String> out = new ArrayList<>();
                for (String text : texts) {
                    if (separator == null) {
                        for (String part : Simple.normalizeSpace(text).split(" ")) {
                            if (!part.isEmpty()) {
                                out.add(part);
                            }
                        }
                    } else {
                        out.addAll(List.of(text.split(Pattern.quote(separator), -1)));
                    }
                }
                return List.copyOf(out);
            };
        }
    }

    /**
     * Joins all the texts into one with {@code separator} between them, as Scrapy's {@code Join};
     * nothing stays nothing.
     */
    record Join(String separator) implements FieldProcessor {
        public Join {
            Objects.requireNonNull(separator, "separator");
        }

        @Override
        public String yamlName() {
            return "join";
        }

        @Override
        public UnaryOperator<List<String>> compile() {
            return texts -> texts.isEmpty() ? List.of() : List.of(String.join(separator, texts));
        }
    }

    private static UnaryOperator<List<String>> each(UnaryOperator<String> step) {
        return texts -> {
            List<String> out = new ArrayList<>(texts.size());
            for (String text : texts) {
                out.add(step.apply(text));
            }
            return List.copyOf(out);
        };
    }

    /** Whitespace as Python's {@code str.strip()} sees it: no-break spaces included. */
    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }
}
