package io.streammeter.metering.query;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Set;

/**
 * Who may read the query API: mounted before every route, it lets {@code /healthz}, {@code /readyz}
 * and the spend page's static files ({@code /ui/}) through and asks every other request, unknown
 * paths included, for the admin token as {@code Authorization: Bearer}. A request without it gets
 * 401 and an error body that carries no data. With {@code auth.mode=none} ({@code token} null) it
 * lets everything through.
 *
 * <p>With {@code auth.key-id-pepper} set, an active platform key may read its own spend ({@code GET
 * /v1/spend?key_id=<its key id>}, one {@code key_id}) and gets 403 and no data anywhere else.
 *
 * <p>{@link QueryApi#LOCAL_HEADER} (answer from local stores only) is honoured only on a request
 * that carries the admin token: instances forward with it, so a caller cannot make an instance
 * answer partially, and a request without the token never reaches a route at all.
 */
public final class QueryAuth implements Handler<RoutingContext> {
    /** Probes of load balancers and orchestrators: no data, no token. */
    public static final Set<String> OPEN_PATHS = Set.of("/healthz", "/readyz");

    private static final String SCHEME = "bearer ";

    /** The one route a platform key may use, for its own key id only. */
    static final String OWN_SPEND = "/v1/spend";

    private final AdminToken token;
    private final PlatformKeys platformKeys;

    /**
     * @param token the admin token; null lets every request through ({@code auth.mode=none})
     * @param platformKeys active platform keys, which may read their own spend; null for none
     */
    public QueryAuth(AdminToken token, PlatformKeys platformKeys) {
        this.token = token;
        this.platformKeys = platformKeys;
    }

    /** The probes, and the spend page's static files: they hold no data, its API calls do. */
    static boolean open(String path) {
        return OPEN_PATHS.contains(path) || path.equals("/ui") || path.startsWith("/ui/");
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (token == null || open(ctx.normalizedPath())) {
            ctx.next();
            return;
        }
        String presented = bearer(ctx.request().getHeader("Authorization"));
        if (presented == null) {
            reject(
                    ctx,
                    ApiError.unauthorized(
                            "an admin token is required: Authorization: Bearer <token>"));
        } else if (token.matches(presented)) {
            ctx.next();
        } else {
            String keyId = platformKeys == null ? null : platformKeys.activeKeyId(presented);
            if (keyId == null) {
                reject(ctx, ApiError.unauthorized("the token is not valid"));
            } else if (!ctx.normalizedPath().equals(OWN_SPEND)
                    || !keyId.equals(ctx.request().getParam("key_id"))
                    || ctx.request().params().getAll("key_id").size() != 1) {
                QueryApi.send(
                        ctx,
                        403,
                        ApiError.forbidden("a platform key may read only its own spend").body());
            } else {
                // Only instances forward (with the admin token); a platform key never decides.
                ctx.request().headers().remove(QueryApi.LOCAL_HEADER);
                ctx.next();
            }
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
