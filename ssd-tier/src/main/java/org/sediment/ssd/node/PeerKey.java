package org.sediment.ssd.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
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
import org.sediment.ssd.node.wire.PeerHandshake;

/**
 * The secret the replicas of one group share. A replica proves it holds the key once per
 * connection ({@link PeerHandshake}, HMAC-SHA256 over fresh nonces): only a connection that proved
 * it, as the member it named, can put a message into a replica's core. Kept in a file of 64 hex
 * digits (readable by its owner only); every replica of a group is given the same file.
 *
 * <p>Thread-safe: each thread proves with its own {@link Mac}.
 */
public final class PeerKey {
    public static final int KEY_BYTES = 32;
    private static final String ALGORITHM = "HmacSHA256";
    private static final SecureRandom NONCES = new SecureRandom();

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

    /** Which side of a handshake a proof speaks for: a proof never serves the other side. */
    public enum Side { CONNECTING, ACCEPTING }

    /**
     * HMAC-SHA256 under the key over the handshake's every field: the side, the group, who proves
     * and to whom, and both nonces. Fresh nonces on both sides make it good for one connection.
     */
    public byte[] prove(Side side, long groupId, int prover, int verifier, byte[] helloNonce, byte[] challengeNonce) {
        ByteBuffer fields = ByteBuffer.allocate(1 + 8 + 4 + 4 + helloNonce.length + challengeNonce.length)
                .put((byte) side.ordinal()).putLong(groupId).putInt(prover).putInt(verifier)
                .put(helloNonce).put(challengeNonce);
        return macs.get().doFinal(fields.array());
    }

    /** Whether {@code proof} is {@link #prove} of the same fields, compared in constant time. */
    public boolean verify(byte[] proof, Side side, long groupId, int prover, int verifier, byte[] helloNonce,
                          byte[] challengeNonce) {
        return MessageDigest.isEqual(proof, prove(side, groupId, prover, verifier, helloNonce, challengeNonce));
    }

    /** A fresh random nonce for one handshake. */
    public static byte[] nonce() {
        byte[] nonce = new byte[PeerHandshake.NONCE_BYTES];
        NONCES.nextBytes(nonce);
        return nonce;
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
