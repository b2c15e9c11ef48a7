package org.arachne.select;

import org.jsoup.nodes.Element;

/**
 * An attribute as an XPath node: jsoup's {@code Attribute} does not know its element, but the
 * parent axis ({@code @href/..}) and document order need it.
 */
record AttrNode(Element owner, String name, String value) {}
