/** The sandbox's special routes: fault injection, charsets, link traps and a Douban-like list. */
@NullMarked
package org.arachne.sandbox.route;

import org.jspecify.annotations.NullMarked;
