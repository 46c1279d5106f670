package org.sediment.router.config;

import java.net.InetSocketAddress;

/** One machine of a group: where it listens and which campus (data centre) it stands in. */
public record Member(String host, int port, String campus) {

    public Member {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("member host must not be blank");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("member port must be in [1, 65535], got " + port);
        }
        if (campus == null || campus.isBlank()) {
            throw new IllegalArgumentException("member campus must not be blank");
        }
    }

    public String address() {
        return host + ":" + port;
    }

    public InetSocketAddress socketAddress() {
        return InetSocketAddress.createUnresolved(host, port);
    }

    @Override
    public String toString() {
        return address() + "@" + campus;
    }
}
