package org.arachne.select;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A thread-safe cache of compiled selectors keyed by their source text. When full, an arbitrary
 * entry is dropped for each new one: selectors in a crawl are few and fixed, so eviction only
 * guards against unbounded growth from generated expressions.
 */
final class BoundedCache<V> {
    private final int maxSize;
    private final ConcurrentHashMap<String, V> map = new ConcurrentHashMap<>();

    BoundedCache(int maxSize) {
        this.maxSize = maxSize;
    }

    /** The cached value for {@code key}, compiling it on a miss; exceptions are not cached. */
    V get(String key, Function<String, V> compiler) {
        V value = map.get(key);
        if (value != null) {
            return value;
        }
        value = compiler.apply(key);
        if (map.size() >= maxSize) {
            Iterator<String> keys = map.keySet().iterator();
            if (keys.hasNext()) {
                map.remove(keys.next());
            }
        }
        V previous = map.putIfAbsent(key, value);
        return previous != null ? previous : value;
    }

    int size() {
        return map.size();
    }
}
