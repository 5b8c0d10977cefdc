/**
 * The L7 HTTP/1.1 redirector: per request, requests the service declares safe for shadows (GET/HEAD by default,
 * or listed path prefixes) are split by weight, everything else goes to the primary; responses carry a header
 * naming the backend. Keep-alive on both sides (backend connections pooled per event loop); requests one at a
 * time per client connection; bounded request line, headers and body (414/431/413) and a deadline for a whole
 * request to arrive (408), so slow or oversized clients never hold up others.
 */
package io.shadowvm.redirect.l7;
