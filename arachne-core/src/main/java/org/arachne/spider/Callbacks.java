package org.arachne.spider;

import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;

/** Finds the method name behind a callback method reference, so a request can store it. */
public final class Callbacks {
    private Callbacks() {}

    /**
     * The name of the spider method a callback refers to.
     *
     * @throws IllegalArgumentException when the callback is not a reference to a named method (for
     *     example a lambda that captures variables)
     */
    public static String nameOf(Callback callback) {
        if (callback instanceof ReflectiveCallback reflective) {
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
        return name;
    }

    private static IllegalArgumentException notNamed(Callback callback) {
        return new IllegalArgumentException(
                "callback "
                        + callback
                        + " is not a method reference; pass a spider method such as"
                        + " this::parseBook so the request can name it (carry data in meta)");
    }
}
