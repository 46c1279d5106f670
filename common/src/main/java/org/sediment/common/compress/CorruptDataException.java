package org.sediment.common.compress;

/** Compressed data that cannot be restored: a checksum or format failure, never a bug. */
public final class CorruptDataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CorruptDataException(String message) {
        super(message);
    }

    public CorruptDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
