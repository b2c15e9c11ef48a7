package org.arachne.spider.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.arachne.http.Response;
import org.arachne.spider.Output;
import org.arachne.spider.Spider;
import org.jspecify.annotations.Nullable;

/**
 * Reads the {@link Contract} annotations of a Java spider's callbacks into {@link SpiderContract}s.
 * (A YAML spider's contracts come from its file: {@code YamlSpiders.contracts}.)
 */
public final class Contracts {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Contracts() {}

    /**
     * The contracts annotated on the callbacks of {@code spiderClass} and its superclasses, by
     * method name then in the order written; empty when there is none.
     *
     * @throws IllegalArgumentException naming the method when a contract is on a method that is no
     *     callback ({@code void name(Response, Output)}), or has a bad URL, range or pattern
     */
    public static List<SpiderContract> of(Class<? extends Spider> spiderClass) {
        List<SpiderContract> contracts = new ArrayList<>();
        for (Class<?> type = spiderClass; type != null; type = type.getSuperclass()) {
            Method[] methods = type.getDeclaredMethods();
            Arrays.sort(methods, Comparator.comparing(Method::getName));
            for (Method method : methods) {
                for (Contract contract : method.getAnnotationsByType(Contract.class)) {
                    contracts.add(contract(method, contract));
                }
            }
        }
        return List.copyOf(contracts);
    }

    private static SpiderContract contract(Method method, Contract contract) {
        String where = method.getDeclaringClass().getName() + "." + method.getName();
        if (!Arrays.equals(
                method.getParameterTypes(), new Class<?>[] {Response.class, Output.class})) {
            throw new IllegalArgumentException(
                    "@Contract on "
                            + where
                            + ": not a callback; a callback is void "
                            + method.getName()
                            + "(Response, Output)");
        }
        try {
            return new SpiderContract(
                    method.getName(),
                    contract.url(),
                    method.getName(),
                    bounds(contract.items()),
                    List.of(contract.scrapes()),
                    bounds(contract.requests()),
                    contract.requestPattern().isEmpty() ? null : contract.requestPattern(),
                    meta(contract.meta()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("@Contract on " + where + ": " + e.getMessage(), e);
        }
    }

    /** The meta of a contract, from its JSON object. */
    private static Map<String, Object> meta(String json) {
        if (json.isBlank()) {
            return Map.of();
        }
        try {
            return MAPPER.readValue(json, new TypeReference<Map<String, Object>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "meta is no JSON object: " + e.getOriginalMessage(), e);
        }
    }

    private static @Nullable Bounds bounds(Range range) {
        if (range.min() == 0 && range.max() == Integer.MAX_VALUE) {
            return null;
        }
        return new Bounds(range.min(), range.max());
    }
}
