/**
 * Side-by-side benchmark of the Traffic Redirection Module's L4 and L7 proxies against HAProxy (Debian's 2.6),
 * same machine, same run, same Java load generator, with the direct (no proxy) figure as the limit.
 */
package io.shadowvm.bench.redirect;
