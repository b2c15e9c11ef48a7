package org.arachne.sandbox;

/**
 * What one book page of the generated site shows, as a spider should extract it from the page: its
 * absolute URL, the title of its {@code <h1>}, its price as written ({@code £12.34}) and its UPC.
 * Listings show the same title (in the link's {@code title}) and price for it. Immutable.
 */
public record BookPage(String url, String title, String price, String upc) {}
