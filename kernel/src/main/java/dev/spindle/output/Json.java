package dev.spindle.output;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal JSON writer for Vega-Lite specs: maps, lists, strings, numbers and booleans. Kept
 * here rather than using the kernel's Gson so that the output is byte-for-byte stable (key order,
 * number format) and this package has no dependency on a relocated library.
 */
public final class Json {
    private static final MathContext DIGITS = new MathContext(6);

    private Json() {
    }

    /** An insertion-ordered object under construction. */
    public static Map<String, Object> obj(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null) m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    public static String write(Object value) {
        StringBuilder sb = new StringBuilder(2048);
        write(sb, value);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            string(sb, s);
        } else if (v instanceof Number n) {
            sb.append(number(n.doubleValue()));
        } else if (v instanceof Boolean b) {
            sb.append(b.booleanValue());
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<?, ?> e = it.next();
                string(sb, String.valueOf(e.getKey()));
                sb.append(':');
                write(sb, e.getValue());
                if (it.hasNext()) sb.append(',');
            }
            sb.append('}');
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) sb.append(',');
                write(sb, l.get(i));
            }
            sb.append(']');
        } else if (v instanceof double[] d) {
            sb.append('[');
            for (int i = 0; i < d.length; i++) {
                if (i > 0) sb.append(',');
                sb.append(number(d[i]));
            }
            sb.append(']');
        } else {
            string(sb, v.toString());
        }
    }

    /** Six significant digits: enough for tooltips, and short, locale-free and stable. */
    static String number(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) return "null";
        if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d);
        BigDecimal b = new BigDecimal(d).round(DIGITS).stripTrailingZeros();
        double abs = Math.abs(d);
        return abs >= 1e-6 && abs < 1e15 ? b.toPlainString() : b.toString();
    }

    static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    // '<' escaped so a spec embedded in HTML can never close a script tag
                    if (c < 0x20 || c == '<' || c == 0x2028 || c == 0x2029) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
