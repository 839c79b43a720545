package dev.logdist.bulk;

import org.apache.camel.builder.RouteBuilder;

/**
 * The read calls of {@link EsReadCalls}, under {@code /es} and at the root (where they do not clash with the
 * distributor's own paths: the root itself is the live page, so the version is served at {@code /es} only). Cheap
 * answers on platform-http's own consumer. A Java RouteBuilder because the routes are one per call and path.
 */
public final class EsReadRoutes extends RouteBuilder {

    private final EsReadCalls calls;

    public EsReadRoutes(EsReadCalls calls) {
        this.calls = calls;
    }

    @Override
    public void configure() {
        for (EsReadCalls.Call call : EsReadCalls.Call.values()) {
            String[] paths = call.paths();
            for (int i = 0; i < paths.length; i++) {
                String suffix = paths.length > 1 ? "-" + i : "";
                String id = "es-read-" + call.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + suffix;
                route(BulkPaths.PREFIX + paths[i], id, call);
                if (call != EsReadCalls.Call.VERSION) {
                    route(paths[i], id + "-root", call);
                }
            }
        }
    }

    private void route(String path, String id, EsReadCalls.Call call) {
        boolean writable = call == EsReadCalls.Call.INDEX_TEMPLATE || call == EsReadCalls.Call.TEMPLATE
                || call == EsReadCalls.Call.ILM_POLICY;
        from("platform-http:" + path + "?httpMethodRestrict=" + (writable ? "GET,HEAD,PUT" : "GET,HEAD")).routeId(id)
                .process(exchange -> calls.answer(exchange, call)).id(id + "-answer");
    }
}
