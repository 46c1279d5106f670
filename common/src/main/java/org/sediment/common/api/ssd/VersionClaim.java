package org.sediment.common.api.ssd;

/** "I cached {@code timeline} at {@code version}": one entry of a {@link VersionCheckRequest}. */
public record VersionClaim(long timeline, long version) {

    public VersionClaim {
        Checks.version(version, "version");
    }
}
