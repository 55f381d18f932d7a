package io.tcplens.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SocketHoldersTest {
    @Test
    void aCellNamesThreeHoldersAndCountsTheRest() {
        List<SocketHolders.Holder> workers = new ArrayList<>();
        for (int i = 0; i < 16; i++) workers.add(new SocketHolders.Holder(100 + i, "nginx"));
        assertEquals("nginx (100, 101, 102 +13 more)", SocketHolders.text(workers));
        assertEquals("nginx (100, 101)", SocketHolders.text(workers.subList(0, 2)));
        assertEquals("sshd (9), ? (12)", SocketHolders.text(List.of(new SocketHolders.Holder(9, "sshd"), new SocketHolders.Holder(12, null))));
    }

    @Test
    void onlySocketsHeldSeveralTimesAreKept() {
        SocketHolders h = SocketHolders.of(Map.of(1L, List.of(new SocketHolders.Holder(5, "a")),
                2L, List.of(new SocketHolders.Holder(5, "a"), new SocketHolders.Holder(6, "a"))));
        assertEquals(1, h.size());
        assertEquals(List.of(), h.of(1L));
        assertEquals(2, h.of(2L).size());
        assertEquals(List.of(), h.of(0L));
    }
}
