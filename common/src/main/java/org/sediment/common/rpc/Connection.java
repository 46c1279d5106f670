package org.sediment.common.rpc;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.SocketAddress;

/**
 * One client connection as a server's handlers see it: where it comes from, and a session its
 * handlers keep between its requests (e.g. whom a handshake proved the caller to be). Lives as
 * long as the connection; a new connection starts with no session.
 */
public final class Connection {
    private static final AttributeKey<Connection> KEY = AttributeKey.valueOf(Connection.class, "connection");

    private final SocketAddress remote;
    private volatile Object session;

    private Connection(SocketAddress remote) {
        this.remote = remote;
    }

    static Connection of(Channel channel) {
        Connection existing = channel.attr(KEY).get();
        if (existing != null) {
            return existing;
        }
        Connection created = new Connection(channel.remoteAddress());
        Connection raced = channel.attr(KEY).setIfAbsent(created);
        return raced == null ? created : raced;
    }

    public SocketAddress remote() {
        return remote;
    }

    /** The session its handlers set, or null. */
    public Object session() {
        return session;
    }

    public void session(Object value) {
        this.session = value;
    }

    @Override
    public String toString() {
        return "Connection[" + remote + "]";
    }
}
