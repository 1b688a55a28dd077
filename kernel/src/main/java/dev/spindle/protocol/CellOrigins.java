package dev.spindle.protocol;

import com.google.gson.JsonObject;
import dev.spindle.output.CellContext;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The request behind each cell: cells are opaque to the output packages, and this map turns one
 * back into the header that parents its output and the identities that route its input
 * requests. Output can come long after the reply (threads, child JVMs, display handles), and
 * whatever produces it holds the cell; so an entry lives exactly as long as its cell is
 * reachable, and memory stays flat over thousands of cells.
 */
final class CellOrigins {
    /** The request that started a cell. */
    record Origin(JsonObject header, List<byte[]> identities) {
    }

    private final Map<CellContext, Origin> origins = Collections.synchronizedMap(new WeakHashMap<>());

    void put(CellContext cell, JsonObject header, List<byte[]> identities) {
        origins.put(cell, new Origin(header, identities));
    }

    /** The cell's origin; an empty one (no parent) for a cell no request started. */
    Origin of(CellContext cell) {
        Origin o = cell == null ? null : origins.get(cell);
        return o != null ? o : new Origin(null, List.of());
    }
}
