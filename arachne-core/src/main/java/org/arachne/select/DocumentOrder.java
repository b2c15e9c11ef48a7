package org.arachne.select;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.select.NodeTraversor;

/**
 * Puts query results (jsoup nodes and {@link AttrNode}s from one subtree) in XPath's document
 * order, each once: an element, then its attributes in their order, then its children. CSS queries
 * with several groups need this to give parsel's union; one group is in order already.
 */
final class DocumentOrder {
    private DocumentOrder() {}

    /** Sorts {@code results}, all from {@code root}'s subtree, and drops repeats, in place. */
    static void sortDistinct(Element root, List<Object> results) {
        if (results.size() < 2) {
            return;
        }
        Map<Node, Integer> positions = new IdentityHashMap<>();
        NodeTraversor.traverse((node, depth) -> positions.put(node, positions.size()), root);
        List<Object> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparingLong(result -> key(result, positions)));
        results.clear();
        long previous = -1;
        for (Object result : sorted) {
            long key = key(result, positions);
            if (key != previous) {
                results.add(result);
                previous = key;
            }
        }
    }

    /**
     * The node's position in the walk, times 2^20, plus 1 + the attribute's index for attributes.
     */
    private static long key(Object result, Map<Node, Integer> positions) {
        if (result instanceof AttrNode attr) {
            int index = 0;
            for (Attribute a : attr.owner().attributes()) {
                if (a.getKey().equals(attr.name())) {
                    break;
                }
                index++;
            }
            return ((long) positions.get(attr.owner()) << 20) + 1 + index;
        }
        return (long) positions.get((Node) result) << 20;
    }
}
