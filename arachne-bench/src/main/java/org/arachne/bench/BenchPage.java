package org.arachne.bench;

/** One page of the bench site as a crawler receives it: its absolute URL and its HTML. */
record BenchPage(String url, String html) {}
