/** URLs: resolving links, the canonical form, hosts and origins; depends on no other package. */
@NullMarked
package org.arachne.url;

import org.jspecify.annotations.NullMarked;
