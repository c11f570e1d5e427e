package io.openautoglm.gnn.internal;

import io.openautoglm.gnn.Graph;
import java.util.Locale;

/** Split names as tables write them. */
final class Splits {
    private Splits() {}

    /** {@code train}, {@code val}, {@code test} or {@code none}, any case; {@code null} for anything else. */
    static Graph.Split parse(String s) {
        switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "train":
                return Graph.Split.TRAIN;
            case "val":
                return Graph.Split.VAL;
            case "test":
                return Graph.Split.TEST;
            case "none":
                return Graph.Split.NONE;
            default:
                return null;
        }
    }
}
