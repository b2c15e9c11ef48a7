package org.arachne.select;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.jaxen.BaseXPath;
import org.jaxen.DefaultNavigator;
import org.jaxen.JaxenException;
import org.jaxen.NamedAccessNavigator;
import org.jaxen.XPath;
import org.jaxen.util.SingleObjectIterator;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Comment;
import org.jsoup.nodes.DataNode;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jspecify.annotations.Nullable;

/**
 * Lets Jaxen walk jsoup's own nodes, so XPath runs on the parsed page without a W3C DOM copy.
 *
 * <p>XPath nodes are jsoup {@link Document}, {@link Element}, {@link TextNode} (and {@link
 * DataNode}, the text of {@code script} and {@code style}, as lxml sees it), {@link Comment}, and
 * {@link AttrNode} for attributes. Doctypes and XML declarations are not XPath nodes and are
 * skipped. HTML has no namespaces here: every name is in the null namespace, as with lxml's HTML
 * parser. Stateless, so one instance serves all threads.
 */
final class JsoupNavigator extends DefaultNavigator implements NamedAccessNavigator {
    static final JsoupNavigator INSTANCE = new JsoupNavigator();

    private JsoupNavigator() {}

    // ---- node kinds

    private static boolean isXPathNode(Node node) {
        return node instanceof Element
                || node instanceof TextNode
                || node instanceof DataNode
                || node instanceof Comment;
    }

    @Override
    public boolean isDocument(Object o) {
        return o instanceof Document;
    }

    @Override
    public boolean isElement(Object o) {
        return o instanceof Element && !(o instanceof Document);
    }

    @Override
    public boolean isAttribute(Object o) {
        return o instanceof AttrNode;
    }

    @Override
    public boolean isNamespace(Object o) {
        return false;
    }

    @Override
    public boolean isComment(Object o) {
        return o instanceof Comment;
    }

    @Override
    public boolean isText(Object o) {
        return o instanceof TextNode || o instanceof DataNode;
    }

    @Override
    public boolean isProcessingInstruction(Object o) {
        return false;
    }

    // ---- names and values

    @Override
    public String getElementNamespaceUri(Object element) {
        return "";
    }

    @Override
    public String getElementName(Object element) {
        return ((Element) element).tagName();
    }

    @Override
    public String getElementQName(Object element) {
        return ((Element) element).tagName();
    }

    @Override
    public String getAttributeNamespaceUri(Object attr) {
        return "";
    }

    @Override
    public String getAttributeName(Object attr) {
        return ((AttrNode) attr).name();
    }

    @Override
    public String getAttributeQName(Object attr) {
        return ((AttrNode) attr).name();
    }

    @Override
    public String getElementStringValue(Object element) {
        return stringValue((Node) element);
    }

    @Override
    public String getAttributeStringValue(Object attr) {
        return ((AttrNode) attr).value();
    }

    @Override
    public String getTextStringValue(Object text) {
        return text instanceof TextNode t ? t.getWholeText() : ((DataNode) text).getWholeData();
    }

    @Override
    public String getCommentStringValue(Object comment) {
        return ((Comment) comment).getData();
    }

    @Override
    public String getNamespaceStringValue(Object ns) {
        return "";
    }

    @Override
    public @Nullable String getNamespacePrefix(Object ns) {
        return null;
    }

    @Override
    public @Nullable String translateNamespacePrefixToUri(String prefix, Object element) {
        return null;
    }

    /** The XPath string value of a node: all its descendant text, in document order. */
    static String stringValue(Node node) {
        if (node instanceof TextNode t) {
            return t.getWholeText();
        }
        if (node instanceof DataNode d) {
            return d.getWholeData();
        }
        if (node instanceof Comment c) {
            return c.getData();
        }
        StringBuilder sb = new StringBuilder();
        for (Node n = descendantAfter(node, node); n != null; n = descendantAfter(n, node)) {
            if (n instanceof TextNode t) {
                sb.append(t.getWholeText());
            } else if (n instanceof DataNode d) {
                sb.append(d.getWholeData());
            }
        }
        return sb.toString();
    }

    // ---- structure

    @Override
    public Object getDocumentNode(Object contextNode) {
        Node node = contextNode instanceof AttrNode a ? a.owner() : (Node) contextNode;
        Document doc = node.ownerDocument();
        return doc != null ? doc : node.root();
    }

    @Override
    public @Nullable Object getParentNode(Object contextNode) {
        return contextNode instanceof AttrNode a ? a.owner() : ((Node) contextNode).parentNode();
    }

