package dev.spindle.magic;

import dev.spindle.timing.Timeit;
import dev.spindle.timing.TimeitArgs;
import dev.spindle.timing.TimeitResult;
import dev.spindle.timing.Work;

import java.util.concurrent.Callable;

/**
 * What magics expand into: {@code %timeit x} becomes a call to {@link #timeit} that runs in the
 * cell itself, so it is interruptible and its output lands in the cell like any code. Public
 * only because the generated cell code calls it.
 */
public final class MagicSupport {
    private MagicSupport() {
    }

    /** {@code %timeit} with an expression or statement body. */
    public static TimeitResult timeit(String args, Work body) {
        TimeitArgs a = Timeit.parse(args);
        TimeitResult r = Timeit.run(body, a.options());
        if (!a.options().quiet()) System.out.println(r.report());
        return a.options().returnResult() ? r : null;
    }

    /** Where timed values go, so the JIT cannot drop the computation that made them. */
    private static volatile Object sink;

    /** {@code %timeit} with an expression body: its value is kept, so it must be computed. */
    public static TimeitResult timeit(String args, Callable<?> body) {
        // A block body, so this calls the Work overload (an expression lambda would pick this one).
        Work keep = () -> {
            sink = body.call();
        };
        return timeit(args, keep);
    }

    /** {@code %%python}: runs the text in a Python 3 subprocess; see {@link PythonCell}. */
    public static PythonRun python(String args, String code) throws InterruptedException {
        return PythonCell.run(args, code);
    }
}
