package dev.spindle.internal.process;

import dev.spindle.concurrent.SharedEvent;
import dev.spindle.concurrent.SharedQueue;
import dev.spindle.internal.process.wire.Frame;
import dev.spindle.internal.process.wire.IpcReply;
import dev.spindle.internal.process.wire.IpcRequest;
import dev.spindle.internal.process.wire.Wire;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The kernel side of shared objects, driven as a child's frames would drive it (no child JVM):
 * which requests are answered at once, and a queue's get that waits without a kernel thread.
 */
class IpcHubTest {
    private static final long WAIT_S = 10;

    /** A child's side of one request: the answer it gets, and whether it is still alive. */
    private static final class FakeChild implements IpcHub.Reply {
        final CompletableFuture<IpcReply> answer = new CompletableFuture<>();
        volatile boolean alive = true;
        volatile Thread answeredOn;

        @Override
        public boolean send(IpcReply reply) {
            if (!alive) return false;
            answeredOn = Thread.currentThread();
            assertTrue(answer.complete(reply), "one answer per request");
            return true;
        }

        @Override
        public boolean open() {
            return alive;
        }

        IpcReply await() throws Exception {
            return answer.get(WAIT_S, TimeUnit.SECONDS);
        }
    }

    private static FakeChild ask(long id, String op, Object value, long timeoutNanos) throws Exception {
        FakeChild child = new FakeChild();
        byte[] v = value == null ? null : Wire.encode(value);
        WorkerRuntime.current().ipc().handle(new Frame(Frame.IPC_REQUEST, 1, new IpcRequest(id, op, v, timeoutNanos).encode()), child);
        return child;
    }

    private static Object valueOf(IpcReply r) throws Exception {
        assertNull(r.error());
        assertFalse(r.timedOut());
        return Wire.decode(r.value(), IpcHubTest.class.getClassLoader());
    }

    private static long idOf(SharedQueue<?> q) throws Exception {
        java.lang.reflect.Field f = SharedQueue.class.getDeclaredField("id");
        f.setAccessible(true);
        return f.getLong(q);
    }

    @Test
    void aPutFromAChildIsAnsweredOnTheReadingThreadAndReachesALocalGet() throws Exception {
        SharedQueue<String> q = new SharedQueue<>();
        FakeChild put = ask(idOf(q), "put", "from child", 0);
        assertTrue(put.answer.isDone(), "answered before handle() returned");
        assertSame(Thread.currentThread(), put.answeredOn);
        assertEquals("from child", q.get(Duration.ofSeconds(WAIT_S)));
    }

    @Test
    void aChildsGetWaitsWithoutAThreadAndTheNextPutAnswersIt() throws Exception {
        SharedQueue<Integer> q = new SharedQueue<>();
        FakeChild get = ask(idOf(q), "get", null, -1);
        assertFalse(get.answer.isDone(), "nothing to take yet");
        q.put(42);
        assertTrue(get.answer.isDone(), "the putting thread answered");
        assertSame(Thread.currentThread(), get.answeredOn);
        assertEquals(42, valueOf(get.await()));
        assertEquals(0, q.size(), "the item went to the child, not into the queue");
    }

    @Test
    void waitingChildrenAreServedOldestFirstAndItemsKeepTheirOrder() throws Exception {
        SharedQueue<String> q = new SharedQueue<>();
        FakeChild first = ask(idOf(q), "get", null, -1);
        FakeChild second = ask(idOf(q), "get", null, -1);
        q.put("a");
        q.put("b");
        q.put("c");
        assertEquals("a", valueOf(first.await()));
        assertEquals("b", valueOf(second.await()));
        assertEquals("c", valueOf(ask(idOf(q), "get", null, -1).await()), "an item that waited is taken at once");
    }

    @Test
    void anItemIsNotLostToAChildThatDiedWhileWaiting() throws Exception {
        SharedQueue<String> q = new SharedQueue<>();
        FakeChild dead = ask(idOf(q), "get", null, -1);
        FakeChild alive = ask(idOf(q), "get", null, -1);
        dead.alive = false;
        q.put("x");
        assertEquals("x", valueOf(alive.await()));
        q.put("y");
        assertEquals("y", q.poll(), "with no live child waiting it stays in the queue");
    }

    @Test
    void nullItemsCrossToo() throws Exception {
        SharedQueue<String> q = new SharedQueue<>();
        FakeChild get = ask(idOf(q), "get", null, -1);
        q.put(null);
        assertNull(valueOf(get.await()));
    }

    @Test
    void aGetWithATimeoutEndsTimedOutAndDoesNotTakeALaterItem() throws Exception {
        SharedQueue<String> q = new SharedQueue<>();
        FakeChild get = ask(idOf(q), "get", null, TimeUnit.MILLISECONDS.toNanos(50));
        IpcReply r = get.await();
        assertTrue(r.timedOut());
        q.put("later");
        assertEquals("later", q.poll());
    }

    @Test
    void aGetWithZeroTimeoutIsAPollAnsweredAtOnce() throws Exception {
        SharedQueue<String> q = new SharedQueue<>();
        FakeChild empty = ask(idOf(q), "get", null, 0);
        assertTrue(empty.answer.isDone());
        assertTrue(empty.await().timedOut());
        q.put("here");
        assertEquals("here", valueOf(ask(idOf(q), "get", null, 0).await()));
    }

    @Test
    void joinWaitsOnAPoolThreadNotTheReader() throws Exception {
        SharedQueue<String> q = new SharedQueue<>();
        q.put("job");
        FakeChild join = ask(idOf(q), "join", null, -1);
        assertFalse(join.answer.isDone(), "one item is not done yet");
        assertEquals("job", q.get());
        q.taskDone();
        assertNull(join.await().error());
        assertNotSame(Thread.currentThread(), join.answeredOn);
    }

    @Test
    void anUnknownObjectOrOperationIsAnErrorReply() throws Exception {
        assertTrue(ask(Long.MAX_VALUE, "get", null, 0).await().error().contains("no shared object"));
        SharedQueue<String> q = new SharedQueue<>();
        assertTrue(ask(idOf(q), "fly", null, 0).await().error().contains("unknown queue operation"));
    }

    @Test
    void eventSetIsAnsweredAtOnceAndAWaitOnAPoolThread() throws Exception {
        SharedEvent e = new SharedEvent();
        java.lang.reflect.Field f = SharedEvent.class.getDeclaredField("id");
        f.setAccessible(true);
        long id = f.getLong(e);
        FakeChild await = ask(id, "await", null, -1);
        assertFalse(await.answer.isDone());
        FakeChild set = ask(id, "set", null, 0);
        assertTrue(set.answer.isDone());
        assertSame(Thread.currentThread(), set.answeredOn);
        assertEquals(1, await.await().number());
    }
}
