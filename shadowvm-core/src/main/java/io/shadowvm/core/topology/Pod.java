package io.shadowvm.core.topology;

import java.util.List;

/** A pod: a group of racks under one spine block. {@code racks} are indexes into {@link Topology#racks()}. */
public record Pod(int index, String name, List<Integer> racks) {
    public Pod {
        racks = List.copyOf(racks);
    }
}
