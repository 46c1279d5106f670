package org.sediment.hdd.node;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.sediment.common.api.hdd.BlockBytes;
import org.sediment.common.api.hdd.BlockPlace;
import org.sediment.common.api.hdd.BlockRead;
import org.sediment.common.api.hdd.BlockReserve;
import org.sediment.common.api.hdd.BlockWrite;
import org.sediment.common.api.hdd.DiskListing;
import org.sediment.common.api.hdd.FileRange;
import org.sediment.common.api.hdd.HddApi;
import org.sediment.common.api.ssd.NodeStatus;
import org.sediment.common.api.ssd.SsdApi;
import org.sediment.common.rpc.RpcClient;
import org.sediment.common.rpc.RpcClientConfig;
import org.sediment.common.rpc.RpcOutcome;
import org.sediment.common.rpc.RpcServer;
import org.sediment.common.rpc.RpcServerConfig;
import org.sediment.common.wire.ErrorCode;
import org.sediment.common.wire.MessageRegistry;
import org.sediment.hdd.disk.BlockFile;
import org.sediment.hdd.disk.DiskStore;

/**
 * An HDD node (DESIGN §5): serves block records from its disks, each read one positioned read
 * whose header and payload CRCs it checks before answering; takes the sinker's reservations and
 * writes. A record it does not have, or whose copy is damaged, is answered {@code NOT_FOUND}, so
 * the reader moves to another replica at once, and queued for repair from a peer
 * ({@link BlockRepairs}). A disk that was lost is rebuilt from a peer ({@link DiskRebuilds}).
 */
public final class HddNode implements AutoCloseable {
    private final HddNodeConfig config;
    private final List<DiskStore> disks = new ArrayList<>();
    private final RpcServer server;
    private final RpcClient peers;
    private final BlockRepairs repairs;
    private final DiskRebuilds rebuilds;
    private final AtomicBoolean closed = new AtomicBoolean();
    final LongAdder reads = new LongAdder();
    final LongAdder damaged = new LongAdder();
    final LongAdder missing = new LongAdder();
    final LongAdder writes = new LongAdder();

    private HddNode(HddNodeConfig config) {
        this.config = config;
        for (int i = 0; i < config.disks().size(); i++) {
            disks.add(new DiskStore(i, config.disks().get(i)));
        }
        String name = "hdd-g" + config.group() + "n" + config.node();
        this.peers = new RpcClient(RpcClientConfig.defaults(), MessageRegistry.builder().registerAll(HddApi.ALL).build(),
                name + "-peers");
        this.repairs = new BlockRepairs(disks, config.peers(), peers, name + "-repair");
        this.rebuilds = new DiskRebuilds(disks, config.peers(), peers, name + "-disks");
        RpcServerConfig serverConfig = new RpcServerConfig(config.address().getHostString(), config.address().getPort(),
                org.sediment.common.wire.FrameLimits.DEFAULT_MAX_FRAME_BYTES, 10_000, 2, 4 << 20);
        // STATUS is the SSD API's node-status call: one status command asks every tier the same way.
        MessageRegistry registry = MessageRegistry.builder().registerAll(HddApi.ALL)
                .register(SsdApi.NODE_STATUS_REQUEST).register(SsdApi.NODE_STATUS).build();
        this.server = RpcServer.builder(serverConfig, registry)
                .threadName(name)
                .handle(HddApi.READ, (request, header) -> read(request))
                .handle(HddApi.RESERVE, (request, header) -> reserve(request))
                .handle(HddApi.WRITE, (request, header) -> write(request))
                .handle(SsdApi.STATUS, (request, header) -> RpcOutcome.success(status()))
                .handle(HddApi.LIST, (request, header) -> list(request))
                .handle(HddApi.RANGE, (request, header) -> range(request))
                .build();
    }

