package dev.spindle.engine;

import com.sun.source.util.JavacTask;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import java.net.URI;
import java.util.List;

/**
 * Tells unfinished code from code that cannot compile, for is_complete. JShell calls both
 * {@code for (int i = 0; i < 3; i++) {} and {@code @@@} "incomplete"; a frontend would then wait
 * for more lines of the second forever. Parsed (never compiled) in the three places a snippet
 * can stand -- top level, class member, statement -- unfinished code fails only at its end,
 * while broken code fails before it in all three.
 */
final class SyntaxProbe {
    private static final String[][] WRAPPERS = {
            {"", "\n"},
            {"class SpindleProbe {\n", "\n"},
            {"class SpindleProbe { void probe() {\n", "\n"},
    };

    private static final java.util.Set<String> OPEN_ENDED = java.util.Set.of(
            "compiler.err.unclosed.comment", "compiler.err.unclosed.text.block", "compiler.err.premature.eof");

    private SyntaxProbe() {
    }

    /** True when some wrapper's first syntax error is at the end of {@code code}: more text could fix it. */
    static boolean couldContinue(String code) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) return true;
        String body = code.stripTrailing();
        for (String[] w : WRAPPERS) {
            long end = w[0].length() + body.length();
            long first = firstError(javac, w[0] + body + w[1]);
            if (first < 0 || first >= end) return true;
        }
        return false;
    }

    /** Position of the first syntax error, or -1 if the text parses. */
    private static long firstError(JavaCompiler javac, String text) {
        DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
        JavaFileObject src = new SimpleJavaFileObject(URI.create("string:///SpindleProbe.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return text;
            }
        };
        try {
            JavacTask task = (JavacTask) javac.getTask(null, null, diags, List.of("-proc:none"), null, List.of(src));
            task.parse();
        } catch (RuntimeException | java.io.IOException e) {
            return -1;
        }
        Diagnostic<? extends JavaFileObject> first = null;
        for (Diagnostic<? extends JavaFileObject> d : diags.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR || position(d) < 0) continue;
            if (first == null || position(d) < position(first)) first = d;
        }
        if (first == null) return -1;
        // An open comment or text block is reported where it starts, yet more lines close it.
        return OPEN_ENDED.contains(first.getCode()) ? Long.MAX_VALUE : position(first);
    }

    private static long position(Diagnostic<?> d) {
        return Math.max(d.getPosition(), d.getStartPosition());
    }
}
