package dev.spindle.chart;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table with a title line: text columns left-aligned, numeric ones right-aligned. */
public final class TextTable {
    private final String title;
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public TextTable(String title, List<String> header) {
        this.title = title;
        this.header = List.copyOf(header);
    }

    public TextTable row(List<String> cells) {
        rows.add(List.copyOf(cells));
        return this;
    }

    @Override
    public String toString() {
        int n = header.size();
        int[] width = new int[n];
        boolean[] numeric = new boolean[n];
        for (int c = 0; c < n; c++) {
            width[c] = header.get(c).length();
            numeric[c] = !rows.isEmpty();
            for (List<String> r : rows) {
                String cell = c < r.size() ? r.get(c) : "";
                width[c] = Math.max(width[c], cell.length());
                if (!looksNumeric(cell)) numeric[c] = false;
            }
        }
        StringBuilder sb = new StringBuilder();
        if (title != null && !title.isEmpty()) sb.append(title).append('\n');
        line(sb, header, width, numeric);
        for (int c = 0; c < n; c++) {
            if (c > 0) sb.append("  ");
            sb.append("-".repeat(width[c]));
        }
        sb.append('\n');
        for (List<String> r : rows) line(sb, r, width, numeric);
        sb.setLength(sb.length() - 1);
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] width, boolean[] numeric) {
        int start = sb.length();
        for (int c = 0; c < width.length; c++) {
            String cell = c < cells.size() ? cells.get(c) : "";
            if (c > 0) sb.append("  ");
            String pad = " ".repeat(width[c] - cell.length());
            sb.append(numeric[c] ? pad + cell : cell + pad);
        }
        int end = sb.length();
        while (end > start && sb.charAt(end - 1) == ' ') end--;
        sb.setLength(end);
        sb.append('\n');
    }

    private static boolean looksNumeric(String s) {
        if (s.isEmpty() || s.equals("-") || s.equals("n/a")) return true;
        char c = s.charAt(0);
        return Character.isDigit(c) || ((c == '-' || c == '+' || c == '.') && s.length() > 1);
    }
}
