package org.sediment.common.api.ssd;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;

/**
 * The replicas of one cold (HDD) group, as {@code host:port} addresses. A reader of a sunk block
 * tries them in random order; the SSD tier keeps these so clients never need the HDD tier's
 * routes. A route always names at least one replica: HDD groups are never emptied, because cold
 * files never move (DESIGN §2).
 *
 * @param replicas 1 to {@link SsdApi#MAX_COLD_REPLICAS} distinct addresses, each at most
 *                 {@link SsdApi#MAX_ADDRESS_BYTES} UTF-8 bytes
 */
public record ColdRoute(int hddGroup, List<String> replicas) {

    /** Bytes of a route on the wire besides its addresses: group and address count. */
    public static final int ENCODED_OVERHEAD_BYTES = 4 + 4;
    /** Bytes of one address on the wire besides its UTF-8 bytes: the length. */
    public static final int ADDRESS_OVERHEAD_BYTES = 2;

    public ColdRoute {
        if (hddGroup < 0) {
            throw new IllegalArgumentException("hddGroup must be ≥ 0, got " + hddGroup);
        }
        replicas = Checks.list(replicas, SsdApi.MAX_COLD_REPLICAS, "replicas");
        if (replicas.isEmpty()) {
            throw new IllegalArgumentException("cold group " + hddGroup + " has no replicas");
        }
        for (String address : replicas) {
            checkAddress(address);
        }
        if (new HashSet<>(replicas).size() != replicas.size()) {
            throw new IllegalArgumentException("cold group " + hddGroup + " lists a replica twice: " + replicas);
        }
    }

    /** What this route adds to a message body. */
    public int encodedBytes() {
        int bytes = ENCODED_OVERHEAD_BYTES;
        for (String address : replicas) {
            bytes += ADDRESS_OVERHEAD_BYTES + address.getBytes(StandardCharsets.UTF_8).length;
        }
        return bytes;
    }

    /** {@code host:port}, host non-empty (an IPv6 host in brackets), port in 1..65535. */
    private static void checkAddress(String address) {
        int bytes = address.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > SsdApi.MAX_ADDRESS_BYTES) {
            throw new IllegalArgumentException("replica address of " + bytes + " bytes exceeds the limit of "
                    + SsdApi.MAX_ADDRESS_BYTES);
        }
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || !isPort(address, colon + 1)) {
            throw new IllegalArgumentException("replica address must be host:port with a port in 1..65535, got '"
                    + address + "'");
        }
    }

    private static boolean isPort(String s, int from) {
        int digits = s.length() - from;
        if (digits < 1 || digits > 5) {
            return false;
        }
        int port = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            port = port * 10 + (c - '0');
        }
        return port >= 1 && port <= 0xFFFF;
    }
}
