package io.afd.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Loopback TCP helpers: free ports and "does something accept connections here". */
public final class Ports {

    /** The loopback address every service of the infrastructure binds to. */
    public static final String LOOPBACK = "127.0.0.1";

    private Ports() {}

    /**
     * A TCP port that was free on 127.0.0.1 a moment ago. Another process may take it before it is
     * used; callers that bind it retry with a new one when that happens.
     */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0), 1);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free TCP port on " + LOOPBACK, e);
        }
    }

    /** True when {@code host:port} accepts a TCP connection within {@code timeoutMillis}. */
    public static boolean isOpen(String host, int port, int timeoutMillis) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** True when nothing can be bound to {@code 127.0.0.1:port} right now. */
    public static boolean isBusy(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port), 1);
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
