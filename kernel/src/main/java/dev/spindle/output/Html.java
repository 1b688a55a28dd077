package dev.spindle.output;

/** Text put into the HTML of a display, escaped so that a value's {@code <} or {@code &} shows as written. */
public final class Html {
    private Html() {
    }

    /** {@code s} with {@code & < > "} as entities: safe as element text and as a quoted attribute. */
    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
