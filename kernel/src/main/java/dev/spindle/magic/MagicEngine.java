package dev.spindle.magic;

import dev.spindle.concurrent.Workers;
import dev.spindle.engine.Engine;
import dev.spindle.engine.Outcome;
import dev.spindle.output.CellContext;
import dev.spindle.output.StreamRouter;
import dev.spindle.timing.Measurement;
import dev.spindle.timing.TimeReport;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Cell and line magics, IPython style, as an {@link Engine} decorator: the protocol talks to
 * this engine and never sees a magic. It owns everything {@code %}: running magics, and what
 * is_complete says about a magic cell; the rest goes to the wrapped engine.
 * <p>
 * A cell starting with {@code %%name args} is handed to that cell magic; lines starting with {@code %name} inside a cell are line magics, run in
 * order with the Java between them. Magics that run user code ({@code %timeit},
 * {@code %%python}) expand into Java calls evaluated as cell code, so they are interruptible
 * and print into the cell like any code; {@code %%time} wraps the cell in the kernel, so the
 * declarations in it stay top-level.
 */
public final class MagicEngine implements Engine {
    static final List<String> CELL = List.of("%%time", "%%timeit", "%%python", "%%java");
    static final List<String> LINE = List.of("%time", "%timeit", "%lsmagic", "%classpath", "%workers");

    private final Engine engine;
    private final StreamRouter streams;

    public MagicEngine(Engine engine, StreamRouter streams) {
        this.engine = engine;
        this.streams = streams;
    }

    /** True if the cell uses any magic (so Java analysis tools should leave it alone). */
    public static boolean hasMagic(String code) {
        for (String line : code.split("\n", -1)) if (line.stripLeading().startsWith("%")) return true;
        return false;
    }

    /** {@code Workers.thread?} (or {@code ??}), as in IPython: the name's documentation, paged. */
    private static final java.util.regex.Pattern HELP =
            java.util.regex.Pattern.compile("\\s*([A-Za-z_$][\\w$]*(?:\\.[A-Za-z_$][\\w$]*)*)\\s*\\?\\??\\s*");

    /** Runs a cell, expanding its magics. */
    @Override
    public Outcome execute(String code, CellContext cell) {
        java.util.regex.Matcher help = HELP.matcher(code);
        if (help.matches()) return help(help.group(1), cell);
        if (!hasMagic(code)) return engine.execute(code, cell);
        String stripped = code.stripLeading();
        if (stripped.startsWith("%%")) {
            int nl = stripped.indexOf('\n');
            String header = nl < 0 ? stripped : stripped.substring(0, nl);
            String body = nl < 0 ? "" : stripped.substring(nl + 1);
            String name = header.substring(2).split("\\s+", 2)[0];
            String args = header.substring(2 + name.length()).trim();
            return cellMagic(name, args, body, cell);
        }
        return lines(code, cell);
    }

    private Outcome help(String name, CellContext cell) {
        Optional<Inspection> doc = engine.inspect(name, name.length());
        if (doc.isPresent()) return Outcome.Value.paged(doc.get());
        streams.print(cell, "stdout", "Object `" + name + "` not found.\n");
        return new Outcome.Value(null, null);
    }

    /** A magic cell is always complete: Java analysis would misread its {@code %} lines. */
    @Override
    public Completeness isComplete(String code) {
        if (hasMagic(code) || HELP.matcher(code).matches()) return new Completeness("complete", "");
        return engine.isComplete(code);
    }

    @Override
    public Outcome evaluate(String expression, CellContext cell) {
        return engine.evaluate(expression, cell);
    }

    @Override
    public Completion complete(String code, int cursor) {
        return engine.complete(code, cursor);
    }

    @Override
    public Optional<Inspection> inspect(String code, int cursor) {
        return engine.inspect(code, cursor);
    }

    @Override
    public void addToClasspath(String path) {
        engine.addToClasspath(path);
    }

    @Override
    public void interrupt() {
        engine.interrupt();
    }

    @Override
    public void close() {
        engine.close();
    }

