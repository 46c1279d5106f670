package org.sediment.ssd.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sediment.ssd.node.wire.PaxosBatch;
import org.sediment.ssd.node.wire.SealedPaxosBatch;
import org.sediment.ssd.paxos.PaxosMessage;

class PeerKeyTest {
    @TempDir
    Path dir;

    private final PaxosBatch batch = new PaxosBatch(4, 1, List.of(new PaxosMessage.ReadProbe(9, 1, 0, 3, 77)));

    @Test
    void aBatchSealedWithTheGroupsKeyOpensToTheSameMessages() {
        PeerKey key = PeerKey.generate();
        assertThat(key.open(key.seal(batch))).isEqualTo(batch);
    }

    @Test
    void anotherKeyATamperedByteOrAnotherSenderDoesNotOpen() {
        PeerKey key = PeerKey.generate();
        SealedPaxosBatch sealed = key.seal(batch);
        assertThat(PeerKey.generate().open(sealed)).isNull();
        byte[] tampered = sealed.batch().clone();
        tampered[tampered.length - 1] ^= 1;
        assertThat(key.open(new SealedPaxosBatch(4, 1, tampered, sealed.seal()))).isNull();
        assertThat(key.open(new SealedPaxosBatch(4, 2, sealed.batch(), sealed.seal()))).as("outer sender differs").isNull();
        assertThat(key.open(new SealedPaxosBatch(5, 1, sealed.batch(), sealed.seal()))).as("outer group differs").isNull();
    }

    @Test
    void theKeyFileRoundTripsAndABrokenOneSaysWhatIsWrong() throws Exception {
        PeerKey key = PeerKey.generate();
        Path file = dir.resolve("group.key");
        key.write(file);
        assertThat(PeerKey.read(file)).isEqualTo(key);
        assertThat(Files.getPosixFilePermissions(file)).hasSize(2); // owner read and write only
        Files.writeString(dir.resolve("short.key"), "abcd");
        assertThatIllegalArgumentException().isThrownBy(() -> PeerKey.read(dir.resolve("short.key")))
                .withMessageContaining("must hold 64 hex digits");
        Files.writeString(dir.resolve("nothex.key"), "z".repeat(64));
        assertThatIllegalArgumentException().isThrownBy(() -> PeerKey.read(dir.resolve("nothex.key")))
                .withMessageContaining("is not hex");
        assertThatIllegalArgumentException().isThrownBy(() -> PeerKey.read(dir.resolve("absent.key")))
                .withMessageContaining("cannot read the peer key file");
    }
}
