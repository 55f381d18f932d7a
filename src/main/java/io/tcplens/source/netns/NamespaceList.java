package io.tcplens.source.netns;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The network namespaces of this machine, for the window's picker and {@code tcplens namespaces}:
 * the distinct {@code /proc/*}{@code /ns/net} inodes plus the {@code ip netns} names, each with its
 * processes (the first few names), its TCP socket count and, where it can be read from the
 * cgroup path or the process's /etc/hostname, a container's name — no container runtime's API.
 */
public final class NamespaceList {
    private static final int NAMES_SHOWN = 4;

    /**
     * One namespace.
     *
     * @param inode      the namespace's inode
     * @param name       its {@code ip netns} name, or null
     * @param pids       its processes (ascending)
     * @param processes  the first few process names
     * @param tcpSockets sockets in its TCP table, or -1 when it could not be read
     * @param container  a container's name or runtime+id, or null
     * @param current    whether TcpLens itself runs in it
     */
    public record Namespace(long inode, String name, List<Integer> pids, List<String> processes, int tcpSockets,
                            String container, boolean current) {
        /** What {@code --netns} takes: the name, else pid:FIRST_PID. */
        public String spec() {
            return name != null ? name : "pid:" + pids.get(0);
        }
    }

    private NamespaceList() {}

    public static List<Namespace> scan() {
        return scan(Path.of("/proc"), NamespaceTarget.NETNS_DIR);
    }

    static List<Namespace> scan(Path proc, Path netnsDir) {
        long self = inode(proc.resolve("self/ns/net")).orElse(-1L);
        Map<Long, List<Integer>> byInode = new LinkedHashMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(proc)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.isEmpty() || !Character.isDigit(n.charAt(0))) continue;
                int pid;
                try {
                    pid = Integer.parseInt(n);
                } catch (NumberFormatException e) {
                    continue;
                }
                Optional<Long> ino = linkInode(p.resolve("ns/net"));
                ino.ifPresent(i -> byInode.computeIfAbsent(i, k -> new ArrayList<>()).add(pid));
            }
        } catch (IOException e) {
            return List.of();
        }
        Map<Long, String> names = new LinkedHashMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(netnsDir)) {
            for (Path p : ds) inode(p).ifPresent(i -> names.putIfAbsent(i, p.getFileName().toString()));
        } catch (IOException e) {
            // no named namespaces
        }
        for (Long i : names.keySet()) byInode.putIfAbsent(i, new ArrayList<>());
        List<Namespace> out = new ArrayList<>();
        for (Map.Entry<Long, List<Integer>> e : byInode.entrySet()) {
            List<Integer> pids = e.getValue();
            pids.sort(Comparator.naturalOrder());
            List<String> procs = new ArrayList<>();
            String container = null;
            for (int pid : pids) {
                String c = NamespaceOwners.comm(proc.resolve(Integer.toString(pid)));
                if (c != null && !procs.contains(c) && procs.size() < NAMES_SHOWN) procs.add(c);
                if (container == null) container = container(proc.resolve(Integer.toString(pid)));
            }
            int sockets = pids.isEmpty() ? -1 : countSockets(proc.resolve(Integer.toString(pids.get(0))));
            out.add(new Namespace(e.getKey(), names.get(e.getKey()), List.copyOf(pids), List.copyOf(procs), sockets,
                    e.getKey() == self ? null : container, e.getKey() == self));
        }
        out.sort(Comparator.comparing((Namespace n) -> !n.current()).thenComparing(n -> n.name() == null)
                .thenComparing(n -> n.name() == null ? "" : n.name()).thenComparing(n -> n.pids().isEmpty() ? 0 : n.pids().get(0)));
        return out;
    }

    private static Optional<Long> inode(Path p) {
        try {
            return Optional.of(((Number) Files.getAttribute(p, "unix:ino")).longValue());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<Long> linkInode(Path nsLink) {
        try {
            String t = Files.readSymbolicLink(nsLink).toString(); // net:[4026531840]
            int a = t.indexOf('['), b = t.indexOf(']');
            return a > 0 && b > a ? Optional.of(Long.parseLong(t.substring(a + 1, b))) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * TCP sockets of the process's namespace from its sockstat counters (TCP and TCP6 "inuse" plus
     * "tw"): constant cost, where reading a namespace's whole /proc/net/tcp could take seconds.
     */
    static int countSockets(Path procPid) {
        long n = 0;
        boolean any = false;
        for (String f : new String[] {"sockstat", "sockstat6"}) {
            try {
                for (String line : NamespaceFacts.read(procPid.resolve("net").resolve(f)).split("\n")) {
                    if (!line.startsWith("TCP: ") && !line.startsWith("TCP6: ")) continue;
                    String[] t = line.substring(line.indexOf(':') + 1).trim().split("\\s+");
                    for (int i = 0; i + 1 < t.length; i += 2)
                        if (t[i].equals("inuse") || t[i].equals("tw")) n += Long.parseLong(t[i + 1]);
                    any = true;
                }
            } catch (IOException | RuntimeException e) {
                // unreadable or absent
            }
        }
        return any ? (int) Math.min(Integer.MAX_VALUE, n) : -1;
    }

    private static final Pattern DOCKER = Pattern.compile("(?:docker[-/])([0-9a-f]{12,64})");
    private static final Pattern PODMAN = Pattern.compile("libpod-(?:conmon-)?([0-9a-f]{12,64})");
    private static final Pattern CONTAINERD = Pattern.compile("cri-containerd-([0-9a-f]{12,64})");
    private static final Pattern LXC = Pattern.compile("lxc\\.payload\\.([^/\\s]+)");

    /** A container's name from the cgroup path (docker, podman, containerd/k8s, LXC), else the process's hostname. */
    static String container(Path procPid) {
        try {
            String cg = NamespaceFacts.read(procPid.resolve("cgroup"));
            Matcher m;
            if ((m = DOCKER.matcher(cg)).find()) return "docker " + m.group(1).substring(0, 12);
            if ((m = PODMAN.matcher(cg)).find()) return "podman " + m.group(1).substring(0, 12);
            if ((m = CONTAINERD.matcher(cg)).find()) return "containerd " + m.group(1).substring(0, 12);
            if ((m = LXC.matcher(cg)).find()) return "lxc " + m.group(1);
        } catch (IOException | RuntimeException e) {
            // not readable
        }
        try {
            String own = NamespaceFacts.read(Path.of("/etc/hostname")).strip();
            String theirs = NamespaceFacts.read(procPid.resolve("root/etc/hostname")).strip();
            if (!theirs.isEmpty() && !theirs.equals(own)) return "host " + theirs;
        } catch (IOException | RuntimeException e) {
            // not readable
        }
        return null;
    }
}
