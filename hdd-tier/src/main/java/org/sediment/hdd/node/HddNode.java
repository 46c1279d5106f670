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
import org.sediment.common.api.hdd.HddApi;
import org.sediment.common.block.BlockRecord;
import org.sediment.common.compress.CorruptDataException;
import org.sediment.common.compress.Crc32c;
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
 * the reader moves to another replica at once.
 */
public final class HddNode implements AutoCloseable {
    private final HddNodeConfig config;
    private final List<DiskStore> disks = new ArrayList<>();
    private final RpcServer server;
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
        RpcServerConfig serverConfig = new RpcServerConfig(config.address().getHostString(), config.address().getPort(),
                org.sediment.common.wire.FrameLimits.DEFAULT_MAX_FRAME_BYTES, 10_000, 2, 4 << 20);
        this.server = RpcServer.builder(serverConfig, MessageRegistry.builder().registerAll(HddApi.ALL).build())
                .threadName("hdd-g" + config.group() + "n" + config.node())
                .handle(HddApi.READ, (request, header) -> read(request))
                .handle(HddApi.RESERVE, (request, header) -> reserve(request))
                .handle(HddApi.WRITE, (request, header) -> write(request))
                .build();
    }

    public static HddNode start(HddNodeConfig config) {
        HddNode node = new HddNode(config);
        try {
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
                disks.stream().mapToLong(DiskStore::readCalls).sum(), damaged.sum(), missing.sum(), writes.sum());
    }

    private RpcOutcome<BlockBytes> read(BlockRead r) throws IOException {
        DiskStore disk = disk(r.disk());
        if (disk == null) {
            return RpcOutcome.reject(ErrorCode.BAD_FRAME, "this node has disks 0.." + (disks.size() - 1) + ", not " + r.disk());
        }
        reads.increment();
        BlockFile file = disk.existing(r.file());
        byte[] record = file == null ? new byte[0] : file.read(r.offset(), r.length());
        if (record.length != r.length()) {
            missing.increment();
            return RpcOutcome.reject(ErrorCode.NOT_FOUND, "no block record of " + r.length() + " bytes at " + r.offset()
                    + " of file " + r.file() + " on disk " + r.disk());
        }
        try {
            BlockRecord.Header h = BlockRecord.header(record);
            if (h.recordBytes() != record.length
                    || Crc32c.of(record, BlockRecord.HEADER_BYTES, h.storedBytes()) != h.payloadCrc()) {
                throw new CorruptDataException("payload does not match its header");
            }
        } catch (CorruptDataException e) {
            damaged.increment();
            return RpcOutcome.reject(ErrorCode.NOT_FOUND, "the copy at " + r.offset() + " of file " + r.file()
                    + " on disk " + r.disk() + " is damaged (" + e.getMessage() + "); read another replica");
        }
        return RpcOutcome.success(new BlockBytes(record));
    }

    private RpcOutcome<BlockPlace> reserve(BlockReserve r) {
        DiskStore disk = disk(r.disk());
        if (disk == null) {
            return RpcOutcome.reject(ErrorCode.BAD_FRAME, "this node has disks 0.." + (disks.size() - 1) + ", not " + r.disk());
        }
        return RpcOutcome.success(new BlockPlace(r.disk(), r.file(), disk.file(r.file()).reserve(r.length())));
    }

    private RpcOutcome<BlockPlace> write(BlockWrite w) throws IOException {
        DiskStore disk = disk(w.disk());
        if (disk == null) {
            return RpcOutcome.reject(ErrorCode.BAD_FRAME, "this node has disks 0.." + (disks.size() - 1) + ", not " + w.disk());
        }
        try {
            disk.file(w.file()).write(w.offset(), w.record());
        } catch (IllegalArgumentException notReserved) {
            return RpcOutcome.reject(ErrorCode.BAD_FRAME, notReserved.getMessage());
        }
        writes.increment();
        return RpcOutcome.success(new BlockPlace(w.disk(), w.file(), w.offset()));
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
        disks.forEach(DiskStore::close);
    }
}