    private Outcome cellMagic(String name, String args, String body, CellContext cell) {
        return switch (name) {
            case "time" -> time(body, cell);
            case "timeit" -> engine.execute(timeitCall(args, "() -> {\n" + body + "\n}", args.contains("-o")), cell);
            // A block statement: JShell shows no value for it (the run is in PythonRun.last()).
            case "python" -> engine.execute("{ dev.spindle.magic.MagicSupport.python(" + JavaText.quote(args) + ", "
                    + JavaText.quote(body) + "); }", cell);
            case "java" -> execute(body, cell);
            default -> unknown("%%" + name, CELL);
        };
    }

    /** Java segments and line magics, in order; the first failure ends the cell. */
    private Outcome lines(String code, CellContext cell) {
        Outcome last = new Outcome.Value(null, null);
        StringBuilder java = new StringBuilder();
        for (String line : code.split("\n", -1)) {
            String s = line.stripLeading();
            if (s.startsWith("%") && !s.startsWith("%%")) {
                if (!java.toString().isBlank()) {
                    last = engine.execute(java.toString(), cell);
                    if (last instanceof Outcome.Failure) return last;
                }
                java.setLength(0);
                last = lineMagic(s.substring(1), cell);
                if (last instanceof Outcome.Failure) return last;
            } else {
                java.append(line).append('\n');
            }
        }
        if (!java.toString().isBlank()) last = engine.execute(java.toString(), cell);
        return last;
    }

    private Outcome lineMagic(String text, CellContext cell) {
        String name = text.split("\\s+", 2)[0];
        String rest = text.substring(name.length()).trim();
        switch (name) {
            case "time":
                return time(rest, cell);
            case "timeit": {
                var parsed = dev.spindle.timing.Timeit.parse(rest);
                String code = parsed.code().strip();
                String options = rest.substring(0, Math.max(0, rest.length() - parsed.code().length())).trim();
                boolean keep = parsed.options().returnResult();
                Outcome o = engine.execute(timeitCall(options, "() -> (" + stripSemicolon(code) + ")", keep), cell);
                if (o instanceof Outcome.Failure f && f.ename().equals("CompilationError")) {
                    o = engine.execute(timeitCall(options, "() -> { " + code + (code.endsWith(";") ? "" : ";") + " }", keep), cell);
                }
                return o;
            }
            case "lsmagic":
                print(cell, "Cell magics: " + String.join(" ", CELL) + "\nLine magics: " + String.join(" ", LINE) + "\n");
                return new Outcome.Value(null, null);
            case "classpath":
                if (rest.isEmpty()) return usage("%classpath PATH[:PATH...]  adds jars or class directories");
                for (String p : rest.split(java.io.File.pathSeparator)) engine.addToClasspath(p.trim());
                print(cell, "added to the classpath: " + rest + "\n");
                return new Outcome.Value(null, null);
            case "workers":
                StringBuilder sb = new StringBuilder();
                Workers.live().forEach(w -> sb.append(w).append('\n'));
                Workers.pools().forEach(p -> sb.append(p).append('\n'));
                print(cell, sb.length() == 0 ? "no live workers\n" : sb.toString());
                return new Outcome.Value(null, null);
            default:
                return unknown("%" + name, LINE);
        }
    }

    /** {@code %%time}: wall, kernel CPU (all threads) and child-JVM CPU around the cell. */
    private Outcome time(String body, CellContext cell) {
        Measurement m = Measurement.start();
        Outcome o = execute(body, cell);
        TimeReport r = m.stop();
        print(cell, r + "\n");
        return o;
    }

    private static String timeitCall(String args, String lambda, boolean keepResult) {
        String call = "dev.spindle.magic.MagicSupport.timeit(" + JavaText.quote(args) + ", " + lambda + ")";
        return keepResult ? call : "{ " + call + "; }";
    }

    private static String stripSemicolon(String code) {
        return code.endsWith(";") ? code.substring(0, code.length() - 1) : code;
    }

    private void print(CellContext cell, String text) {
        streams.print(cell, "stdout", text);
    }

    private static Outcome unknown(String name, List<String> known) {
        return new Outcome.Failure("UnknownMagic", name + " is not a Spindle magic",
                new ArrayList<>(List.of("\u001b[0;31mUnknownMagic\u001b[0m: " + name + " is not a Spindle magic. Available: "
                        + String.join(" ", known) + ".")));
    }

    private static Outcome usage(String text) {
        return new Outcome.Failure("UsageError", text, List.of("UsageError: " + text));
    }
}
