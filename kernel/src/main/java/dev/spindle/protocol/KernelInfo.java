package dev.spindle.protocol;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/** The kernel_info_reply content: built once, answered at once, even before JShell is ready. */
final class KernelInfo {
    static final String VERSION = "0.1.0";

    private KernelInfo() {
    }

    static JsonObject content(String logPath) {
        JsonObject lang = new JsonObject();
        lang.addProperty("name", "java");
        lang.addProperty("version", Runtime.version().toString());
        lang.addProperty("mimetype", "text/x-java");
        lang.addProperty("file_extension", ".jshell");
        lang.addProperty("pygments_lexer", "java");
        lang.addProperty("codemirror_mode", "text/x-java");

        JsonArray links = new JsonArray();
        links.add(link("Java SE API", "https://docs.oracle.com/en/java/javase/" + Runtime.version().feature() + "/docs/api/"));
        links.add(link("JShell guide", "https://docs.oracle.com/en/java/javase/17/jshell/introduction-jshell.html"));

        JsonObject c = new JsonObject();
        c.addProperty("status", "ok");
        c.addProperty("protocol_version", WireCodec.PROTOCOL_VERSION);
        c.addProperty("implementation", "spindle");
        c.addProperty("implementation_version", VERSION);
        c.add("language_info", lang);
        c.addProperty("banner", "Spindle " + VERSION + ": Java " + Runtime.version() + " ("
                + System.getProperty("java.vm.name") + ") in JShell, "
                + Runtime.getRuntime().availableProcessors() + " cores.\n"
                + "Threads, child JVMs, timing and charts for concurrency notebooks.\n"
                + "Kernel log: " + logPath);
        c.add("help_links", links);
        c.addProperty("debugger", false);
        return c;
    }

    private static JsonObject link(String text, String url) {
        JsonObject o = new JsonObject();
        o.addProperty("text", text);
        o.addProperty("url", url);
        return o;
    }
}
