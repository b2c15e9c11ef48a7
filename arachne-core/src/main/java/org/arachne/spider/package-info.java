/** Spiders: where a crawl starts and the callbacks that turn responses into items and requests. */
@NullMarked
package org.arachne.spider;

import org.jspecify.annotations.NullMarked;
