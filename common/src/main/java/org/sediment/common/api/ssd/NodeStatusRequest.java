package org.sediment.common.api.ssd;

/** Asks a node how it is: for {@code sediment status} and operators. Addresses a machine, not data. */
public record NodeStatusRequest() {
}
