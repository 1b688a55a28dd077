package dev.spindle.protocol;

import dev.spindle.engine.Engine;
import dev.spindle.engine.Outcome;
import dev.spindle.output.CellContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A scripted engine: {@code fail ...} fails, {@code value X} returns X, anything else succeeds
 * with no value. {@link #whileRunning} runs inside a cell, e.g. to queue requests behind it.
 */
final class FakeEngine implements Engine {
    final List<String> executed = new ArrayList<>();
    final List<CellContext> cells = new ArrayList<>();
    final Map<String, Consumer<CellContext>> whileRunning = new ConcurrentHashMap<>();
    Completeness completeness = new Completeness("complete", "");
    int interrupts;

    @Override
    public Outcome execute(String code, CellContext cell) {
        executed.add(code);
        cells.add(cell);
        Consumer<CellContext> during = whileRunning.get(code);
        if (during != null) during.accept(cell);
        return evaluate(code, cell);
    }

    @Override
    public Outcome evaluate(String code, CellContext cell) {
        if (code.startsWith("fail")) return new Outcome.Failure("Boom", code, List.of("Boom: " + code));
        if (code.startsWith("value ")) return new Outcome.Value(code.substring(6), code.substring(6));
        return new Outcome.Value(null, null);
    }

    @Override
    public Completion complete(String code, int cursor) {
        return new Completion(List.of("matchOne", "matchTwo"), 0, cursor);
    }

    @Override
    public Optional<Inspection> inspect(String code, int cursor) {
        return code.isEmpty() ? Optional.empty() : Optional.of(new Inspection(code, "`" + code + "`"));
    }

    @Override
    public Completeness isComplete(String code) {
        return completeness;
    }

    @Override
    public void addToClasspath(String path) {
    }

    @Override
    public void interrupt() {
        interrupts++;
    }

    @Override
    public void close() {
    }
}
