package org.arachne.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Regexes as Scrapy users write them for Python's {@code re}, with what Python finds. */
class PythonRegexTest {

    /** Each row: a regex, a text, and Python's {@code re.findall(regex, text)} joined by "|". */
    @ParameterizedTest
    @CsvSource({
        // named groups and backreferences, names Java cannot spell included
        "'(?P<year>\\d{4})-(?P<month>\\d\\d)', 2024-05, 2024|05",
        "'(?P<first_name>\\w+) (?P=first_name)', 'hola hola, adiós', hola",
        "'(?P<a_b>x)(?P<ab>y)(?P=a_b)(?P=ab)', xyxy, x|y",
        // Java's own syntax still works
        "'(?<num>\\d+)', a12, 12",
        "'\\p{Lu}+', ABc, AB",
        "'\\Q{a}\\E', 'x{a}', '{a}'",
        // \w, \d, \b are Unicode-aware, as in Python 3
        "'\\w+', '¡Feliz cumpleaños!', Feliz|cumpleaños",
        "'\\b\\w+ños\\b', 'cumpleaños', cumpleaños",
        "'\\d+', '٣٤ and 12', ٣٤|12",
        "'(?a)\\w+', año, a|o",
        // a brace that is not a quantifier is a literal; {,n} is {0,n}
        "'var data = ({.*?});', 'var data = {\"a\": 1};', '{\"a\": 1}'",
        "'x{,2}', xxx, xx|x|",
        "'a{}', a{}, a{}",
        "'\\{\\d\\}', '{1}', '{1}'",
        // in a class, [ and & are literals, ] first is a literal
        "'[[]', 'a[b', '['",
        "'[a&&b]', 'a&b', a|&|b",
        "'[]a]', 'b]a', ]|a",
        // comments, long escapes
        "'(?#year)\\d{4}', 'in 1999', 1999",
        "'\\U0001F600', 'ok 😀', 😀",
    })
    void compile_matchesWhatPythonMatches(String regex, String text, String expected) {
        assertThat(String.join("|", Selection.ofText(text).re(PythonRegex.compile(regex))))
                .isEqualTo(expected);
    }

    @Test
    void compile_onlyNewlineEndsALine_asInPython() {
        assertThat(PythonRegex.compile("a.b").matcher("a\rb").matches()).isTrue();
        assertThat(PythonRegex.compile("a.b").matcher("a\u2028b").matches()).isTrue();
        assertThat(PythonRegex.compile("a.b").matcher("a\nb").matches()).isFalse();
        assertThat(PythonRegex.compile("1\\Z").matcher("1\n").find()).isFalse();
        assertThat(PythonRegex.compile("1$").matcher("1\n").find()).isTrue();
    }

    @Test
    void compile_escapesPythonReadsDifferently() {
        assertThat(PythonRegex.compile("\\v").matcher("\u000b").matches()).isTrue();
        assertThat(PythonRegex.compile("\\v").matcher("\n").matches()).isFalse();
        assertThat(PythonRegex.compile("[\\b]").matcher("\b").matches()).isTrue();
        assertThat(PythonRegex.compile("\\0").matcher("\0").matches()).isTrue();
        assertThat(PythonRegex.compile("\\012").matcher("\n").matches()).isTrue();
    }

    @Test
    void compile_groupNamesJavaCannotSpell_renamedPredictably() {
        assertThat(PythonRegex.toJava("(?P<first_name>\\w+) (?P=first_name)"))
                .isEqualTo("(?<firstname>\\w+) \\k<firstname>");
        assertThat(PythonRegex.toJava("(?P<a_b>x)(?P<ab>y)")).isEqualTo("(?<ab2>x)(?<ab>y)");
        assertThat(PythonRegex.toJava("(?P<_1>x)")).isEqualTo("(?<g1>x)");
        assertThat(PythonRegex.compile("(?P<extract>x)").namedGroups()).containsKey("extract");
    }

    /** Each row: an invalid regex, part of the message, and the index into the regex as given. */
    @ParameterizedTest
    @CsvSource({
        "'(?P<x>a)(?P<x>b)', redefinition of group name 'x', 8",
        "'(?(1)a|b)', conditional groups, 0",
        "'(?P<x', 'missing >', 0",
        "'(?P<a_b>x)y{2,1}', Illegal repetition range, 11",
        "'(?P<a_b>x)[unclosed', Unclosed character class, 18",
        "'\\U12', \\U needs 8 hexadecimal digits, 0",
    })
    void compile_invalid_reportsTheRegexAsGiven(String regex, String message, int index) {
        assertThatThrownBy(() -> PythonRegex.compile(regex))
                .isInstanceOfSatisfying(
                        PatternSyntaxException.class,
                        e -> {
                            assertThat(e.getPattern()).isEqualTo(regex);
                            assertThat(e.getDescription()).contains(message);
                            assertThat(e.getIndex()).isEqualTo(index);
                        });
    }

    @Test
    void compile_sameRegex_samePattern() {
        assertThat(PythonRegex.compile("(?P<n>\\d+)")).isSameAs(PythonRegex.compile("(?P<n>\\d+)"));
    }
}
