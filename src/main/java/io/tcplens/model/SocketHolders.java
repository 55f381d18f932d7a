package io.tcplens.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sockets of one table that several processes hold (a child that inherited it after fork(), a
 * descriptor passed with SCM_RIGHTS, a pre-fork server's listener), by inode: every holder, lowest
 * pid first, as {@code ss -p} lists them. A socket held by one process is not here: its
 * {@link SocketEntry#pid()} and {@link SocketEntry#process()} say it all (and for a shared one they
 * name the first holder here). Immutable; kept beside the rows ({@link Snapshot#holders()}), not in them.
 */
public final class SocketHolders {
    /** One process holding the socket; {@code name} is null when it could not be read. */
    public record Holder(int pid, String name) {}

    public static final SocketHolders NONE = new SocketHolders(Map.of());

    private final Map<Long, List<Holder>> byInode;

    private SocketHolders(Map<Long, List<Holder>> byInode) {
        this.byInode = byInode;
    }

    /** From inode → holders; lists of fewer than two are dropped, each list is copied as given (lowest pid first). */
    public static SocketHolders of(Map<Long, List<Holder>> byInode) {
        if (byInode.isEmpty()) return NONE;
        Map<Long, List<Holder>> m = new HashMap<>(byInode.size() * 2);
        byInode.forEach((k, v) -> {
            if (k != 0 && v.size() > 1) m.put(k, List.copyOf(v));
        });
        return m.isEmpty() ? NONE : new SocketHolders(Map.copyOf(m));
    }

    /** Every holder of the socket when several processes hold it, else an empty list. */
    public List<Holder> of(long inode) {
        if (inode == 0 || byInode.isEmpty()) return List.of();
        return byInode.getOrDefault(inode, List.of());
    }

    /** Sockets held by more than one process. */
    public int size() {
        return byInode.size();
    }

    public boolean isEmpty() {
        return byInode.isEmpty();
    }

    /** Only the holders of these inodes (a filtered table keeps the holders of its own rows). */
    public SocketHolders retainAll(List<SocketEntry> rows) {
        if (byInode.isEmpty()) return this;
        Map<Long, List<Holder>> m = new HashMap<>();
        for (SocketEntry e : rows) {
            List<Holder> h = byInode.get(e.inode());
            if (h != null) m.put(e.inode(), h);
        }
        return m.size() == byInode.size() ? this : of(m);
    }

    /** At most this many holders are written out in {@link #text}; the rest are counted ("+13 more"). */
    public static final int SHOWN = 3;

    /**
     * The holders as one short text for a table cell: {@code nginx (12, 13, 14)} when they share a
     * name, else {@code nginx (12), worker (13)}; past {@value #SHOWN} holders the rest are counted,
     * {@code nginx (12, 13, 14 +13 more)}. A name that could not be read is {@code ?}. The JSON, CSV
     * and {@code snapshot} table list every one.
     */
    public static String text(List<Holder> holders) {
        StringBuilder sb = new StringBuilder();
        String same = holders.isEmpty() ? null : String.valueOf(holders.get(0).name());
        boolean one = holders.stream().allMatch(h -> String.valueOf(h.name()).equals(same));
        int shown = Math.min(SHOWN, holders.size());
        String more = holders.size() > shown ? " +" + (holders.size() - shown) + " more" : "";
        if (one) {
            sb.append(holders.get(0).name() == null ? "?" : holders.get(0).name()).append(" (");
            for (int i = 0; i < shown; i++) sb.append(i == 0 ? "" : ", ").append(holders.get(i).pid());
            return sb.append(more).append(')').toString();
        }
        for (int i = 0; i < shown; i++) {
            Holder h = holders.get(i);
            sb.append(i == 0 ? "" : ", ").append(h.name() == null ? "?" : h.name()).append(" (").append(h.pid()).append(')');
        }
        return sb.append(more).toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SocketHolders h && h.byInode.equals(byInode);
    }

    @Override
    public int hashCode() {
        return byInode.hashCode();
    }

    @Override
    public String toString() {
        return "SocketHolders" + byInode;
    }
}
