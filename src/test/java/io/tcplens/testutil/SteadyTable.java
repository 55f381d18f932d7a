package io.tcplens.testutil;

import io.tcplens.model.Addresses;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SourceInfo;
import io.tcplens.model.TcpState;
import io.tcplens.model.TimerKind;
import io.tcplens.source.SocketTableSource;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A generated table shaped like the window's steady-churn loopback table ({@code ScaleTable}'s {@code STEADY}),
 * for engine-level benchmarks of what the prepare thread does per poll (labelled SIMULATED): 72 % ESTABLISHED
 * pairs (both ends, owned, the same row objects every poll, as the netlink parser gives unchanged rows), 28 %
 * TIME_WAIT carrying their timer's due time, eight workers' listeners on 127.0.0.1, clients on 127.(16+w).x.y with
 * a new address every 1,000 connections (as {@code ScaleTableWorker}); every 4-tuple unique (unlike
 * {@link GeneratedTable}, whose 100k table repeats a fifth of its 4-tuples). Each poll (1 s of snapshot time) the
 * TIME_WAIT rows due by then leave and as many new ones come in at random places of the dump (the kernel's hash
 * order): a 60th of the TIME_WAIT share a second. {@code pairsPerPoll} ESTABLISHED pairs are also replaced by new
 * ones a poll (0 as at the window's default steady table). Deterministic (seeded).
 */
public final class SteadyTable implements SocketTableSource {
    private static final long TIME_WAIT_MILLIS = 60_000;
    private final Random rnd = new Random(11);
    private List<SocketEntry> rows;
    private final int pairsPerPoll;
    private int nextClient;
    private long nextCookie = 1;
    private long now = System.currentTimeMillis();

    public SteadyTable(int size, int pairsPerPoll) {
        this.pairsPerPoll = pairsPerPoll;
        int pairs = (int) (size * 0.72) / 2;
        int listeners = 8;
        int timeWait = size - 2 * pairs - listeners;
        rows = new ArrayList<>(size);
        for (int i = 0; i < listeners; i++) rows.add(listener(i));
        for (int i = 0; i < pairs; i++) {
            int client = nextClient++;
            rows.add(server(client));
            rows.add(clientEnd(client));
        }
        for (int i = 0; i < timeWait; i++) rows.add(timeWait(nextClient++, now + 1 + rnd.nextLong(TIME_WAIT_MILLIS)));
        // the kernel's dump order is its hash table's: the kinds mixed
        for (int i = rows.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            SocketEntry t = rows.get(i);
            rows.set(i, rows.get(j));
            rows.set(j, t);
        }
    }

    /** As {@code ScaleTableWorker}: worker w's clients bind 127.(16+w).x.y, a new address every 1,000 connections. */
    private static InetAddress clientAddress(int client) {
        int a = client / 1_000;
        return Addresses.fromBytes(new byte[] {127, (byte) (16 + worker(client)), (byte) (a / 250 % 256), (byte) (a % 250 + 1)});
    }

    /** 9,000 pairs a worker, as {@code ScaleTableWorker.MAX_PAIRS}; the TIME_WAIT ones spread over the same workers. */
    private static int worker(int client) {
        return client / 9_000 % 8;
    }

    private static final InetAddress SERVER = Addresses.fromBytes(new byte[] {127, 0, 0, 1});

    /** Each worker's listener: 127.0.0.1 on a port in 20000-32767. */
    private static int serverPort(int client) {
        return 20_000 + 7 * worker(client);
    }

    /** In the ephemeral range (a client address holds 1,000 of them). */
    private static int clientPort(int client) {
        return 32_768 + client % 28_000;
    }

    private SocketEntry listener(int i) {
        return new SocketEntry(new ConnectionKey(new Endpoint(SERVER, 20_000 + 7 * i), new Endpoint(Addresses.fromBytes(new byte[4]), 0)),
                TcpState.LISTEN, null, 0, 0, null, null, 0, 1000, 900_000 + i, 3000 + i, "worker" + i, false, false,
                nextCookie++, null, SocketEntry.NO_DUE);
    }

    private SocketEntry server(int client) {
        return new SocketEntry(new ConnectionKey(new Endpoint(SERVER, serverPort(client)), new Endpoint(clientAddress(client), clientPort(client))),
                TcpState.ESTABLISHED, null, 0, 0, null, null, 0, 1000, 1_000_000 + 2L * client, 3000 + worker(client),
                "worker" + worker(client), false, false, nextCookie++, null, SocketEntry.NO_DUE);
    }

    private SocketEntry clientEnd(int client) {
        return new SocketEntry(new ConnectionKey(new Endpoint(clientAddress(client), clientPort(client)), new Endpoint(SERVER, serverPort(client))),
                TcpState.ESTABLISHED, null, 0, 0, null, null, 0, 1000, 1_000_001 + 2L * client, 3000 + worker(client),
                "worker" + worker(client), false, false, nextCookie++, null, SocketEntry.NO_DUE);
    }

    private SocketEntry timeWait(int client, long due) {
        return new SocketEntry(new ConnectionKey(new Endpoint(clientAddress(client), clientPort(client)), new Endpoint(SERVER, serverPort(client))),
                TcpState.TIME_WAIT, null, 0, 0, TimerKind.TIME_WAIT, null, 0, 0, 0, null, null, false, false,
                nextCookie++, null, due);
    }

    @Override
    public SourceInfo info() {
        return GeneratedTable.INFO;
    }

    @Override
    public synchronized Snapshot poll() {
        now += 1000;
        List<SocketEntry> kept = new ArrayList<>(rows.size() + 1024);
        int gone = 0;
        // ESTABLISHED pairs replaced: the first rows of a few pairs' server ends (and their client ends) leave
        int closePairs = pairsPerPoll;
        List<ConnectionKey> closing = new ArrayList<>();
        for (SocketEntry e : rows) {
            if (e.state() == TcpState.TIME_WAIT && e.timerDueMillis() <= now) {
                gone++;
                continue;
            }
            if (closePairs > 0 && e.state() == TcpState.ESTABLISHED && e.key().local().equals(new Endpoint(SERVER, e.key().local().port()))
                    && rnd.nextInt(64) == 0) {
                closePairs--;
                closing.add(new ConnectionKey(e.key().remote(), e.key().local()));
                continue;
            }
            kept.add(e);
        }
        if (!closing.isEmpty()) kept.removeIf(e -> closing.contains(e.key()));
        int pairs = closing.size();
        // as many TIME_WAIT come in as left, and the pairs closed come back as new pairs, at random places
        int add = gone + 2 * pairs;
        int[] at = new int[add];
        for (int i = 0; i < add; i++) at[i] = rnd.nextInt(kept.size() + 1);
        Arrays.sort(at);
        List<SocketEntry> next = new ArrayList<>(kept.size() + add);
        int a = 0, newPairs = 0;
        for (int i = 0; i <= kept.size(); i++) {
            while (a < add && at[a] == i) {
                if (a < gone) next.add(timeWait(nextClient++, now + TIME_WAIT_MILLIS - rnd.nextInt(1000)));
                else if (newPairs++ % 2 == 0) next.add(server(nextClient));
                else next.add(clientEnd(nextClient++));
                a++;
            }
            if (i < kept.size()) next.add(kept.get(i));
        }
        rows = next;
        return new Snapshot(now, rows, GeneratedTable.INFO, List.of());
    }
}
