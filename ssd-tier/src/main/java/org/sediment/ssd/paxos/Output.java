package org.sediment.ssd.paxos;

import java.util.ArrayList;
import java.util.List;

/**
 * What one call into the core produced. The shell must: start every write (in order), send every
 * message, and deliver every reply. Messages here are already cleared to leave: the core holds
 * back any message issued after a write until that write is reported durable.
 */
public final class Output {
    public final List<StorageWrite> writes = new ArrayList<>();
    public final List<PaxosMessage> messages = new ArrayList<>();
    public final List<ClientReply> replies = new ArrayList<>();

    public boolean isEmpty() {
        return writes.isEmpty() && messages.isEmpty() && replies.isEmpty();
    }
}
