package io.streammeter.metering.query;

/**
 * The one error type of the query API, carrying its HTTP status. Bodies are {@code {"error":
 * {"type": ..., "message": ..., "parameter": ...}}}; {@code parameter} only for bad parameters.
 */
public final class ApiError extends RuntimeException {
    private final int status;
    private final String type;
    private final String parameter;

    private ApiError(int status, String type, String message, String parameter) {
        super(message);
        this.status = status;
        this.type = type;
        this.parameter = parameter;
    }

    /** 400: a query parameter is missing or wrong; the message names it. */
    public static ApiError badParameter(String parameter, String message) {
        return new ApiError(400, "invalid_request", parameter + ": " + message, parameter);
    }

    /** 400: a field of a request body is missing or wrong; the message starts with its name. */
    public static ApiError invalidField(String field, String message) {
        return new ApiError(400, "invalid_request", message, field);
    }

    /** 404: no platform key with this id. */
    public static ApiError noKey(String keyId) {
        return new ApiError(404, "not_found", "no key " + keyId, null);
    }

    /** 401: no token, or not a valid one; the body says which, and carries nothing else. */
    public static ApiError unauthorized(String message) {
        return new ApiError(401, "unauthorized", message, null);
    }

    /** 403: a valid caller asking for what is not theirs. */
    public static ApiError forbidden(String message) {
        return new ApiError(403, "forbidden", message, null);
    }

    /** 404: the customer has no budget of its own. */
    public static ApiError noCustomerBudget(String customer) {
        return new ApiError(404, "not_found", "no budget for customer " + customer, null);
    }

    /** 404: no route at this path. */
    public static ApiError notFound(String path) {
        return new ApiError(404, "not_found", "no route " + path, null);
    }

    /** 404: no line item of this stream within the retention. */
    public static ApiError noLineItem(String streamId) {
        return new ApiError(
                404,
                "not_found",
                "no line item for stream "
                        + streamId
                        + " (still open, unknown, or older than the spend retention)",
                null);
    }

    /** 405: the route exists, the method does not. */
    public static ApiError methodNotAllowed(String method) {
        return new ApiError(405, "method_not_allowed", method + " is not allowed here", null);
    }

    /** 503: the stores are not queryable right now (starting, rebalancing); retry. */
    public static ApiError unavailable(String message) {
        return new ApiError(503, "unavailable", message, null);
    }

    /** 502: the instance holding the data did not answer properly. */
    public static ApiError peerFailed(String message) {
        return new ApiError(502, "peer_failed", message, null);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String parameter() {
        return parameter;
    }

    /** The JSON body, as a record Jackson writes. */
    public Body body() {
        return new Body(new Body.Error(type, getMessage(), parameter));
    }

    /** The wire form of an error. */
    public record Body(Error error) {
        /** The error itself. */
        public record Error(String type, String message, String parameter) {}
    }
}
