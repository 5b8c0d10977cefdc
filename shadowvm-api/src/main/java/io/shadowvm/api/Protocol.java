package io.shadowvm.api;

/** Constants of the agent ↔ controller protocol and the REST API. */
public final class Protocol {
    /** The wire protocol version, independent of the release; see {@code agent_control.proto}. */
    public static final int PROTOCOL_VERSION = 1;
    /** Default gRPC port agents connect to. */
    public static final int DEFAULT_GRPC_PORT = 7420;
    /** Default REST port ({@code /api/v1}, {@code /metrics}). */
    public static final int DEFAULT_HTTP_PORT = 7421;
    /** REST path prefix. */
    public static final String API_PREFIX = "/api/v1";
    /** Largest gRPC message either side accepts (a telemetry batch of a large host fits easily). */
    public static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

    private Protocol() {
    }
}
