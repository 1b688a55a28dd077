package dev.spindle.protocol;

import com.google.gson.JsonArray;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Inputs (and plain-text outputs) of this session's cells, for history_request. */
final class History {
    static final int SESSION = 1;

    private record Entry(int line, String input, String output) {
    }

    private final List<Entry> entries = new ArrayList<>();

    synchronized void add(int line, String input, String output) {
        entries.add(new Entry(line, input, output));
    }

    synchronized JsonArray tail(int n, boolean output) {
        int from = Math.max(0, entries.size() - Math.max(0, n));
        return toJson(entries.subList(from, entries.size()), output);
    }

    /** Lines {@code [start, stop)} of a session; a negative stop counts from the end. */
    synchronized JsonArray range(int session, int start, int stop, boolean output) {
        if (session != SESSION && session != 0) return new JsonArray();
        List<Entry> out = new ArrayList<>();
        int last = entries.isEmpty() ? 0 : entries.get(entries.size() - 1).line;
        int end = stop <= 0 ? last + 1 + stop : stop;
        for (Entry e : entries) if (e.line >= start && e.line < end) out.add(e);
        return toJson(out, output);
    }

    /** Glob search like IPython's: {@code *} and {@code ?}; newest {@code n} matches. */
    synchronized JsonArray search(String glob, int n, boolean unique, boolean output) {
        Pattern p = Pattern.compile(globToRegex(glob), Pattern.DOTALL);
        List<Entry> hits = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (int i = entries.size() - 1; i >= 0; i--) {
            Entry e = entries.get(i);
            if (!p.matcher(e.input).matches()) continue;
            if (unique && !seen.add(e.input)) continue;
            hits.add(0, e);
            if (n > 0 && hits.size() >= n) break;
        }
        return toJson(hits, output);
    }

    private static String globToRegex(String glob) {
        StringBuilder sb = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> sb.append(".*");
                case '?' -> sb.append('.');
                default -> sb.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return sb.toString();
    }

    private static JsonArray toJson(List<Entry> list, boolean output) {
        JsonArray arr = new JsonArray();
        for (Entry e : list) {
            JsonArray row = new JsonArray();
            row.add(SESSION);
            row.add(e.line);
            if (output) {
                JsonArray io = new JsonArray();
                io.add(e.input);
                io.add(e.output);
                row.add(io);
            } else {
                row.add(e.input);
            }
            arr.add(row);
        }
        return arr;
    }
}
