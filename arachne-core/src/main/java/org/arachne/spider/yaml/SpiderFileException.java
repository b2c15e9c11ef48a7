package org.arachne.spider.yaml;

import java.util.List;

/**
 * A spider file that cannot be used, with every problem found in it. Unchecked: a bad spider file
 * is an input error to report, not a condition to recover from. The message has one line per
 * problem, each {@code FILE:LINE:COLUMN: FIELD: what is wrong}; the accessors describe the first.
 */
public final class SpiderFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<Problem> problems;

    /**
     * @throws IllegalArgumentException if {@code problems} is empty
     */
    public SpiderFileException(List<Problem> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    private static String message(List<Problem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a SpiderFileException needs at least one problem");
        }
        StringBuilder sb = new StringBuilder();
        for (Problem p : problems) {
            sb.append(sb.isEmpty() ? "" : "\n").append(p);
        }
        return sb.toString();
    }

    /** All problems, in the order they appear in the file. */
    public List<Problem> problems() {
        return problems;
    }

    public String file() {
        return problems.get(0).file();
    }

    /** Line of the first problem, from 1. */
    public int line() {
        return problems.get(0).line();
    }

    /** Column of the first problem, from 1. */
    public int column() {
        return problems.get(0).column();
    }

    /** Path of the key of the first problem, such as {@code items[0].fields.price.xpath}. */
    public String field() {
        return problems.get(0).field();
    }
}
