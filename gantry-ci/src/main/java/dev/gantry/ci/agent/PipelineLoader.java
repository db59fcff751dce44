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
 * caches by source content) and evaluates its {@link PipelineDefinition}. Compiler errors
 * become a {@link PipelineException} listing {@code .gantry/Pipeline.java:3:5: message} lines.
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
    PipelineDefinition def;
    try {
      def = loader.load(dir, PipelineDefinition.class);
    } catch (DefinitionException e) {
      String lines = e.problems().stream().map(p -> relative(checkout, p)).collect(Collectors.joining("\n"));
      throw new PipelineException("the pipeline does not compile:\n" + lines);
    }
    PipelineBuilder builder = new PipelineBuilder();
    try {
      def.define(builder);
    } catch (PipelineException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new PipelineException(FOLDER + "/Pipeline.java: define() threw " + e);
    }
    return builder;
  }

  /** The problem with its file shown relative to the checkout, as the user knows it. */
  private static String relative(Path checkout, Problem p) {
    Path file = p.file();
    Path shown = file.isAbsolute() && file.startsWith(checkout) ? checkout.relativize(file)
        : file.isAbsolute() ? file : Path.of(FOLDER).resolve(file);
    return new Problem(shown, p.line(), p.column(), p.message()).toString();
  }
}
