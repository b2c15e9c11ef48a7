/**
 * Spiders written in YAML instead of Java: the file format, its validation with located errors, and
 * the spider that runs a parsed definition.
 */
@NullMarked
package org.arachne.spider.yaml;

import org.jspecify.annotations.NullMarked;
