package org.sediment.ssd.node;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.sediment.ssd.node.wire.PaxosBatch;
import org.sediment.ssd.node.wire.PeerMessages;
import org.sediment.ssd.node.wire.SealedPaxosBatch;

/**
 * The secret the replicas of one group share, with which they seal the Paxos traffic between
 * them (HMAC-SHA256, {@link SealedPaxosBatch}): only a holder of the key can put a message into
 * a replica's core, and only as a member it names. Kept in a file of 64 hex digits (readable by
 * its owner only); every replica of a group is given the same file.
 *
 * <p>Thread-safe: each thread seals with its own {@link Mac}.
 */
public final class PeerKey {
    public static final int KEY_BYTES = 32;
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    private PeerKey(byte[] secret) {
        if (secret.length != KEY_BYTES) {
            throw new IllegalArgumentException("a peer key is " + KEY_BYTES + " bytes, got " + secret.length);
        }
        this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /** A new random key, for a new group. */
    public static PeerKey generate() {
        byte[] secret = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(secret);
        return new PeerKey(secret);
    }

    /** @throws IllegalArgumentException the file does not hold a key, with what is wrong */
    public static PeerKey read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the peer key file " + file + ": " + e.getMessage(), e);
        }
        if (text.length() != 2 * KEY_BYTES) {
            throw new IllegalArgumentException("the peer key file " + file + " must hold " + 2 * KEY_BYTES
                    + " hex digits, it holds " + text.length() + " characters");
        }
        try {
            return new PeerKey(HexFormat.of().parseHex(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the peer key file " + file + " is not hex: " + e.getMessage(), e);
        }
    }

    /** Writes the key to {@code file}, readable by its owner only where the file system allows. */
    public void write(Path file) {
        try {
            Files.writeString(file, HexFormat.of().formatHex(key.getEncoded()) + "\n", StandardCharsets.US_ASCII);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the directory's permissions protect it
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the peer key file " + file, e);
        }
    }

    /** Encodes and seals {@code batch}. */
    public SealedPaxosBatch seal(PaxosBatch batch) {
        ByteBuf out = Unpooled.buffer(256);
        try {
            PeerMessages.BATCH.codec().write(batch, out);
            byte[] bytes = new byte[out.readableBytes()];
            out.readBytes(bytes);
            return new SealedPaxosBatch(batch.groupId(), batch.fromNode(), bytes, macs.get().doFinal(bytes));
        } finally {
            out.release();
        }
    }

    /**
     * The batch inside {@code sealed} if its seal verifies and it was sealed by the sender it
     * names; else null (forged, corrupted, or sealed under another key).
     */
    public PaxosBatch open(SealedPaxosBatch sealed) {
        byte[] expected = macs.get().doFinal(sealed.batch());
        if (!MessageDigest.isEqual(expected, sealed.seal())) {
            return null;
        }
        ByteBuf in = Unpooled.wrappedBuffer(sealed.batch());
        try {
            PaxosBatch batch = PeerMessages.BATCH.codec().read(in);
            boolean sameSender = batch.groupId() == sealed.groupId() && batch.fromNode() == sealed.fromNode();
            return sameSender && !in.isReadable() ? batch : null;
        } finally {
            in.release();
        }
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has " + ALGORITHM, e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerKey k && Arrays.equals(k.key.getEncoded(), key.getEncoded());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key.getEncoded());
    }

    @Override
    public String toString() {
        return "PeerKey[hidden]";
    }
}
