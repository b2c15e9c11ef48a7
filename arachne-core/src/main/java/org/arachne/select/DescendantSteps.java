package org.arachne.select;

import java.util.List;
import java.util.Set;
import org.jaxen.JaxenException;
import org.jaxen.expr.AllNodeStep;
import org.jaxen.expr.BinaryExpr;
import org.jaxen.expr.CommentNodeStep;
import org.jaxen.expr.DefaultXPathFactory;
import org.jaxen.expr.Expr;
import org.jaxen.expr.FilterExpr;
import org.jaxen.expr.FunctionCallExpr;
import org.jaxen.expr.LocationPath;
import org.jaxen.expr.NameStep;
import org.jaxen.expr.PathExpr;
import org.jaxen.expr.Predicate;
import org.jaxen.expr.Predicated;
import org.jaxen.expr.Step;
import org.jaxen.expr.TextNodeStep;
import org.jaxen.expr.UnaryExpr;
import org.jaxen.saxpath.Axis;
import org.jspecify.annotations.Nullable;

/**
 * Rewrites {@code //x[p]} (Jaxen: {@code descendant-or-self::node()/child::x[p]}) into {@code
 * descendant::x[p]} when no predicate depends on position. Both select the same nodes in the same
 * order, but the first visits every node of the document and calls the child axis on each, with a
 * de-duplicating identity set; the second is one walk. This made {@code //article[@class='x']}
 * about twice as slow as the equivalent CSS query.
 *
 * <p>Positional predicates ({@code //li[2]}, anything using {@code position()} or {@code last()},
 * any predicate that may be a number) keep the original form, because there the position counts
 * among siblings, not among all descendants.
 */
final class DescendantSteps {
    private static final DefaultXPathFactory FACTORY = new DefaultXPathFactory();
    private static final Set<String> BOOLEAN_OPERATORS =
            Set.of("=", "!=", "<", ">", "<=", ">=", "and", "or", "|");
    private static final Set<String> BOOLEAN_FUNCTIONS =
            Set.of(
                    "not",
                    "true",
                    "false",
                    "boolean",
                    "contains",
                    "starts-with",
                    "ends-with",
                    "lang");

    private DescendantSteps() {}

    /** Rewrites in place every location path in {@code expr}, predicates included. */
    static void rewrite(@Nullable Expr expr) throws JaxenException {
        if (expr instanceof LocationPath path) {
            rewriteSteps(path.getSteps());
            for (Object step : path.getSteps()) {
                rewritePredicates((Step) step);
            }
        } else if (expr instanceof PathExpr path) {
            rewrite(path.getFilterExpr());
            rewrite(path.getLocationPath());
        } else if (expr instanceof FilterExpr filter) {
            rewrite(filter.getExpr());
            rewritePredicates(filter);
        } else if (expr instanceof BinaryExpr binary) {
            rewrite(binary.getLHS());
            rewrite(binary.getRHS());
        } else if (expr instanceof UnaryExpr unary) {
            rewrite(unary.getExpr());
        } else if (expr instanceof FunctionCallExpr call) {
            for (Object parameter : call.getParameters()) {
                rewrite((Expr) parameter);
            }
        }
    }

    private static void rewritePredicates(Predicated predicated) throws JaxenException {
        for (Object predicate : predicated.getPredicates()) {
            rewrite(((Predicate) predicate).getExpr());
        }
    }

    @SuppressWarnings("unchecked")
    private static void rewriteSteps(List<?> rawSteps) throws JaxenException {
        List<Step> steps = (List<Step>) rawSteps;
        for (int i = 0; i + 1 < steps.size(); i++) {
            Step first = steps.get(i);
            Step second = steps.get(i + 1);
            if (first instanceof AllNodeStep
                    && first.getAxis() == Axis.DESCENDANT_OR_SELF
                    && first.getPredicates().isEmpty()
                    && second.getAxis() == Axis.CHILD
                    && allNonPositional(second.getPredicates())) {
                Step descendant = descendantCopy(second);
                if (descendant != null) {
                    steps.set(i, descendant);
                    steps.remove(i + 1);
                }
            }
        }
    }

    private static @Nullable Step descendantCopy(Step step) throws JaxenException {
        Step copy;
        if (step instanceof NameStep name) {
            copy = FACTORY.createNameStep(Axis.DESCENDANT, name.getPrefix(), name.getLocalName());
        } else if (step instanceof TextNodeStep) {
            copy = FACTORY.createTextNodeStep(Axis.DESCENDANT);
        } else if (step instanceof CommentNodeStep) {
            copy = FACTORY.createCommentNodeStep(Axis.DESCENDANT);
        } else if (step instanceof AllNodeStep) {
            copy = FACTORY.createAllNodeStep(Axis.DESCENDANT);
        } else {
            return null;
        }
        for (Object predicate : step.getPredicates()) {
            copy.addPredicate((Predicate) predicate);
        }
        return copy;
    }

    private static boolean allNonPositional(List<?> predicates) {
        for (Object predicate : predicates) {
            Expr expr = ((Predicate) predicate).getExpr();
            String text = expr.getText();
            if (text.contains("position(") || text.contains("last(") || !isBoolean(expr)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the expression's value is a boolean or a node-set (never a number). */
    private static boolean isBoolean(Expr expr) {
        if (expr instanceof LocationPath) {
            return true;
        }
        if (expr instanceof BinaryExpr binary) {
            return BOOLEAN_OPERATORS.contains(binary.getOperator());
        }
        if (expr instanceof FunctionCallExpr call) {
            String prefix = call.getPrefix();
            return (prefix == null || prefix.isEmpty())
                    && BOOLEAN_FUNCTIONS.contains(call.getFunctionName());
        }
        return false;
    }
}
