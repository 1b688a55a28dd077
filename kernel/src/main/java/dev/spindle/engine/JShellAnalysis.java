package dev.spindle.engine;

import dev.spindle.engine.Engine.Completeness;
import dev.spindle.engine.Engine.Completion;
import dev.spindle.engine.Engine.Inspection;
import dev.spindle.engine.Engine.Kind;
import jdk.jshell.JShell;
import jdk.jshell.SourceCodeAnalysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Answers complete, inspect and is_complete from JShell's source analysis. The caller holds
 * the JShell lock ({@link JShellEngine} acquires it); nothing here runs cell code.
 */
final class JShellAnalysis {
    private static final Logger LOG = Logger.getLogger(JShellEngine.class.getName());

    private JShellAnalysis() {
    }

    static Completion complete(JShell js, String code, int cursor) {
        SourceCodeAnalysis analysis = js.sourceCodeAnalysis();
        int start = snippetStart(analysis, code, cursor);
        String src = code.substring(start, cursor);
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> suggestions;
        try {
            suggestions = analysis.completionSuggestions(src, src.length(), anchor);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "completion failed", e);
            return new Completion(List.of(), cursor, cursor);
        }
        // Jupyter's convention: the name alone ("abs", not JShell's "abs("); a method's
        // overloads are one match. Type-matching suggestions first, as JShell ranks them.
        Map<String, Kind> kinds = new LinkedHashMap<>();
        suggestions.stream().filter(SourceCodeAnalysis.Suggestion::matchesType).forEach(x -> addKind(kinds, x.continuation()));
        suggestions.forEach(x -> addKind(kinds, x.continuation()));
        String before = src.substring(0, anchor[0]);
        // A signature costs one javac analysis: worth it once the prefix narrowed the list,
        // not on every Tab after "Math." (20 lookups took 0.7-1.3 s there).
        boolean describe = kinds.size() <= SIGNATURES;
        List<Kind> out = new ArrayList<>(kinds.size());
        for (Kind k : kinds.values()) {
            if (describe && k.type().equals("function")) k = withSignature(analysis, before, k);
            out.add(k);
        }
        return new Completion(new ArrayList<>(kinds.keySet()), start + anchor[0], cursor, out);
    }

    /** Completions are described with signatures when there are at most this many. */
    private static final int SIGNATURES = 5;

    private static void addKind(Map<String, Kind> kinds, String continuation) {
        boolean call = continuation.endsWith("(");
        String name = call ? continuation.substring(0, continuation.length() - 1) : continuation;
        if (name.isEmpty() || kinds.containsKey(name)) return;
        String type = call ? "function"
                : name.endsWith(".") ? "module"
                // PI, MAX_VALUE: constants are all capitals; types are capitalised words.
                : Character.isUpperCase(name.charAt(0)) && !name.equals(name.toUpperCase(java.util.Locale.ROOT)) ? "class"
                : "instance";
        kinds.put(name, new Kind(name, type, ""));
    }

    private static Kind withSignature(SourceCodeAnalysis analysis, String before, Kind k) {
        String probe = before + k.match() + "(";
        try {
            List<SourceCodeAnalysis.Documentation> docs = analysis.documentation(probe, probe.length(), false);
            if (docs.isEmpty()) return k;
            String signature = docs.get(0).signature() + (docs.size() > 1 ? "  (+" + (docs.size() - 1) + " overloads)" : "");
            return new Kind(k.match(), k.type(), signature);
        } catch (RuntimeException e) {
            return k;
        }
    }

    private static int snippetStart(SourceCodeAnalysis analysis, String code, int cursor) {
        List<CellSource.Piece> pieces = CellSource.split(analysis, code.substring(0, cursor));
        if (pieces.isEmpty()) return cursor;
        CellSource.Piece lastPiece = pieces.get(pieces.size() - 1);
        int end = lastPiece.end();
        // A complete last snippet that ends before the cursor means the cursor starts a new one.
        return end < cursor && code.substring(end, cursor).isBlank() ? cursor : lastPiece.codeStart(code);
    }

    static Optional<Inspection> inspect(JShell js, String code, int cursor) {
        SourceCodeAnalysis analysis = js.sourceCodeAnalysis();
        int end = cursor;
        while (end < code.length() && Character.isJavaIdentifierPart(code.charAt(end))) end++;
        int start = snippetStart(analysis, code, end);
        if (start >= end) return Optional.empty();
        String src = code.substring(start, end);
        List<SourceCodeAnalysis.Documentation> docs;
        try {
            docs = analysis.documentation(src, src.length(), true);
            if (docs.isEmpty()) docs = analysis.documentation(src + "(", src.length() + 1, true);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "inspection failed", e);
            return Optional.empty();
        }
        if (docs.isEmpty()) return Optional.empty();
        StringBuilder plain = new StringBuilder(), md = new StringBuilder();
        for (SourceCodeAnalysis.Documentation d : docs) {
            plain.append(d.signature()).append('\n');
            md.append("```java\n").append(d.signature()).append("\n```\n");
            String javadoc = d.javadoc();
            if (javadoc == null || javadoc.isBlank()) javadoc = HelperDocs.javadoc(d.signature());
            if (javadoc != null && !javadoc.isBlank()) {
                plain.append(JavadocText.plain(javadoc)).append("\n\n");
                md.append(JavadocText.markdown(javadoc)).append("\n\n");
            }
        }
        return Optional.of(new Inspection(plain.toString().strip(), md.toString().strip()));
    }

    static Completeness isComplete(JShell js, String code) {
        SourceCodeAnalysis analysis = js.sourceCodeAnalysis();
        String rest = code;
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            switch (info.completeness()) {
                case COMPLETE, COMPLETE_WITH_SEMI -> rest = info.remaining();
                case EMPTY -> rest = "";
                case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE -> {
                    // JShell also says "incomplete" for text no ending can fix (`@@@`).
                    if (!SyntaxProbe.couldContinue(rest)) return new Completeness("invalid", "");
                    return new Completeness("incomplete", indentFor(rest));
                }
                default -> {
                    return new Completeness("invalid", "");
                }
            }
        }
        return new Completeness("complete", "");
    }

    private static String indentFor(String code) {
        int depth = 0;
        for (char c : code.toCharArray()) {
            if (c == '{' || c == '(') depth++;
            else if ((c == '}' || c == ')') && depth > 0) depth--;
        }
        return "    ".repeat(Math.max(1, depth));
    }
}
