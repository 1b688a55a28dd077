package dev.spindle.timing;

/**
 * The argument text of a {@code %timeit} / {@code %%timeit} magic, split into options and the
 * code to time: see {@link Timeit#parse(String)}.
 *
 * @param options the options given (defaults for the rest)
 * @param code what follows the options, unchanged (empty for a cell magic's first line)
 */
public record TimeitArgs(TimeitOptions options, String code) {
}
