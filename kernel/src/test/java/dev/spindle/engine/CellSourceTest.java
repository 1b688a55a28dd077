package dev.spindle.engine;

import jdk.jshell.JShell;
import jdk.jshell.SourceCodeAnalysis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Cutting cells into snippets, and joining plain statements into groups. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CellSourceTest {
    private JShell js;
    private SourceCodeAnalysis analysis;

    @BeforeAll
    void start() {
        js = JShell.builder().build();
        analysis = js.sourceCodeAnalysis();
    }

    @AfterAll
    void stop() {
        js.close();
    }

    /** The split JShell alone makes: analyzeCompletion on the rest, snippet after snippet. */
    private List<String> jshellSplit(String code) {
        List<String> out = new ArrayList<>();
        String rest = code;
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            if (info.completeness() == SourceCodeAnalysis.Completeness.EMPTY) break;
            if (!info.completeness().isComplete()) {
                out.add(rest);
                break;
            }
            out.add(info.source().strip());
            rest = info.remaining();
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "int a = 1;\nint b = 2;\na + b",
            "foo();\n  bar(1, 2);\n\tString s = \"a;b\";  // c;\nchar c = ';';",
            "List<Map<String, Integer>> xs = new ArrayList<>();\nxs.add(Map.of(\"a\", 1)); xs",
            "for (int i = 0; i < 3; i++) sum += i;\nif (x) y(); else z();\nw();",
            "void f() { System.out.println(1); }\nf();\nclass P { int x; }\nnew P().x",
            "int[] arr = {1, 2};\nRunnable r = () -> { go(); };\nr.run();",
            "String t = \"\"\"\n  a;\n  \"\"\";\nt.length()",
            "/* a; */ int x = 1; // b;\nx",
            "label: for (;;) break label;\nx++;",
            "@Deprecated int old = 1;\nold",
            "do x(); while (c);\ny();",
            "import java.util.*;\nimport static java.lang.Math.max;\nmax(1, 2)",
            "x -> x\n",
            "record R(int a) {}\nnew R(1).a()",
    })
    void splitsAsJShellWould(String code) {
        List<String> ours = CellSource.split(analysis, code).stream().map(p -> p.source().strip()).toList();
        assertEquals(jshellSplit(code), ours);
    }

    @Test
    void piecesKnowWhereTheirTextStandsInTheCell() {
        String code = "int a = 1;\n    foo(a);\nbar()";
        List<CellSource.Piece> pieces = CellSource.split(analysis, code);
        assertEquals(3, pieces.size());
        for (CellSource.Piece p : pieces) {
            assertEquals(code.substring(p.start(), p.end()), p.source().substring(p.lead(), p.lead() + p.length()));
        }
        CellSource.Piece second = pieces.get(1);
        assertEquals("\n    foo(a);", second.source());
        assertEquals(code.indexOf("foo"), second.codeStart(code));
        assertEquals(code.indexOf("(a)"), second.cellIndex(second.source().indexOf("(a)")));
        CellSource.Piece tail = pieces.get(2);
        assertEquals("\nbar()", tail.source());
        assertFalse(tail.typedSemicolon());
        assertEquals(code.length(), tail.end(), "the added semicolon is not the cell's");
    }

    @ParameterizedTest
    @ValueSource(strings = {"foo();", "a.b(c).d();", "x = 3;", "x += 3;", "arr[i] = 2;", "i++;", "--i;",
            "new Thread(r).start();", "System.out.println(\"a b\");", "new HashMap<String, List<Integer>>().put(k, v);",
            "for (int i = 0; i < 3; i++) { go(i); }", "if (a) b(); else c();", "while (x) y();",
            "try { a(); } catch (Exception e) { }", "synchronized (lock) { a(); }", "{ int local = 1; }",
            "throw new RuntimeException();", "this.x = 1;", "r = () -> go();", "((Runnable) r).run();"})
    void plainStatements(String statement) {
        assertTrue(isPlain(statement), statement);
    }

    @ParameterizedTest
    @ValueSource(strings = {"int x = 1;", "String s = \"a\";", "var v = 1;", "List<String> xs = null;",
            "Map<String, List<Integer>> m;", "int[] a = {1};", "Foo[] fs = null;", "a.B c = null;",
            "final int y = 2;", "void f() { }", "String g() { return \"\"; }", "class C { }", "record R(int a) { }",
            "enum E { A }", "interface I { }", "@Deprecated int d;", "<T> T id(T t) { return t; }",
            "import java.util.*;", "static int s;", "sealed interface S permits T { }", "Collections.<String>emptyList();",
            "x;", "a + b;", "obj.field;", "new int[3];", "label: go();", "return;", "x instanceof String s;"})
    void notPlainStatements(String snippet) {
        assertFalse(isPlain(snippet), snippet);
    }

    private boolean isPlain(String code) {
        List<CellSource.Piece> pieces = CellSource.split(analysis, code);
        assertEquals(1, pieces.size(), code);
        return StatementGroups.isPlainStatement(code, pieces.get(0));
    }

    @Test
    void consecutiveStatementsJoinDeclarationsAndTheShownValueStayApart() {
        String code = "int a = 1;\nfoo(a);\n  bar(a);\nint b = 2;\nbaz();\nqux();\nx++;\na + b";
        List<CellSource.Piece> plan = StatementGroups.plan(code, CellSource.split(analysis, code));
        List<String> sources = plan.stream().map(CellSource.Piece::source).toList();
        assertEquals(List.of("int a = 1;", "{\nfoo(a);\n  bar(a);\n}", "\nint b = 2;", "{\nbaz();\nqux();\nx++;\n}",
                "\na + b"), sources);
        CellSource.Piece group = plan.get(1);
        assertTrue(group.isGroup());
        assertEquals(2, group.parts().size());
        // positions in the group's source map back to the cell, the brace aside
        assertEquals(code.indexOf("bar"), group.cellIndex(group.source().indexOf("bar")));
        assertEquals(group.start(), group.cellIndex(0));
        assertEquals("bar", code.substring(group.cellIndex(group.source().indexOf("bar")), code.indexOf("bar") + 3));
    }

    @Test
    void aLoneStatementStaysAsItIsAndALastStatementWithItsSemicolonJoins() {
        String code = "go();\nint a = 1;\nstop();\nend();";
        List<CellSource.Piece> plan = StatementGroups.plan(code, CellSource.split(analysis, code));
        assertEquals(List.of("go();", "\nint a = 1;", "{\nstop();\nend();\n}"),
                plan.stream().map(CellSource.Piece::source).toList());
        assertFalse(plan.get(0).isGroup());
    }

    @Test
    void aTrailingCommentCannotSwallowTheClosingBrace() {
        String code = "a(); // one\nb(); // two";
        List<CellSource.Piece> plan = StatementGroups.plan(code, CellSource.split(analysis, code));
        assertEquals(1, plan.size(), plan.toString());
        assertEquals("{a(); // one\nb();\n}", plan.get(0).source());
    }

    @Test
    void theFirstLineOfASnippetIsThatOfItsCode() {
        String code = "int a = 1;\n// a comment\n\n  foo();\nbar();";
        List<CellSource.Piece> pieces = CellSource.split(analysis, code);
        assertEquals(4, pieces.get(1).firstLine(code));
        CellSource.Piece group = StatementGroups.plan(code, pieces).get(1);
        assertTrue(group.isGroup());
        assertEquals(1, group.firstLine(code), "the group's brace stands where its text starts");
    }

    @Test
    void linesAndColumns() {
        String text = "ab\n\tcd\nef";
        assertEquals(1, CellSource.lineOf(text, 0));
        assertEquals(2, CellSource.lineOf(text, 3));
        assertEquals(3, CellSource.lineOf(text, text.length()));
        assertEquals(1, CellSource.columnOf(text, 4));
        assertEquals("\tcd", CellSource.lineText(text, 2));
    }
}
