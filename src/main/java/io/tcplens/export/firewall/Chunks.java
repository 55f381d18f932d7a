package io.tcplens.export.firewall;

import java.util.ArrayList;
import java.util.List;

final class Chunks {
    private Chunks() {}

    static <T> List<List<T>> of(List<T> list, int size) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i += size) out.add(list.subList(i, Math.min(list.size(), i + size)));
        return out;
    }
}
