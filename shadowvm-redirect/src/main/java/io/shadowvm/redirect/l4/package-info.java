/**
 * The L4 TCP redirector: a Netty proxy that picks a backend per new connection from the current routing
 * snapshot, relays bytes with backpressure (AUTO_READ off; read again only after the previous write succeeded),
 * handles half-close, and uses splice(2) between sockets when the epoll transport is available and splice is
 * enabled. The outbound channel shares the inbound channel's event loop, so one connection never crosses threads.
 */
package io.shadowvm.redirect.l4;
