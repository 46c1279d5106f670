package org.sediment.router.client;

import java.util.Optional;

/** The answer to a get: the item, if it exists, read at the timeline's {@code version}. */
public record ItemRead(long version, Optional<Item> item) {
}
