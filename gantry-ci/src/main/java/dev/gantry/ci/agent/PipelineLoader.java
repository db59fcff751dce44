package dev.gantry.ci.agent;

import dev.gantry.ci.pipeline.PipelineBuilder;
import dev.gantry.ci.pipeline.PipelineDefinition;
import dev.gantry.ci.pipeline.PipelineException;
import dev.gantry.core.definition.DefinitionException;
import dev.gantry.core.definition.DefinitionLoader;
import dev.gantry.core.definition.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Compiles a checkout's {@code .gantry/*.java} (gantry-core's {@link DefinitionLoader}, which
 * caches by source content) and evaluates its {@link PipelineDefinition}. Compiler errors, and
 * what the definition's code throws (a {@code DefinitionError} from a step, say), become a
 * {@link PipelineException} listing {@code .gantry/Pipeline.java:3:5: message} lines.
 *
 * <pre>{@code
 * PipelineBuilder p = new PipelineLoader(cacheDir).load(workspace);
 * StepGraph graph = p.build();
 * }</pre>
 */
public final class PipelineLoader {
  public static final String FOLDER = ".gantry";

  private final DefinitionLoader loader;

  public PipelineLoader(Path cacheDir) {
    this.loader = new DefinitionLoader(cacheDir);
  }

  /** Compiles and runs the definition in {@code checkout}; returns the declared steps. */
  public PipelineBuilder load(Path checkout) {
    Path dir = checkout.resolve(FOLDER);
    if (!Files.isRegularFile(dir.resolve("Pipeline.java"))) {
      throw new PipelineException("no pipeline: " + FOLDER + "/Pipeline.java is missing from the candidate");
    }
    PipelineBuilder builder = new PipelineBuilder();
    try {
      return loader.load(dir, PipelineDefinition.class, def -> {
        def.define(builder);
        return builder;
      });
    } catch (DefinitionException e) {
      String lines = e.problems().stream().map(p -> relative(checkout, p)).collect(Collectors.joining("\n"));
      // thrown by the pipeline's own code (a bad step name, say) rather than by javac or the class loader
      boolean ran = e.getCause() instanceof RuntimeException;
      throw new PipelineException((ran ? "the pipeline is not valid:\n" : "the pipeline does not compile:\n") + lines);
    }
  }

  /** The problem with its file shown relative to the checkout, as the user knows it. */
  private static String relative(Path checkout, Problem p) {
    Path file = p.file();
    Path shown = file.isAbsolute() && file.startsWith(checkout) ? checkout.relativize(file)
        : file.isAbsolute() ? file : Path.of(FOLDER).resolve(file);
    return new Problem(shown, p.line(), p.column(), p.message()).toString();
  }
}
