package dev.gantry.host.definition;

import dev.gantry.core.UserError;
import dev.gantry.core.infra.InfrastructureDefinition;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;

/**
 * An infrastructure definition as class files held in memory: what a host's runtime
 * receives from the spin (compiled on this machine by core's {@code InfraDefinition}) and
 * loads without a compiler.
 *
 * <pre>{@code
 * CompiledDefinition d = new CompiledDefinition(request.definitionClass(), classes);
 * Infrastructure infra = Infrastructure.of(d.instantiate());
 * }</pre>
 */
public record CompiledDefinition(String className, Map<String, byte[]> classes) {
  public CompiledDefinition {
    classes = Map.copyOf(classes);
  }

  /** Loads the classes in a fresh loader and creates the definition. */
  public InfrastructureDefinition instantiate() {
    return instantiate(CompiledDefinition.class.getClassLoader());
  }

  public InfrastructureDefinition instantiate(ClassLoader parent) {
    BytesClassLoader loader = new BytesClassLoader(classes, parent);
    try {
      Class<?> c = loader.loadClass(className);
      if (!InfrastructureDefinition.class.isAssignableFrom(c)) {
        throw new UserError(className + " does not implement InfrastructureDefinition");
      }
      return (InfrastructureDefinition) c.getDeclaredConstructor().newInstance();
    } catch (ClassNotFoundException | NoSuchMethodException e) {
      throw new UserError(className + " needs a public no-argument constructor: " + e.getMessage());
    } catch (InvocationTargetException e) {
      throw new UserError("creating " + className + " failed: " + e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new UserError("cannot create " + className + ": " + e);
    }
  }

  /** Defines classes from bytes, parent first. */
  static final class BytesClassLoader extends ClassLoader {
    private final Map<String, byte[]> classes;

    BytesClassLoader(Map<String, byte[]> classes, ClassLoader parent) {
      super(parent);
      this.classes = classes;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      byte[] b = classes.get(name);
      if (b == null) {
        throw new ClassNotFoundException(name);
      }
      return defineClass(name, b, 0, b.length);
    }
  }
}
