package io.streammeter.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Checks, before anything starts, that each port the stack will listen on is free, so that a clash
 * is one line naming the port and the flag to change, not a minute of stack traces from whichever
 * component binds it first.
 */
final class FreePorts {
    private FreePorts() {}

    /**
     * @param flag the option that sets this port, named in the error
     * @throws IllegalStateException when {@code port} on {@code host} cannot be bound
     */
    static void require(String host, int port, String flag) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            throw new IllegalStateException(
                    "port "
                            + port
                            + " on "
                            + host
                            + " is in use or not allowed ("
                            + e.getMessage()
                            + "); choose another with "
                            + flag);
        }
    }
}
