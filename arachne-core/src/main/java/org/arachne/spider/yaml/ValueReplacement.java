package org.arachne.spider.yaml;

import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A rule's {@code process_value} in YAML: every match of {@code regex} in a link's value replaced
 * by {@code replacement}, as Python's {@code re.sub} does, in Java's syntax ({@code $1} for a
 * group, {@code ${name}} for a named one). A value the regex does not match is kept as it is. The
 * value is the one Scrapy's {@code process_value} gets: resolved against the page, not encoded.
 */
public record ValueReplacement(String regex, String replacement) {
    public ValueReplacement {
        Objects.requireNonNull(regex, "regex");
        Objects.requireNonNull(replacement, "replacement");
    }

    /**
     * The rewrite as a function, its regex compiled once.
     *
     * @throws java.util.regex.PatternSyntaxException when the regex is invalid (a definition from
     *     {@link YamlSpiders#parse} has been checked already)
     */
    public UnaryOperator<String> compile() {
        Pattern pattern = Pattern.compile(regex);
        return value -> pattern.matcher(value).replaceAll(replacement);
    }

    /**
     * What is wrong with a replacement for {@code pattern} in Java's syntax, or null: a group it
     * lacks, a Python-style {@code \1}, a lone {@code $} or {@code \}. Java would only find out on
     * the first match, in the middle of a crawl.
     */
    static @Nullable String problem(Pattern pattern, String replacement) {
        int groups = pattern.matcher("").groupCount();
        for (int i = 0; i < replacement.length(); i++) {
            char c = replacement.charAt(i);
            char next = i + 1 < replacement.length() ? replacement.charAt(i + 1) : 0;
            if (c == '\\') {
                if (next >= '0' && next <= '9') {
                    return "'\\"
                            + next
                            + "' is Python's syntax; write $"
                            + next
                            + " for group "
                            + next;
                }
                if (next == 0) {
                    return "ends with a lone \\; write \\\\ for a backslash";
                }
                i++;
            } else if (c == '$') {
                if (next == '{') {
                    int close = replacement.indexOf('}', i);
                    String name = close < 0 ? "" : replacement.substring(i + 2, close);
                    if (!pattern.namedGroups().containsKey(name)) {
                        return "refers to group '" + name + "', which the regex does not name";
                    }
                    i = close;
                } else if (next >= '0' && next <= '9') {
                    if (next - '0' > groups) {
                        return "refers to group "
                                + next
                                + ", but the regex has "
                                + groups
                                + (groups == 1 ? " group" : " groups");
                    }
                } else {
                    return "a lone $; write \\$ for a dollar sign";
                }
            }
        }
        return null;
    }
}
