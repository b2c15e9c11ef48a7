package org.arachne.select;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles regular expressions as Scrapy users write them, in the syntax of Python's {@code re}
 * module, to {@link Pattern}s that match what Python matches. Every regex a user gives Arachne
 * ({@code Selection.re}, YAML {@code regex}, {@code url_pattern}, link {@code allow}/{@code deny},
 * sitemap rules) is compiled here. Java's own syntax keeps working wherever Python has no meaning
 * for it ({@code (?<name>...)}, {@code \p{L}}, possessive quantifiers).
 *
 * <p>What changes on the way to Java:
 *
 * <ul>
 *   <li>{@code (?P<name>...)} becomes {@code (?<name>...)} and {@code (?P=name)} becomes {@code
 *       \k<name>}. Java group names hold ASCII letters and digits only, so other characters are
 *       dropped ({@code first_name} is the Java group {@code firstname}; a name that then clashes
 *       gets a number). {@code extract} keeps its name.
 *   <li>{@code \w}, {@code \d}, {@code \s}, {@code \b} are Unicode-aware, as in Python 3 ({@link
 *       Pattern#UNICODE_CHARACTER_CLASS}: {@code cumpleaños} is one word); {@code (?a)} turns that
 *       off, as Python's ASCII flag does.
 *   <li>Only {@code \n} ends a line for {@code .}, {@code ^} and {@code $} ({@link
 *       Pattern#UNIX_LINES}); {@code \Z} is the end of the text (Java's {@code \z}).
 *   <li>A <code>&#123;</code> that does not start a quantifier is a literal, as in Python ({@code
 *       var data = ({.*?});}); {@code {,n}} means {@code {0,n}}.
 *   <li>In a character class, {@code [} and {@code &} are literals (Java reads nested classes and
 *       {@code &&}); {@code \b} is backspace and {@code \v} is U+000B, as in Python.
 *   <li>{@code (?#...)} comments are dropped; {@code \UXXXXXXXX} is the code point XXXXXXXX; {@code
 *       \0} and {@code \012} are octal escapes.
 * </ul>
 *
 * <p>Errors: a {@link PatternSyntaxException} whose pattern is the regex as given and whose index
 * points into it. Conditional groups ({@code (?(1)a|b)}) are refused: Java has none.
 *
 * <p>Thread-safety: compiled patterns are cached (bounded) and, as all patterns, immutable.
 */
public final class PythonRegex {
    private static final BoundedCache<Pattern> CACHE = new BoundedCache<>(1024);
    private static final int FLAGS = Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNIX_LINES;
    private static final Pattern JAVA_GROUP_NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9]*");
    private static final Pattern NAMED_GROUP = Pattern.compile("\\(\\?P?<([^>=!][^>]*)>");
    private static final Pattern QUANTIFIER = Pattern.compile("\\{(\\d*)(,(\\d*))?}");
    private static final Pattern INLINE_FLAGS =
            Pattern.compile("\\(\\?([a-zA-Z]*)(?:-([a-zA-Z]*))?[:)]");

    private final String regex;
    private final StringBuilder out;

    /** For each character of {@link #out}, the index in {@link #regex} it came from. */
    private int[] origins;

    private final Map<String, String> javaNames = new HashMap<>();
    private final Set<String> usedNames = new HashSet<>();
    private final Set<String> definedGroups = new HashSet<>();
    private int pos;

    private PythonRegex(String regex) {
        this.regex = regex;
        this.out = new StringBuilder(regex.length() + 16);
        this.origins = new int[regex.length() + 16];
        Matcher names = NAMED_GROUP.matcher(regex);
        while (names.find()) {
            if (JAVA_GROUP_NAME.matcher(names.group(1)).matches()) {
                usedNames.add(names.group(1));
            }
        }
    }

    /**
     * Compiles {@code regex}, written for Python's {@code re}, or takes it from the cache.
     *
     * @throws PatternSyntaxException if it is not a valid regex, with the index in {@code regex}
     */
    public static Pattern compile(String regex) {
        return CACHE.get(regex, PythonRegex::translateAndCompile);
    }

    /** The Java syntax {@link #compile} gives {@code regex}, for messages and tests. */
    static String toJava(String regex) {
        PythonRegex translation = new PythonRegex(regex);
        translation.translate();
        return translation.out.toString();
    }

    private static Pattern translateAndCompile(String regex) {
        PythonRegex translation = new PythonRegex(regex);
        translation.translate();
        try {
            return Pattern.compile(translation.out.toString(), FLAGS);
        } catch (PatternSyntaxException e) {
            throw new PatternSyntaxException(
                    e.getDescription(), regex, translation.originOf(e.getIndex()));
        }
    }

    private int originOf(int index) {
        if (index < 0) {
            return -1;
        }
        return index < out.length() ? origins[index] : regex.length();
    }

    private void emit(CharSequence s, int origin) {
        if (out.length() + s.length() > origins.length) {
            int[] bigger = new int[Math.max(origins.length * 2, out.length() + s.length())];
            System.arraycopy(origins, 0, bigger, 0, out.length());
            origins = bigger;
        }
        for (int i = 0; i < s.length(); i++) {
            origins[out.length() + i] = origin;
        }
        out.append(s);
    }

    private void emit(char c, int origin) {
        emit(String.valueOf(c), origin);
    }

    private PatternSyntaxException error(String description, int index) {
        return new PatternSyntaxException(description, regex, index);
    }

    private void translate() {
        while (pos < regex.length()) {
            char c = regex.charAt(pos);
            switch (c) {
                case '\\' -> escape(false);
                case '[' -> characterClass();
                case '(' -> group();
                case '{' -> brace();
                default -> emit(c, pos++);
            }
        }
    }

    /** Copies the escape at {@link #pos} (a backslash and what follows), translated. */
    private void escape(boolean inClass) {
        int start = pos;
        if (pos + 1 >= regex.length()) {
            emit('\\', pos++);
            return;
        }
        char next = regex.charAt(pos + 1);
        pos += 2;
        switch (next) {
            case 'Z' -> emit(inClass ? "\\Z" : "\\z", start);
            case 'v' -> emit("\\x0B", start);
            case 'b' -> emit(inClass ? "\\x08" : "\\b", start);
            case '0' -> {
                int end = pos;
                while (end < regex.length() && end < pos + 2 && isOctalDigit(regex.charAt(end))) {
                    end++;
                }
                int code = end == pos ? 0 : Integer.parseInt(regex.substring(pos, end), 8);
                emit("\\x{" + Integer.toHexString(code) + "}", start);
                pos = end;
            }
            case 'Q' -> {
                int end = regex.indexOf("\\E", pos);
                end = end < 0 ? regex.length() : end + 2;
                emit(regex.substring(start, end), start);
                pos = end;
            }
            case 'U' -> {
                int end = pos + 8;
                if (end > regex.length()
                        || !regex.substring(pos, end).chars().allMatch(PythonRegex::isHexDigit)) {
                    throw error("\\U needs 8 hexadecimal digits", start);
                }
                emit("\\x{" + regex.substring(pos, end) + "}", start);
                pos = end;
            }
            case 'p', 'P', 'x', 'N' -> {
                // \p{L}, \x{1F600}, \N{name}: the braces belong to the escape
                int end = pos;
                if (regex.startsWith("{", pos)) {
                    int close = regex.indexOf('}', pos);
                    end = close < 0 ? regex.length() : close + 1;
                }
                emit(regex.substring(start, end), start);
                pos = end;
            }
            default -> emit("\\" + next, start);
        }
    }

    private static boolean isOctalDigit(char c) {
        return c >= '0' && c <= '7';
    }

    private static boolean isHexDigit(int c) {
        return Character.digit(c, 16) >= 0 && c < 128;
    }

    /** Copies a character class: {@code ]} first is a literal; {@code [} and {@code &} are too. */
    private void characterClass() {
        emit('[', pos++);
        if (pos < regex.length() && regex.charAt(pos) == '^') {
            emit('^', pos++);
        }
        if (pos < regex.length() && regex.charAt(pos) == ']') {
            emit("\\]", pos++);
        }
        while (pos < regex.length()) {
            char c = regex.charAt(pos);
            switch (c) {
                case '\\' -> escape(true);
                case '[', '&' -> emit("\\" + c, pos++);
                case ']' -> {
                    emit(']', pos++);
                    return;
                }
                default -> emit(c, pos++);
            }
        }
        // unterminated: Pattern.compile reports it
    }

    /** Copies an opening parenthesis and the group syntax after it, translated. */
    private void group() {
        int start = pos;
        if (!regex.startsWith("(?", pos)) {
            emit('(', pos++);
            return;
        }
        if (regex.startsWith("(?P<", pos)) {
            namedGroup(start, pos + 4);
        } else if (regex.startsWith("(?<", pos)
                && pos + 3 < regex.length()
                && regex.charAt(pos + 3) != '='
                && regex.charAt(pos + 3) != '!') {
            namedGroup(start, pos + 3);
        } else if (regex.startsWith("(?P=", pos)) {
            int end = regex.indexOf(')', pos);
            if (end < 0) {
                throw error("missing ), unterminated name", start);
            }
            emit("\\k<" + javaName(regex.substring(pos + 4, end)) + ">", start);
            pos = end + 1;
        } else if (regex.startsWith("(?#", pos)) {
            int end = regex.indexOf(')', pos);
            if (end < 0) {
                throw error("missing ), unterminated comment", start);
            }
            pos = end + 1;
        } else if (regex.startsWith("(?(", pos)) {
            throw error("conditional groups (?(...)...) are not supported", start);
        } else {
            inlineFlags(start);
        }
    }

    private void namedGroup(int start, int nameStart) {
        int end = regex.indexOf('>', nameStart);
        if (end < 0) {
            throw error("missing >, unterminated name", start);
        }
        String name = regex.substring(nameStart, end);
        if (name.isEmpty()) {
            throw error("missing group name", start);
        }
        if (!definedGroups.add(name)) {
            throw error("redefinition of group name '" + name + "'", start);
        }
        emit("(?<" + javaName(name) + ">", start);
        pos = end + 1;
    }

    /** The Java name of Python group {@code name}: itself when Java allows it, else a new one. */
    private String javaName(String name) {
        String known = javaNames.get(name);
        if (known != null) {
            return known;
        }
        String javaName = name;
        if (!JAVA_GROUP_NAME.matcher(name).matches()) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (c < 128 && Character.isLetterOrDigit(c)) {
                    sb.append(c);
                }
            }
            String base =
                    sb.isEmpty() || !Character.isLetter(sb.charAt(0)) ? "g" + sb : sb.toString();
            javaName = base;
            for (int n = 2; usedNames.contains(javaName); n++) {
                javaName = base + n;
            }
        }
        javaNames.put(name, javaName);
        usedNames.add(javaName);
        return javaName;
    }

    /** Copies {@code (?flags)} or {@code (?flags:}, with Python's ASCII flag {@code a} as -U. */
    private void inlineFlags(int start) {
        Matcher m = INLINE_FLAGS.matcher(regex).region(pos, regex.length());
        if (!m.lookingAt() || (m.group(1).indexOf('a') < 0 && m.group(2) == null)) {
            emit("(?", start);
            pos += 2;
            return;
        }
        String on = m.group(1).replace("a", "");
        String off = (m.group(2) == null ? "" : m.group(2)) + (on.equals(m.group(1)) ? "" : "U");
        String close = regex.substring(m.end() - 1, m.end());
        emit("(?" + on + (off.isEmpty() ? "" : "-" + off) + close, start);
        pos = m.end();
    }

    /**
     * A brace: a quantifier as Python reads one ({@code {,n}} is {@code {0,n}}), else a literal.
     */
    private void brace() {
        Matcher m = QUANTIFIER.matcher(regex).region(pos, regex.length());
        if (!m.lookingAt() || m.end() - pos == 2) {
            emit("\\{", pos++);
            return;
        }
        String min = m.group(1).isEmpty() ? "0" : m.group(1);
        String rest = m.group(2) == null ? "" : "," + m.group(3);
        emit("{" + min + rest + "}", pos);
        pos = m.end();
    }
}
