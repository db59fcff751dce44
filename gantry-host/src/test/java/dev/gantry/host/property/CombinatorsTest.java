package dev.gantry.host.property;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.host.testing.FolderTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Combinator semantics, with properties that record when they run (file operations in a temp root). */
class CombinatorsTest {
  @TempDir
  Path dir;
  Context ctx;
  final List<String> ran = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    Files.createDirectories(dir.resolve("var/lib/gantry/once"));
    ctx = Context.of(new FolderTarget(dir));
  }

  /** A property that records its name and returns a fixed status (dry runs report WOULD_CHANGE for changes). */
  Property p(String name, Status status) {
    return new Property() {
      @Override
      public String describe() {
        return name;
      }

      @Override
      public Result apply(Context c) {
        ran.add(name + (c.dryRun() ? "?" : ""));
        if (status == Status.MADE_CHANGE && c.dryRun()) {
          return Result.wouldChange(name, "");
        }
        return new Result(status, status == Status.NO_CHANGE ? "" : name, "");
      }

      @Override
      public List<Info> info() {
        return List.of(new Info.ServiceMonitored(name));
      }
    };
  }

  @Test
  void allRunsEverythingAndFailedWins() {
    Result r = Props.all("all", p("a", Status.MADE_CHANGE), p("b", Status.FAILED), p("c", Status.NO_CHANGE)).apply(ctx);
    assertThat(ran).containsExactly("a", "b", "c");
    assertThat(r.status()).isEqualTo(Status.FAILED);
    assertThat(Props.all("x", p("d", Status.NO_CHANGE), p("e", Status.MADE_CHANGE)).apply(ctx).status())
        .isEqualTo(Status.MADE_CHANGE);
  }

  @Test
  void sequenceAndRequiresStopAtTheFirstFailure() {
    Result r = Props.sequence("seq", p("a", Status.NO_CHANGE), p("b", Status.FAILED), p("c", Status.MADE_CHANGE)).apply(ctx);
    assertThat(ran).containsExactly("a", "b");
    assertThat(r.status()).isEqualTo(Status.FAILED);
    assertThat(r.message()).contains("not applied: c");
    ran.clear();
    assertThat(p("main", Status.MADE_CHANGE).requires(p("dep", Status.FAILED)).apply(ctx).status()).isEqualTo(Status.FAILED);
    assertThat(ran).containsExactly("dep");
    ran.clear();
    p("first", Status.NO_CHANGE).before(p("next", Status.MADE_CHANGE)).apply(ctx);
    assertThat(ran).containsExactly("first", "next");
  }

  @Test
  void onChangeRunsOnlyAfterAChange() {
    assertThat(p("a", Status.NO_CHANGE).onChange(p("restart", Status.MADE_CHANGE)).apply(ctx).status())
        .isEqualTo(Status.NO_CHANGE);
    assertThat(ran).containsExactly("a");
    ran.clear();
    assertThat(p("a", Status.MADE_CHANGE).onChange(p("restart", Status.MADE_CHANGE)).apply(ctx).status())
        .isEqualTo(Status.MADE_CHANGE);
    assertThat(ran).containsExactly("a", "restart");
    ran.clear();
    Result dry = p("a", Status.MADE_CHANGE).onChange(p("restart", Status.MADE_CHANGE)).apply(ctx.dryRun(true));
    assertThat(ran).containsExactly("a?");
    assertThat(dry.status()).isEqualTo(Status.WOULD_CHANGE);
    assertThat(dry.message()).contains("then restart");
  }

  @Test
  void fallbackAndWhen() {
    Result r = p("primary", Status.FAILED).fallback(p("backup", Status.MADE_CHANGE)).apply(ctx);
    assertThat(r.status()).isEqualTo(Status.MADE_CHANGE);
    assertThat(r.message()).contains("primary failed", "fell back to backup");
    ran.clear();
    assertThat(p("x", Status.MADE_CHANGE).when("never", t -> false).apply(ctx).status()).isEqualTo(Status.NO_CHANGE);
    assertThat(ran).isEmpty();
    assertThat(p("x", Status.MADE_CHANGE).when("always", t -> true).apply(ctx).status()).isEqualTo(Status.MADE_CHANGE);
    assertThat(p("x", Status.MADE_CHANGE).when("boom", t -> { throw new IllegalStateException("bad test"); })
        .apply(ctx).message()).contains("bad test");
  }

  @Test
  void onceUsesAFlagFileAndSkipsDryRuns() {
    Property once = Props.once("init", p("init", Status.MADE_CHANGE));
    once.apply(ctx.dryRun(true));
    assertThat(Files.exists(dir.resolve("var/lib/gantry/once/init"))).isFalse();
    assertThat(once.apply(ctx).status()).isEqualTo(Status.MADE_CHANGE);
    assertThat(Files.exists(dir.resolve("var/lib/gantry/once/init"))).isTrue();
    assertThat(once.apply(ctx).status()).isEqualTo(Status.NO_CHANGE);
    assertThat(ran).containsExactly("init?", "init");
  }

  @Test
  void revertableSwapsBothWays() {
    Revertable r = Props.revertable(p("on", Status.MADE_CHANGE), p("off", Status.MADE_CHANGE));
    r.revert().apply(ctx);
    ((Revertable) r.revert()).revert().apply(ctx);
    assertThat(ran).containsExactly("off", "on");
  }

  @Test
  void exceptionsBecomeFailuresAndInfoIsCollected() {
    Property boom = Props.checked("boom", c -> { throw new PropertyFailure("cannot check"); }, (c, ch) -> { });
    assertThat(boom.apply(ctx).message()).isEqualTo("cannot check");
    Property npe = Props.checked("npe", c -> { throw new NullPointerException("oops"); }, (c, ch) -> { });
    assertThat(npe.apply(ctx).message()).contains("npe", "oops");
    Property all = Props.all("all", p("a", Status.NO_CHANGE).onChange(p("b", Status.NO_CHANGE)),
        Props.withInfo(p("c", Status.NO_CHANGE), new Info.PortOpened(80, "tcp")));
    assertThat(all.info()).containsExactly(new Info.ServiceMonitored("a"), new Info.ServiceMonitored("b"),
        new Info.ServiceMonitored("c"), new Info.PortOpened(80, "tcp"));
  }

  @Test
  void checkedPropertyVerifiesItsFix() {
    Property liar = Props.checked("liar", c -> Check.change("needs work"), (c, ch) -> { });
    Result r = liar.apply(ctx);
    assertThat(r.status()).isEqualTo(Status.FAILED);
    assertThat(r.message()).contains("still not holding");
  }
}
