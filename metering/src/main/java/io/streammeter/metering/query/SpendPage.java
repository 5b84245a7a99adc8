package io.streammeter.metering.query;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The spend page at {@code /ui/}: static files shipped in the jar ({@code src/main/resources/ui}),
 * no build step and nothing fetched at run time. The page holds no figures of its own: it calls the
 * query API's routes with the admin token the user gives it, so it shows what a billing backend
 * reads as JSON.
 */
public final class SpendPage {
    /** Where the page is served. */
    public static final String PATH = "/ui/";

    private SpendPage() {}

    public static void mount(Router router) {
        // Vert.x matches "/ui" for "/ui/" too: redirect the bare path only.
        router.get("/ui")
                .handler(
                        ctx -> {
                            if (ctx.request().path().equals("/ui")) {
                                ctx.redirect(PATH);
                            } else {
                                ctx.next();
                            }
                        });
        router.get(PATH + "*")
                .handler(
                        StaticHandler.create("ui")
                                .setCachingEnabled(false)
                                .setDirectoryListing(false));
    }
}
