package org.arachne.spider.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ValueReplacementTest {

    /** A rule's process_value: every match replaced, as re.sub; no match, no change. */
    @ParameterizedTest
    @CsvSource(
            delimiterString = " | ",
            value = {
                "javascript:go\\('([^']*)'\\).* | $1 | javascript:go('a.html'); x | a.html",
                "javascript:go\\('([^']*)'\\).* | $1 | b.html | b.html",
                "(?<n>\\d+) | p${n} | /list/7 | /list/p7",
                "\\?sid=\\w+ | '' | /a?sid=42 | /a",
                "a | \\$ | banana | b$n$n$",
            })
    void compile_replacesEveryMatch(String regex, String replacement, String value, String out) {
        assertThat(new ValueReplacement(regex, replacement).compile().apply(value)).isEqualTo(out);
        assertThat(ValueReplacement.problem(Pattern.compile(regex), replacement)).isNull();
    }

    /** What Java would only refuse at the first match, in the middle of a crawl. */
    @ParameterizedTest
    @CsvSource(
            delimiterString = " | ",
            value = {
                "go\\('(.*)'\\) | \\1 | '''\\1'' is Python''s syntax; write $1 for group 1'",
                "go\\('(.*)'\\) | $2 | refers to group 2, but the regex has 1 group",
                "go | $1 | refers to group 1, but the regex has 0 groups",
                "(?<n>x) | ${m} | refers to group 'm', which the regex does not name",
                "x | cost: $ | a lone $; write \\$ for a dollar sign",
                "x | end\\ | ends with a lone \\; write \\\\ for a backslash",
            })
    void problem_namesWhatJavaWouldRefuse(String regex, String replacement, String message) {
        assertThat(ValueReplacement.problem(Pattern.compile(regex), replacement))
                .isEqualTo(message);
    }
}
