package io.openautoglm.glm.testing;

import java.io.IOException;
import java.net.InetAddress;

/** Server sockets whose accepted connections send small writes at once. */
final class NoDelayServerSocketFactory extends javax.net.ServerSocketFactory {
    @Override
    public java.net.ServerSocket createServerSocket() throws IOException {
        return new java.net.ServerSocket() {
            @Override
            public java.net.Socket accept() throws IOException {
                java.net.Socket s = super.accept();
                s.setTcpNoDelay(true);
                return s;
            }
        };
    }

    @Override
    public java.net.ServerSocket createServerSocket(int port) throws IOException {
        throw new UnsupportedOperationException("unbound sockets only");
    }

    @Override
    public java.net.ServerSocket createServerSocket(int port, int backlog) throws IOException {
        throw new UnsupportedOperationException("unbound sockets only");
    }

    @Override
    public java.net.ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
        throw new UnsupportedOperationException("unbound sockets only");
    }
}