    @Override
    public @Nullable Object getElementById(Object contextNode, String elementId) {
        return ((Element) getDocumentNode(contextNode)).getElementById(elementId);
    }

    @Override
    public XPath parseXPath(String xpath) throws JaxenException {
        return new BaseXPath(xpath, this);
    }

    // ---- axes

    @Override
    public Iterator<Object> getChildAxisIterator(Object contextNode) {
        if (!(contextNode instanceof Element parent) || parent.childNodeSize() == 0) {
            return Collections.emptyIterator();
        }
        return new NodeWalk(parent.firstChild(), Node::nextSibling);
    }

    @Override
    public Iterator<Object> getChildAxisIterator(
            Object contextNode, String localName, String namespacePrefix, String namespaceUri) {
        if (!(contextNode instanceof Element parent) || parent.childNodeSize() == 0) {
            return Collections.emptyIterator();
        }
        return new NodeWalk(
                firstNamed(parent.firstChild(), localName),
                node -> firstNamed(node.nextSibling(), localName));
    }

    private static @Nullable Node firstNamed(@Nullable Node from, String localName) {
        Node n = from;
        while (n != null && !(n instanceof Element e && e.tagName().equals(localName))) {
            n = n.nextSibling();
        }
        return n;
    }

    @Override
    public Iterator<Object> getDescendantAxisIterator(Object contextNode) {
        if (!(contextNode instanceof Element root)) {
            return Collections.emptyIterator();
        }
        return new NodeWalk(descendantAfter(root, root), node -> descendantAfter(node, root));
    }

    @Override
    public Iterator<Object> getDescendantOrSelfAxisIterator(Object contextNode) {
        if (!(contextNode instanceof Element root)) {
            return new SingleObjectIterator(contextNode);
        }
        return new NodeWalk(root, node -> descendantAfter(node, root));
    }

    /** The node after {@code node} in a pre-order walk of {@code root}'s subtree, or null. */
    private static @Nullable Node descendantAfter(Node node, Node root) {
        if (node.childNodeSize() > 0) {
            return node.firstChild();
        }
        Node n = node;
        while (n != root) {
            Node sibling = n.nextSibling();
            if (sibling != null) {
                return sibling;
            }
            n = n.parentNode();
            if (n == null) {
                return null;
            }
        }
        return null;
    }

    @Override
    public Iterator<Object> getFollowingSiblingAxisIterator(Object contextNode) {
        if (!(contextNode instanceof Node node)) {
            return Collections.emptyIterator();
        }
        return new NodeWalk(node.nextSibling(), Node::nextSibling);
    }

    @Override
    public Iterator<Object> getPrecedingSiblingAxisIterator(Object contextNode) {
        if (!(contextNode instanceof Node node)) {
            return Collections.emptyIterator();
        }
        return new NodeWalk(node.previousSibling(), Node::previousSibling);
    }

    @Override
    public Iterator<Object> getAttributeAxisIterator(Object contextNode) {
        if (!(contextNode instanceof Element element)
                || contextNode instanceof Document
                || element.attributesSize() == 0) {
            return Collections.emptyIterator();
        }
        List<Object> attrs = new ArrayList<>(element.attributesSize());
        for (Attribute a : element.attributes()) {
            attrs.add(new AttrNode(element, a.getKey(), a.getValue()));
        }
        return attrs.iterator();
    }

    @Override
    public Iterator<Object> getAttributeAxisIterator(
            Object contextNode, String localName, String namespacePrefix, String namespaceUri) {
        if (contextNode instanceof Element element
                && element.attributesSize() > 0
                && element.attributes().hasKey(localName)) {
            return new SingleObjectIterator(
                    new AttrNode(element, localName, element.attributes().get(localName)));
        }
        return Collections.emptyIterator();
    }

    /** One move along an axis; null when the axis ends. */
    @FunctionalInterface
    private interface Step {
        @Nullable Node after(Node node);
    }

    /** Walks nodes one step at a time, skipping those that are not XPath nodes (doctypes). */
    private static final class NodeWalk implements Iterator<Object> {
        private final Step step;
        private @Nullable Node next;

        NodeWalk(@Nullable Node first, Step step) {
            this.step = step;
            this.next = skip(first);
        }

        private @Nullable Node skip(@Nullable Node node) {
            Node n = node;
            while (n != null && !isXPathNode(n)) {
                n = step.after(n);
            }
            return n;
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public Object next() {
            Node current = next;
            if (current == null) {
                throw new NoSuchElementException();
            }
            next = skip(step.after(current));
            return current;
        }
    }
}
