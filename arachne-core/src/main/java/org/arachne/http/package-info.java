/** HTTP values (requests, responses, headers) and the downloader that turns one into the other. */
@NullMarked
package org.arachne.http;

import org.jspecify.annotations.NullMarked;
