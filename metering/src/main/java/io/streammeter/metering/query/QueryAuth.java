package io.streammeter.metering.query;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
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
 * /v1/spend?key_id=<its key id>}, one {@code key_id}), its own line items ({@code GET /v1/keys/<its
 * key id>/line-items}) and the line item of a stream it made ({@code GET /v1/line-items/<stream
 * id>}, the {@code X-Stream-Id} the relay gave it: the route checks the owner, see {@link
 * #platformKeyId}), and gets 403 and no data anywhere else.
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

    /** Where a platform key may read one line item: the route checks it is the key's own. */
    static final String LINE_ITEM_PREFIX = "/v1/line-items/";

    private static final String KEY_ID = "streammeter.platformKeyId";

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
            } else if (!mayRead(ctx, keyId)) {
                QueryApi.send(
                        ctx,
                        403,
                        ApiError.forbidden(
                                        "a platform key may read only its own spend and line"
                                                + " items")
                                .body());
            } else {
                ctx.put(KEY_ID, keyId);
                // Only instances forward (with the admin token); a platform key never decides.
                ctx.request().headers().remove(QueryApi.LOCAL_HEADER);
                ctx.next();
            }
        }
    }

    /** The routes a platform key may ask: its own spend, its own line items, a line item. */
    private static boolean mayRead(RoutingContext ctx, String keyId) {
        if (ctx.request().method() != HttpMethod.GET) {
            return false; // reading only
        }
        String path = ctx.normalizedPath();
        if (path.equals(OWN_SPEND)) {
            return keyId.equals(ctx.request().getParam("key_id"))
                    && ctx.request().params().getAll("key_id").size() == 1;
        }
        if (path.equals(BudgetRoutes.BUDGET)) {
            return keyId.equals(ctx.request().getParam("key_id"))
                    && ctx.request().params().getAll("key_id").size() == 1;
        }
        if (path.equals("/v1/keys/" + keyId + "/line-items")) {
            return true;
        }
        return path.startsWith(LINE_ITEM_PREFIX)
                && path.indexOf('/', LINE_ITEM_PREFIX.length()) < 0;
    }

    /**
     * The key id of the platform key that made this request, or null for the admin (or no auth). A
     * route that answers a platform key data it cannot tell from the path must check the owner.
     */
    public static String platformKeyId(RoutingContext ctx) {
        return ctx.get(KEY_ID);
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
