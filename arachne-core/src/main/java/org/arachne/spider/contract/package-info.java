/**
 * Spider contracts (Scrapy's): what one callback must produce for one URL, checked by {@code
 * arachne check --contracts}.
 */
@NullMarked
package org.arachne.spider.contract;

import org.jspecify.annotations.NullMarked;
