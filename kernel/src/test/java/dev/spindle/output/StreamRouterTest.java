package dev.spindle.output;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class StreamRouterTest {
    private final RecordingPublisher publisher = new RecordingPublisher();
    private final List<RecordingPublisher.Sent> sent = publisher.sent;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final StreamRouter router = new StreamRouter(publisher, new PrintStream(log));

    private static CellContext cell(long limit) {
        return new CellContext(1, false, new CellContext.OutputBudget(limit));
    }

    @AfterEach
    void clear() {
        CellContexts.markKernelThread();
    }

    private String textOf(CellContext c) {
        StringBuilder sb = new StringBuilder();
        for (RecordingPublisher.Sent s : sent) if (s.cell() == c && s.type().equals("stream")) sb.append(s.text());
        return sb.toString();
    }

    @Test
    void threadOutputGoesToTheCellThatStartedTheThread() throws Exception {
        CellContext first = cell(1000), second = cell(1000);
        CellContexts.enterCell(first);
        Thread owned = new Thread(() -> router.write("stdout", "owned\n"));
        CellContexts.enterCell(second);
        router.write("stdout", "from second\n");
        owned.start();
        owned.join();
        router.flushAll();
        assertEquals("from second\n", textOf(second));
        assertEquals("owned\n", textOf(first));
    }

    @Test
    void manyWritesBecomeFewMessagesInOrder() {
        CellContext c = cell(10_000_000);
        CellContexts.enterCell(c);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            router.write("stdout", "line " + i + "\n");
            expected.append("line ").append(i).append('\n');
        }
        router.flush(c);
        assertEquals(expected.toString(), textOf(c));
        assertTrue(sent.size() < 200, "expected batching, got " + sent.size() + " messages");
    }

    @Test
    void floodIsCutWithOneNoticeAndCounted() {
        CellContext c = cell(1000);
        CellContexts.enterCell(c);
        for (int i = 0; i < 1000; i++) router.write("stdout", "0123456789\n");
        router.finishCell(c);
        String all = textOf(c);
        assertTrue(all.contains("output truncated"), all);
        assertTrue(all.contains("more lines"), all);
        long notices = sent.stream().filter(s -> s.text().contains("truncated")).count();
        assertEquals(1, notices);
        assertTrue(all.length() < 1600, "only the budget plus notices is sent");
    }

    @Test
    void theCutFallsOnALineBoundaryAndCountsWholeLines() {
        CellContext c = cell(100);
        CellContexts.enterCell(c);
        for (int i = 0; i < 50; i++) router.write("stdout", String.format("line %02d\n", i)); // 8 bytes each
        router.finishCell(c);
        String out = sent.stream().filter(s -> "stdout".equals(s.stream())).map(RecordingPublisher.Sent::text)
                .reduce("", String::concat);
        assertEquals(96, out.length(), out); // 12 whole lines of 8 bytes fit in 100
        assertTrue(out.endsWith("line 11\n"), out);
        assertTrue(textOf(c).contains("38 more lines"), textOf(c));
    }

    @Test
    void nothingAfterTheCutIsShownEvenIfItWouldFit() {
        CellContext c = cell(20);
        CellContexts.enterCell(c);
        router.write("stdout", "0123456789abcdef\n");
        router.write("stdout", "0123456789\n"); // does not fit: cut here
        router.write("stdout", "x\n");          // would fit, but shown output stays one piece
        router.finishCell(c);
        String out = sent.stream().filter(s -> "stdout".equals(s.stream())).map(RecordingPublisher.Sent::text)
                .reduce("", String::concat);
        assertEquals("0123456789abcdef\n", out);
        assertTrue(textOf(c).contains("2 more lines"), textOf(c));
    }

    @Test
    void outputDroppedAfterTheReplyGetsItsOwnNotice() throws Exception {
        router.startFlusher();
        CellContext c = cell(10);
        CellContexts.enterCell(c);
        router.write("stdout", "12345678\n");
        router.finishCell(c); // the reply goes now; the cell's threads print on
        for (int i = 0; i < 5; i++) router.write("stdout", "late line\n");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!textOf(c).contains("more lines") && System.nanoTime() < deadline) {
            synchronized (this) {
                wait(20); // bounded poll of what the flusher thread published
            }
        }
        assertTrue(textOf(c).contains("5 more lines (50 bytes)"), textOf(c));
    }

    @Test
    void replacedStandardStreamsAreReclaimedWithOneNotice() {
        PrintStream out = System.out, err = System.err;
        try {
            CellContext c = cell(10_000);
            router.install();
            assertFalse(router.reclaimStandardStreams(c), "nothing replaced, nothing to say");
            System.setOut(new PrintStream(new ByteArrayOutputStream()));
            System.setErr(null);
            assertTrue(router.reclaimStandardStreams(c));
            assertNotNull(System.err);
            CellContexts.enterCell(c);
            System.out.println("routed again");
            router.flush(c);
            String text = textOf(c);
            assertTrue(text.contains("routed again"), text);
            assertEquals(1, text.split("this cell replaced", -1).length - 1, text);
            assertTrue(text.contains("System.out and System.err"), text);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void kernelThreadsWriteToTheLogNotToCells() {
        CellContext c = cell(1000);
        CellContexts.enterCell(c);
        CellContexts.markKernelThread();
        router.write("stderr", "internal\n");
        router.flushAll();
        assertTrue(sent.isEmpty());
        assertTrue(log.toString().contains("internal"));
    }
}
