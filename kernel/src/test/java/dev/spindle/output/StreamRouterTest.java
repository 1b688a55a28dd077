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