    public static HddNode start(HddNodeConfig config) {
        HddNode node = new HddNode(config);
        try {
            node.rebuilds.start();
            node.server.start();
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
        return node;
    }

    public HddNodeConfig config() {
        return config;
    }

    public InetSocketAddress address() {
        return server.boundAddress();
    }

    /** Counters for health and metrics; disk reads per cold get = diskReadCalls / reads. */
    public HddNodeStats stats() {
        return new HddNodeStats(config.group(), config.node(), reads.sum(),
                disks.stream().mapToLong(DiskStore::readCalls).sum(), damaged.sum(), missing.sum(), writes.sum(),
                repairs.repaired.sum(), repairs.failed.sum(), repairs.pending(), rebuilds.rebuilt.sum(),
                rebuilds.disksRebuilding());
    }

    private RpcOutcome<BlockBytes> read(BlockRead r) throws IOException {
        DiskStore disk = disk(r.disk());
        if (disk == null) {
            return RpcOutcome.reject(ErrorCode.BAD_FRAME, "this node has disks 0.." + (disks.size() - 1) + ", not " + r.disk());
        }
        reads.increment();
        if (rebuilds.rebuilding(r.disk())) {
            return RpcOutcome.reject(ErrorCode.NOT_FOUND, "disk " + r.disk() + " was lost and is being rebuilt; read "
                    + "another replica");
        }
        BlockFile file = disk.existing(r.file());
        byte[] record = file == null ? new byte[0] : file.read(r.offset(), r.length());
        if (record.length != r.length()) {
            missing.increment();
            repairs.enqueue(r);
            return RpcOutcome.reject(ErrorCode.NOT_FOUND, "no block record of " + r.length() + " bytes at " + r.offset()
                    + " of file " + r.file() + " on disk " + r.disk());
        }
        if (!BlockRepairs.intact(record)) {
            damaged.increment();
            repairs.enqueue(r);
            return RpcOutcome.reject(ErrorCode.NOT_FOUND, "the copy at " + r.offset() + " of file " + r.file()
                    + " on disk " + r.disk() + " is damaged (its CRCs do not check out); read another replica");
        }
        return RpcOutcome.success(new BlockBytes(record));
    }

    private RpcOutcome<BlockPlace> reserve(BlockReserve r) {
        DiskStore disk = disk(r.disk());
        if (disk == null) {
            return RpcOutcome.reject(ErrorCode.BAD_FRAME, "this node has disks 0.." + (disks.size() - 1) + ", not " + r.disk());
        }
        if (rebuilds.rebuilding(r.disk())) {
            return RpcOutcome.reject(ErrorCode.UNAVAILABLE, "disk " + r.disk() + " is being rebuilt; write later");
        }
        return RpcOutcome.success(new BlockPlace(r.disk(), r.file(), disk.file(r.file()).reserve(r.length())));
    }

    private RpcOutcome<BlockPlace> write(BlockWrite w) throws IOException {
        DiskStore disk = disk(w.disk());
        if (disk == null) {
            return RpcOutcome.reject(ErrorCode.BAD_FRAME, "this node has disks 0.." + (disks.size() - 1) + ", not " + w.disk());
        }
        if (rebuilds.rebuilding(w.disk())) {
            return RpcOutcome.reject(ErrorCode.UNAVAILABLE, "disk " + w.disk() + " is being rebuilt; write later");
        }
        try {
            disk.file(w.file()).write(w.offset(), w.record());
        } catch (IllegalArgumentException notReserved) {
            return RpcOutcome.reject(ErrorCode.BAD_FRAME, notReserved.getMessage());
        }
        writes.increment();
        return RpcOutcome.success(new BlockPlace(w.disk(), w.file(), w.offset()));
    }

    /** Mode SERVING, or REPAIRING while repairs wait; data is the bytes of every block file. */
    private NodeStatus status() {
        long bytes = 0;
        for (DiskStore disk : disks) {
            try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(disk.dir())) {
                for (java.nio.file.Path f : files.toList()) {
                    bytes += java.nio.file.Files.size(f);
                }
            } catch (IOException e) {
                bytes = -1; // a disk that cannot be listed: shown as unknown
                break;
            }
        }
        return new NodeStatus(config.group(), config.node(), repairs.pending() > 0 ? "REPAIRING" : "SERVING", 0, bytes,
                0, writes.sum());
    }

    private RpcOutcome<DiskListing> list(DiskListing ask) throws IOException {
        DiskStore disk = disk(ask.disk());
        if (disk == null || rebuilds.rebuilding(ask.disk())) {
            return RpcOutcome.reject(ErrorCode.NOT_FOUND, "disk " + ask.disk() + " cannot be listed here");
        }
        return RpcOutcome.success(DiskRebuilds.listing(disk));
    }

    private RpcOutcome<BlockBytes> range(FileRange r) throws IOException {
        DiskStore disk = disk(r.disk());
        BlockFile file = disk == null || rebuilds.rebuilding(r.disk()) ? null : disk.existing(r.file());
        byte[] bytes = file == null ? new byte[0] : file.read(r.offset(), r.length());
        if (bytes.length == 0) {
            return RpcOutcome.reject(ErrorCode.NOT_FOUND, "no bytes at " + r.offset() + " of file " + r.file()
                    + " on disk " + r.disk());
        }
        return RpcOutcome.success(new BlockBytes(bytes));
    }

    private DiskStore disk(int index) {
        return index >= 0 && index < disks.size() ? disks.get(index) : null;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.close();
        rebuilds.close();
        repairs.close();
        peers.close();
        disks.forEach(DiskStore::close);
    }
}
