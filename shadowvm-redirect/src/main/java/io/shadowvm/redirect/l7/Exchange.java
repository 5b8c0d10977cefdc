package io.shadowvm.redirect.l7;

import io.netty.handler.codec.http.FullHttpResponse;

/** The client side waiting for one backend response. Called on the client's event loop. */
interface Exchange {
    void onResponse(FullHttpResponse response);

    /** The backend connection failed before a whole response arrived. */
    void onFailure(Throwable cause);
}
