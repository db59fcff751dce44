package dev.gantry.core.definition;

import dev.gantry.core.UserError;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A definition that cannot be compiled, loaded or created. The message has one
 * {@code file:line:col: message} line per problem, ready to print.
 *
 * <pre>{@code
 * try {
 *   loader.load(path, PipelineDefinition.class);
 * } catch (DefinitionException e) {
 *   e.problems().forEach(p -> ui.markError(p.file(), p.line(), p.message()));
 * }
 * }</pre>
 */
public class DefinitionException extends UserError {
  private static final long serialVersionUID = 1L;
  private final transient List<Problem> problems;

  public DefinitionException(List<Problem> problems) {
    super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  public DefinitionException(Problem problem, Throwable cause) {
    super(problem.toString(), cause);
    this.problems = List.of(problem);
  }

  public List<Problem> problems() {
    return problems;
  }
}
