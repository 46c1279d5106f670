package org.sediment.ssd.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sediment.ssd.node.PeerKey.Side;
import org.sediment.ssd.node.wire.PeerHandshake;

class PeerKeyTest {
    @TempDir
    Path dir;

    private final byte[] hello = PeerKey.nonce();
    private final byte[] challenge = PeerKey.nonce();

    @Test
    void aProofVerifiesUnderTheSameKeyForTheSameFieldsOnly() {
        PeerKey key = PeerKey.generate();
        byte[] proof = key.prove(Side.CONNECTING, 4, 1, 0, hello, challenge);
        assertThat(key.verify(proof, Side.CONNECTING, 4, 1, 0, hello, challenge)).isTrue();
        assertThat(PeerKey.generate().verify(proof, Side.CONNECTING, 4, 1, 0, hello, challenge)).as("another key").isFalse();
        assertThat(key.verify(proof, Side.ACCEPTING, 4, 1, 0, hello, challenge)).as("reflected").isFalse();
        assertThat(key.verify(proof, Side.CONNECTING, 5, 1, 0, hello, challenge)).as("another group").isFalse();
        assertThat(key.verify(proof, Side.CONNECTING, 4, 2, 0, hello, challenge)).as("another prover").isFalse();
        assertThat(key.verify(proof, Side.CONNECTING, 4, 1, 2, hello, challenge)).as("another verifier").isFalse();
        assertThat(key.verify(proof, Side.CONNECTING, 4, 1, 0, hello, PeerKey.nonce())).as("replayed").isFalse();
        byte[] tampered = proof.clone();
        tampered[0] ^= 1;
        assertThat(key.verify(tampered, Side.CONNECTING, 4, 1, 0, hello, challenge)).isFalse();
    }

    @Test
    void noncesAreFresh() {
        assertThat(PeerKey.nonce()).hasSize(PeerHandshake.NONCE_BYTES).isNotEqualTo(PeerKey.nonce());
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
