package org.arachne.spider;

import java.io.Serializable;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import org.jspecify.annotations.Nullable;

/**
 * Finds the method name behind a callback method reference, so a request can store it, and refuses
 * a callback that the name would not find again: a lambda, or a method of another object than the
 * spider ({@code helper::parse} would silently run the spider's own {@code parse}, #8).
 */
public final class Callbacks {
    private Callbacks() {}

    /**
     * The name of the method of {@code spider} that a callback refers to.
     *
     * @throws IllegalArgumentException when the callback is not a method reference (for example a
     *     lambda that captures variables), or is a method of another object or class than {@code
     *     spider}
     */
    public static String nameOf(Callback callback, Spider spider) {
        return check(callback, spider);
    }

    /**
     * The name of the spider method a callback refers to, where the spider is not at hand (a {@link
     * Sitemaps} rule is built inside {@link Spider#sitemaps()}): the method must belong to a {@link
     * Spider} class and, if bound, to a spider object. {@link #nameOf(Callback, Spider)} also
     * checks that it is that spider.
     *
     * @throws IllegalArgumentException when the callback is not a method reference, or is a method
     *     of an object or class that is not a spider
     */
    public static String nameOf(Callback callback) {
        return check(callback, null);
    }

    /**
     * The name of the method of {@code spider} that an errback refers to, under the same rules as a
     * callback's.
     *
     * @throws IllegalArgumentException when the errback is not a method reference of {@code spider}
     */
    public static String errbackName(Errback errback, Spider spider) {
        return nameOfErrback(errback, spider);
    }

    /**
     * The name of the spider method an errback refers to, where the spider is not at hand: the
     * method must belong to a {@link Spider} class and, if bound, to a spider object.
     *
     * @throws IllegalArgumentException when the errback is not a method reference of a spider
     */
    public static String errbackName(Errback errback) {
        return nameOfErrback(errback, null);
    }

    private static String nameOfErrback(Errback errback, @Nullable Spider spider) {
        if (errback instanceof ReflectiveErrback reflective) {
            if (spider != null && reflective.spider() != spider) {
                throw notOfTheSpider(
                        errback, "another " + reflective.spider().getClass().getName());
            }
            return reflective.method().getName();
        }
        return check(errback, spider);
    }

    private static String check(Serializable callback, @Nullable Spider spider) {
        if (callback instanceof ReflectiveCallback reflective) {
            if (spider != null && reflective.spider() != spider) {
                throw notOfTheSpider(
                        callback, "another " + reflective.spider().getClass().getName());
            }
            return reflective.method().getName();
        }
        SerializedLambda lambda;
        try {
            Method writeReplace = callback.getClass().getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            lambda = (SerializedLambda) writeReplace.invoke(callback);
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw notNamed(callback);
        }
        String name = lambda.getImplMethodName();
        if (name.startsWith("lambda$") || lambda.getCapturedArgCount() > 1) {
            throw notNamed(callback);
        }
        if (lambda.getCapturedArgCount() == 1) {
            Object receiver = lambda.getCapturedArg(0);
            if (spider == null ? !(receiver instanceof Spider) : receiver != spider) {
                throw notOfTheSpider(callback, "a " + receiver.getClass().getName());
            }
        } else if (lambda.getImplMethodKind() == MethodHandleInfo.REF_invokeStatic) {
            Class<?> owner = loadOwner(lambda.getImplClass().replace('/', '.'), callback);
            if (owner == null
                    || !(spider == null
                            ? Spider.class.isAssignableFrom(owner)
                            : owner.isAssignableFrom(spider.getClass()))) {
                throw notOfTheSpider(callback, "class " + lambda.getImplClass().replace('/', '.'));
            }
        } else {
            throw notNamed(callback); // an unbound instance method cannot be (Response, Output)
        }
        return name;
    }

    private static @Nullable Class<?> loadOwner(String className, Serializable callback) {
        try {
            return Class.forName(className, false, callback.getClass().getClassLoader());
        } catch (ClassNotFoundException e) {
            return null; // the callback's own loader cannot see it: not a spider class
        }
    }

    private static IllegalArgumentException notNamed(Serializable callback) {
        return new IllegalArgumentException(
                "callback "
                        + callback
                        + " is not a method reference; pass a spider method such as"
                        + " this::parseBook so the request can name it (carry data in meta)");
    }

    private static IllegalArgumentException notOfTheSpider(Serializable callback, String owner) {
        return new IllegalArgumentException(
                "callback "
                        + callback
                        + " is a method of "
                        + owner
                        + ", not of the crawl's spider; a request stores only the method's name"
                        + " and the crawl calls that method on its spider, so use a method of the"
                        + " spider such as this::parseBook (which may call the other object)");
    }
}
