package org.sediment.ssd.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sediment.common.api.ssd.VersionCheckRequest;
import org.sediment.common.api.ssd.VersionClaim;
import org.sediment.common.api.ssd.VersionVerdict;
import org.sediment.common.api.ssd.WriteKind;
import org.sediment.common.api.ssd.WriteReply;
import org.sediment.common.api.ssd.WriteRequest;
import org.sediment.common.api.ssd.WriteStatus;
import org.sediment.common.rpc.RpcClient;
import org.sediment.common.rpc.RpcClientConfig;
import org.sediment.router.ssd.SsdGroupClient;

/**
 * The version cache lives outside the data directory (in shared memory), so it must follow the
 * directory's fate: kept across a restart, dropped when the directory under it is replaced. A
 * one-replica group, so that a wiped replica has no peers to relearn from and its store stays
 * empty: any version it then vouches for could only come from a stale cache.
 */
class VersionCacheOwnershipTest {
    private static final long TIMELINE = 42;

    @TempDir
    Path dir;
    private EmbeddedSsdGroup group;
    private RpcClient rpc;
    private SsdGroupClient client;

    @BeforeEach
    void start() throws Exception {
        group = EmbeddedSsdGroup.start(9, 1, dir, c -> c);
        rpc = new RpcClient(RpcClientConfig.defaults(), SsdNode.registry());
        client = new SsdGroupClient(group.addresses(), rpc, 0, 2_000, 3, 100);
    }

    @AfterEach
    void stop() {
        rpc.close();
        group.close();
    }

    @Test
    void theCacheLivesOutsideTheDataDirectoryAndSurvivesARestart() throws Exception {
        NodeConfig config = group.node(0).config();
        assertThat(config.versionCacheFile()).exists();
        assertThat(config.versionCacheFile().startsWith(config.dataDir())).as("inside the data directory").isFalse();
        long version = append();
        byte[] header = header(config.versionCacheFile());

        group.node(0).close();
        group.restart(0).awaitReady(30_000);

        assertThat(header(config.versionCacheFile())).as("the owner stamp, unchanged: kept, not cleared")
                .isEqualTo(header);
        assertThat(check(version).valid()).isTrue();
    }

    @Test
    void aReplacedDataDirectoryDoesNotInheritTheCache() throws Exception {
        append();
        assertThat(append()).isEqualTo(2);

        group.node(0).kill();
        group.restartWiped(0).awaitReady(30_000);

        // The new store is empty: had the cache kept "version 2", the core would propose entry 3.
        assertThat(append()).as("the first version of an empty store").isEqualTo(1);
        assertThat(check(1).valid()).isTrue();
    }

    @Test
    void afterARestartTheCacheAnswersVersionChecksAndAStaleClaimGetsTheFreshPage() throws Exception {
        for (int i = 0; i < 3; i++) {
            append();
        }
        group.node(0).checkpoint(); // so the restarted store holds no state of this timeline in memory
        group.node(0).close();
        SsdNode node = group.restart(0).awaitReady(30_000);
        long hits = node.health().versionCacheHits();
        long misses = node.health().versionCacheMisses();

        assertThat(check(3).valid()).isTrue();
        assertThat(node.health().versionCacheHits()).as("answered from the cache").isGreaterThan(hits);
        assertThat(node.health().versionCacheMisses()).isEqualTo(misses);

        VersionVerdict stale = check(1);
        assertThat(stale.valid()).isFalse();
        assertThat(stale.version()).isEqualTo(3);
        assertThat(stale.freshPage()).hasSize(3);
    }

    /** Magic, layout, geometry and owner stamp: the first 32 bytes of the cache file. */
    private static byte[] header(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(32);
            channel.read(header, 0);
            return header.array();
        }
    }

    private long append() {
        WriteReply reply = client.write(new WriteRequest(TIMELINE, WriteKind.APPEND, -1, System.currentTimeMillis(), 0,
                new byte[] {1, 2, 3}));
        assertThat(reply.status()).isEqualTo(WriteStatus.OK);
        return reply.version();
    }

    private VersionVerdict check(long version) {
        return client.versionCheck(new VersionCheckRequest(List.of(new VersionClaim(TIMELINE, version)), 10))
                .verdicts().get(0);
    }
}
