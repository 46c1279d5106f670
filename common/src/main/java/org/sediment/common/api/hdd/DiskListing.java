package org.sediment.common.api.hdd;

import java.util.List;

/**
 * The block files of one disk and their sizes: asked with {@link DiskListing#ask} (files empty)
 * and answered in full, so a node that lost disk {@code disk} knows what to copy back.
 */
public record DiskListing(int disk, List<FileSize> files) {

    /** The most files one listing holds (a disk holds one file per time window). */
    public static final int MAX_FILES = 50_000;

    /** A file, its length and the CRC32C of all its bytes. */
    public record FileSize(long file, long bytes, int crc) {
    }

    public DiskListing {
        if (disk < 0) {
            throw new IllegalArgumentException("disk must be ≥ 0, got " + disk);
        }
        files = List.copyOf(files);
        if (files.size() > MAX_FILES) {
            throw new IllegalArgumentException("a listing holds at most " + MAX_FILES + " files, got " + files.size());
        }
    }

    public static DiskListing ask(int disk) {
        return new DiskListing(disk, List.of());
    }
}
