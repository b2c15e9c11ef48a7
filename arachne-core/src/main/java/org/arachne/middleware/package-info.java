/** Stages around the download: robots.txt, offsite and depth filters, retries and redirects. */
@NullMarked
package org.arachne.middleware;

import org.jspecify.annotations.NullMarked;
