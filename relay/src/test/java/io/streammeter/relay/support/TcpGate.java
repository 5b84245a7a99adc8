package io.streammeter.relay.support;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real TCP proxy in front of a server that a test can close and open: while closed, every
 * connection is accepted and closed at once (what a client of a stopped broker sees); while open,
 * bytes are piped both ways. Give a Kafka client its {@link #address()} as bootstrap server: the
 * client learns the broker's own address from it, so the gate governs whether the cluster can be
 * found at all.
 */
public final class TcpGate implements AutoCloseable {
    private final Vertx vertx;
    private final NetServer server;
    private final NetClient client;
    private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean open;

    private TcpGate(Vertx vertx, String target, boolean open) {
        this.vertx = vertx;
        this.open = open;
        String host = target.substring(0, target.lastIndexOf(':'));
        int port = Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
        this.client = vertx.createNetClient();
        this.server =
                vertx.createNetServer()
                        .connectHandler(
                                in -> {
                                    if (!this.open) {
                                        in.close();
                                        return;
                                    }
                                    in.pause();
                                    client.connect(port, host)
                                            .onSuccess(out -> pipe(in, out))
                                            .onFailure(e -> in.close());
                                });
    }

    /** A gate on {@code target} ({@code host:port}), closed or open, listening on a free port. */
    public static TcpGate start(Vertx vertx, String target, boolean open) {
        TcpGate gate = new TcpGate(vertx, target, open);
        Harness.await(gate.server.listen(0, "127.0.0.1"));
        return gate;
    }

    private void pipe(NetSocket in, NetSocket out) {
        sockets.add(in);
        sockets.add(out);
        in.closeHandler(v -> out.close());
        out.closeHandler(v -> in.close());
        in.pipeTo(out);
        out.pipeTo(in);
        in.resume();
    }

    public String address() {
        return "127.0.0.1:" + server.actualPort();
    }

    public void open() {
        open = true;
    }

    /** Refuses new connections and cuts the ones piped now. */
    public void shut() {
        open = false;
        sockets.forEach(NetSocket::close);
        sockets.clear();
    }

    /** Shuts the gate and stops listening. */
    @Override
    public void close() {
        shut();
        Harness.await(server.close());
        Harness.await(client.close());
    }
}
