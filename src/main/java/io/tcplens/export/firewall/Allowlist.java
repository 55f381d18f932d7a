package io.tcplens.export.firewall;

import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user's allowlist of addresses and networks never to block, remembered between runs in
 * java.util.prefs (node {@code <tcplens.prefs.node>/firewall}, shared by the window and the command line).
 */
public final class Allowlist {
    private static final Logger LOG = LoggerFactory.getLogger(Allowlist.class);
    private static final String KEY = "allowlist";

    private final Preferences node;

    public Allowlist(Preferences node) {
        this.node = node;
    }

    /** The user's allowlist (tests get their own node via -Dtcplens.prefs.node). */
    public static Allowlist user() {
        return new Allowlist(Preferences.userRoot().node(System.getProperty("tcplens.prefs.node", "io/tcplens")).node("firewall"));
    }

    /** Stored entries; ones that no longer parse are skipped with a log line. */
    public List<IPAddress> load() {
        List<IPAddress> out = new ArrayList<>();
        for (String s : node.get(KEY, "").split("\n")) {
            if (s.isBlank()) continue;
            try {
                out.add(StrictAddresses.parse(s));
            } catch (InvalidAddressException e) {
                LOG.warn("ignoring stored allowlist entry: {}", e.getMessage());
            }
        }
        return out;
    }

    public void save(List<IPAddress> entries) {
        LinkedHashSet<String> texts = new LinkedHashSet<>();
        for (IPAddress a : entries) texts.add(StrictAddresses.canonical(a));
        node.put(KEY, String.join("\n", texts));
        try {
            node.flush();
        } catch (BackingStoreException e) {
            LOG.warn("cannot save the allowlist: {}", e.toString());
        }
    }
}
