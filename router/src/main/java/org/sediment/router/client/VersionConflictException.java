package org.sediment.router.client;

/**
 * A conditional write ({@code ifVersion}) found the timeline at another version and did nothing.
 * The check itself took a log entry, so {@link #actualVersion()} is the version to retry with.
 */
public final class VersionConflictException extends SedimentException {
    private final long expectedVersion;
    private final long actualVersion;

    public VersionConflictException(long owner, long expectedVersion, long actualVersion) {
        super(Reason.VERSION_CONFLICT, "timeline " + Long.toUnsignedString(owner) + " is at version " + actualVersion
                + ", not " + expectedVersion);
        this.expectedVersion = expectedVersion;
        this.actualVersion = actualVersion;
    }

    public long expectedVersion() {
        return expectedVersion;
    }

    public long actualVersion() {
        return actualVersion;
    }
}
