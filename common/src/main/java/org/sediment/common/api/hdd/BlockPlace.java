package org.sediment.common.api.hdd;

/** Where a record is, or is to be: disk, file and offset. */
public record BlockPlace(int disk, long file, long offset) {
}
