package io.streammeter.metering.query;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Set;

/**
 * Who may read the query API: mounted before every route, it lets {@code /healthz} and {@code
 * /readyz} through and asks every other request, unknown paths included, for the admin token as
 * {@code Authorization: Bearer}. A request without it gets 401 and an error body that carries no
 * data. With {@code auth.mode=none} ({@code token} null) it lets everything through.
 *
 * <p>{@link QueryApi#LOCAL_HEADER} (answer from local stores only) is honoured only on a request
 * that carries the admin token: instances forward with it, so a caller cannot make an instance
 * answer partially, and a request without the token never reaches a route at all.
 */
public final class QueryAuth implements Handler<RoutingContext> {
    /** Probes of load balancers and orchestrators: no data, no token. */
    public static final Set<String> OPEN_PATHS = Set.of("/healthz", "/readyz");

    private static final String SCHEME = "bearer ";

    private final AdminToken token;

    /**
     * @param token the admin token; null lets every request through ({@code auth.mode=none})
     */
    public QueryAuth(AdminToken token) {
        this.token = token;
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (token == null || OPEN_PATHS.contains(ctx.normalizedPath())) {
            ctx.next();
            return;
        }
        String presented = bearer(ctx.request().getHeader("Authorization"));
        if (presented == null) {
            reject(
                    ctx,
                    ApiError.unauthorized(
                            "an admin token is required: Authorization: Bearer <token>"));
        } else if (!token.matches(presented)) {
            reject(ctx, ApiError.unauthorized("the token is not valid"));
        } else {
            ctx.next();
        }
    }

    private static void reject(RoutingContext ctx, ApiError error) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"streammeter\"");
        QueryApi.send(ctx, error.status(), error.body());
    }

    static String bearer(String header) {
        if (header == null
                || header.length() <= SCHEME.length()
                || !header.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME)) {
            return null;
        }
        String value = header.substring(SCHEME.length()).strip();
        return value.isEmpty() ? null : value;
    }
}
