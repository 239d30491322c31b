import java.io.File;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.scorekit.*;

/** Tests of the Java binding (ctest label `java`): every public static void test*() method runs;
 * the process exits non-zero if any fails. Args: TMP_DIR [CROSS_LANGUAGE_DIR] (given: only the cross-language test runs). */
public final class TestScoreKit {
  static final String SPEC = "{\"data\": \"moons\", \"sde\": \"vp\", \"model\": {\"name\": \"mlp\", \"hidden\": 16,"
      + " \"depth\": 1, \"time_dim\": 8}, \"objective\": \"dsm\", \"train\": {\"batch\": 32, \"seed\": 7, \"warmup\": 5}}";
  static final float[] POINTS = {0.5f, -0.25f, 1.0f, 0.5f, -0.75f, 0.1f, 0.0f, 0.0f};
  static Path tmp;
  static Path xlang;

  static void check(boolean ok, String what) {
    if (!ok) throw new AssertionError(what);
  }

  interface Body { void run() throws Exception; }

  static ScoreKitException expect(int status, String fragment, Body body) throws Exception {
    try {
      body.run();
    } catch (ScoreKitException e) {
      check(e.status() == status, "status " + e.statusName() + " instead of " + status + ": " + e.getMessage());
      check(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' lacks '" + fragment + "'");
      return e;
    }
    throw new AssertionError("no ScoreKitException containing '" + fragment + "'");
  }

  public static void testWholePath() throws Exception {
    String path = tmp.resolve("java.skc").toString();
    List<Progress> seen = new ArrayList<>();
    float[] live;
    try (Trainer tr = new Trainer(SPEC)) {
      double loss = tr.train(20, p -> seen.add(p));
      check(Double.isFinite(loss), "finite loss");
      check(tr.stepCount() == 20, "20 steps");
      check(seen.size() == 20 && seen.get(19).done == 20 && seen.get(19).total == 20, "progress reports");
      check(Double.isFinite(tr.step()), "one more step");
      check(tr.metrics().contains("\"step\":21"), "metrics: " + tr.metrics());
      check(tr.spec().contains("beta_max"), "resolved spec");
      tr.save(path);
      try (Model m = tr.model()) {
        live = m.score(POINTS, 0.5f);
      }
    }
    try (Model m = Model.load(path); Sampler s = new Sampler("{\"name\": \"em\", \"steps\": 20}");
         Dataset moons = new Dataset("moons"); Objective obj = new Objective("{\"name\": \"dsm\", \"weighting\": \"sigma2\"}")) {
      check(m.dim() == 2, "dim");
      check(m.spec().contains("mlp"), "model spec");
      float[] sc = m.score(POINTS, 0.5f);
      check(sc.length == 8, "score length");
      for (int i = 0; i < 8; ++i) check(Math.abs(sc[i] - live[i]) < 1e-5, "loaded score == live score");
      check(Arrays.equals(sc, m.score(POINTS, new float[] {0.5f, 0.5f, 0.5f, 0.5f})), "per-point times");
      float[] x = s.run(m, 64, 3);
      check(x.length == 128 && s.nfe() == 20, "samples");
      check(Arrays.equals(x, s.run(m, 64, 3)), "seeded sampling is reproducible");
      for (float v : x) check(Float.isFinite(v), "finite samples");
      float[] data = moons.sample(64, 1);
      check(ScoreKit.slicedWasserstein(x, data, 2, 64, 0) > 0, "sliced W2");
      check(ScoreKit.mmd(x, data, 2) >= 0, "mmd");
      check(Double.isFinite(obj.loss(m, data, 2)), "objective loss");
      if (Model.hasNll()) {
        double[] nll = m.nll(Arrays.copyOf(data, 32), null);
        check(Double.isFinite(nll[0]) && Double.isFinite(nll[1]), "nll");
      }
    }
    try (Trainer resumed = Trainer.load(path)) {
      check(resumed.stepCount() == 21, "resumed step");
    }
  }

  public static void testInMemoryArray() throws Exception {
    final int n = 40;
    float[] values = new float[2 * n];
    for (int i = 0; i < n; ++i) {
      values[2 * i] = (i % 5) - 2.0f;
      values[2 * i + 1] = 0.25f * i - 4.0f;
    }
    float[] original = values.clone();
    String spec = SPEC.replace("\"data\": \"moons\", ", "");
    String path = tmp.resolve("java-array.skc").toString();
    try (Dataset data = Dataset.fromArray(values, n, 2)) {
      Arrays.fill(values, 99f);  // the data set holds its own copy
      check(data.dim() == 2, "array dim");
      float[] drawn = data.sample(10, 1);
      for (int k = 0; k < 10; ++k) {
        boolean found = false;
        for (int i = 0; i < n && !found; ++i) found = drawn[2 * k] == original[2 * i] && drawn[2 * k + 1] == original[2 * i + 1];
        check(found, "every draw is a row of the array");
      }
      try (Trainer tr = new Trainer(spec, data)) {
        tr.train(3);
        check(tr.spec().contains("\"name\":\"array\""), "array spec: " + tr.spec());
        tr.save(path);
      }
      expect(ScoreKitException.CHECKPOINT, "in-memory array", () -> Trainer.load(path).close());
      try (Trainer resumed = Trainer.load(path, data)) {
        check(resumed.stepCount() == 3, "resumed at step 3");
      }
      expect(ScoreKitException.SPEC, "drop one of them", () -> new Trainer(SPEC, data).close());
    }
    try (Model m = Model.load(path)) {
      check(m.dim() == 2, "model from an array run needs no data");
    }
    expect(ScoreKitException.INVALID_ARGUMENT, "values_len is 3", () -> Dataset.fromArray(new float[3], 2, 2).close());
  }

  public static void testImageMetrics() throws Exception {
    float[] images = new float[6 * 784];
    for (int i = 0; i < images.length; ++i) images[i] = (i * 7919 % 200) / 100.0f - 1.0f;
    float[] f = ScoreKit.imageFeatures(images, null);
    check(f.length == 6 * 128, "128 features per image");
    for (float v : f) check(Float.isFinite(v) && v >= 0, "finite features after a ReLU");
    String m = ScoreKit.featureMetrics(f, f, 128, "{\"kid_subsets\": 2, \"kid_subset_size\": 4}");
    for (String key : new String[] {"\"fd\"", "\"kid\"", "\"kid_std\"", "\"precision\"", "\"recall\""})
      check(m.contains(key), "feature metrics report " + key + ": " + m);
    expect(ScoreKitException.IO, "/nonexistent/c.skc", () -> ScoreKit.imageFeatures(images, "{\"classifier\": \"/nonexistent/c.skc\"}"));
    expect(ScoreKitException.SPEC, "fashion-mnist", () -> ScoreKit.imageMetrics(images, "{\"data\": \"mnist\"}"));
    images[5] = Float.NaN;
    expect(ScoreKitException.INVALID_ARGUMENT, "index 5", () -> ScoreKit.imageMetrics(images, null));
  }

  public static void testSdeAndMixture() throws Exception {
    try (Sde sde = new Sde("{\"name\": \"vp\", \"beta_min\": 0.1, \"beta_max\": 20}")) {
      double[] am = sde.marginal(0.5);
      check(Math.abs(am[0] * am[0] + am[1] * am[1] - 1) < 1e-5, "vp marginal");
      check(sde.priorSample(10, 2, 1).length == 20, "prior");
      try (Model m = new Model("{\"name\": \"mlp\", \"hidden\": 8, \"depth\": 1}", sde, 2)) {
        check(m.dim() == 2, "created model");
      }
    }
    try (Dataset mix = new Dataset("{\"name\": \"mixture\", \"weights\": [0.5, 0.5], \"means\": [[-2, 0], [2, 0]],"
             + " \"stds\": [[0.5, 0.5], [0.5, 0.5]]}");
         Trainer tr = new Trainer(SPEC); Model m = tr.model()) {
      double mse = m.scoreMse(mix, 64, 0);
      check(Double.isFinite(mse) && mse >= 0, "score mse");
    }
  }

  public static void testPostHocEma() throws Exception {
    String path = tmp.resolve("posthoc.skc").toString();
    String spec = SPEC.replace("\"warmup\": 5", "\"warmup\": 5, \"ema_posthoc\": [0.05, 0.1], \"ema_snapshot_every\": 5");
    check(!spec.equals(SPEC), "SPEC has a train section to extend");
    try (Trainer tr = new Trainer(spec)) {
      tr.train(30);
      tr.save(path);
    }
    float[] a, b, usual;
    try (Model m = Model.load(path, 0.03)) { a = m.score(POINTS, 0.3f); }
    try (Model m = Model.load(path, 0.15)) { b = m.score(POINTS, 0.3f); }
    try (Model m = Model.load(path)) { usual = m.score(POINTS, 0.3f); }
    check(!Arrays.equals(a, b) && !Arrays.equals(a, usual), "each EMA length is its own average of the weights");
    expect(ScoreKitException.INVALID_ARGUMENT, "sigma_rel must lie", () -> Model.load(path, 0.5));
    String plain = tmp.resolve("plain.skc").toString();
    try (Trainer tr = new Trainer(SPEC)) {
      tr.train(2);
      tr.save(plain);
    }
    expect(ScoreKitException.CHECKPOINT, "keeps no post-hoc EMAs", () -> Model.load(plain, 0.1));
  }

  public static void testErrors() throws Exception {
    expect(ScoreKitException.SPEC, "not valid JSON", () -> new Trainer("{\"data\": \"moons\",}"));
    ScoreKitException e = expect(ScoreKitException.SPEC, "subvp", () -> new Trainer("{\"data\": \"moons\", \"sde\": \"vv\"}"));
    check(e.statusName().equals("SK_ERR_SPEC"), "status name");
    check(e.nativeMessage().contains("subvp") && !e.nativeMessage().startsWith("SK_"), "native message");
    expect(ScoreKitException.SPEC, "2spirals", () -> new Dataset("{\"name\": \"spiral\"}"));
    expect(ScoreKitException.SPEC, "unknown key 'extra'", () -> new Trainer("{\"data\": \"moons\", \"extra\": 1}"));
    expect(ScoreKitException.IO, "cannot open", () -> Model.load("/nonexistent/ck.skc"));
    try (Trainer tr = new Trainer(SPEC); Model m = tr.model(); Dataset d = new Dataset("moons")) {
      expect(ScoreKitException.INVALID_ARGUMENT, "t_len must be 1 or n = 4", () -> m.score(POINTS, new float[] {0.5f, 0.5f}));
      expect(ScoreKitException.INVALID_ARGUMENT, "holds 7 values but 8", () -> m.score(POINTS, new float[] {0.5f}, new float[7]));
      expect(ScoreKitException.INVALID_ARGUMENT, "not a multiple of dim 2", () -> m.score(new float[3], 0.5f));
      expect(ScoreKitException.INVALID_ARGUMENT, "outside (0, 1]", () -> m.score(POINTS, 2.0f));
      expect(ScoreKitException.INVALID_ARGUMENT, "holds 19 values but 20", () -> d.sample(10, 0, new float[19]));
      expect(ScoreKitException.INVALID_ARGUMENT, "steps must be positive, got 0", () -> tr.train(0));
      expect(ScoreKitException.IO, "cannot write", () -> tr.save("/nonexistent-dir/x.skc"));
      try {
        m.score(null, 0.5f);
        throw new AssertionError("null array accepted");
      } catch (NullPointerException expected) {
      }
    }
  }

  public static void testClosedHandles() throws Exception {
    Trainer tr = new Trainer(SPEC);
    Model m = tr.model();
    tr.close();
    tr.close(); // a second close does nothing: never a double free
    check(tr.isClosed(), "closed");
    expect(ScoreKitException.STATE, "trainer is closed", tr::step);
    expect(ScoreKitException.STATE, "trainer is closed", () -> tr.train(1, p -> true));
    check(m.score(POINTS, 0.5f).length == 8, "the model outlives its trainer");
    m.close();
    expect(ScoreKitException.STATE, "model is closed", () -> m.score(POINTS, 0.5f));
    try (Sampler s = new Sampler("{\"name\": \"em\", \"steps\": 5}")) {
      expect(ScoreKitException.STATE, "model is closed", () -> s.run(m, 4, 0));
    }
  }

  public static void testCallbacks() throws Exception {
    try (Trainer tr = new Trainer(SPEC)) {
      List<Long> calls = new ArrayList<>();
      CancelledException c = (CancelledException) expect(ScoreKitException.CANCELLED, "cancelled",
          () -> tr.train(10, p -> { calls.add(p.done); return p.done < 3; }));
      check(calls.equals(Arrays.asList(1L, 2L, 3L)), "stopped after 3: " + calls);
      check(tr.stepCount() == 3, "work done stays done");
      tr.train(2);
      check(tr.stepCount() == 5, "still usable");
      try {
        tr.train(10, p -> { throw new IllegalStateException("boom at " + p.done); });
        throw new AssertionError("listener exception lost");
      } catch (IllegalStateException expected) {
        check(expected.getMessage().equals("boom at 1"), "listener exception rethrown");
      }
      check(tr.stepCount() == 6, "one step before the throw");
      try (Model m = tr.model(); Sampler s = new Sampler("{\"name\": \"em\", \"steps\": 50}")) {
        expect(ScoreKitException.CANCELLED, "cancelled", () -> s.run(m, 8, 0, p -> p.done < 5));
        check(s.run(m, 8, 0).length == 16, "sampler usable after cancel");
      }
      // A listener whose only reference is the call itself stays alive while it runs.
      long[] count = {0};
      tr.train(5, p -> { System.gc(); count[0]++; return true; });
      check(count[0] == 5, "listener kept alive");
    }
  }

  public static void testCrossLanguage() throws Exception {
    if (xlang == null) return;
    File ref = xlang.resolve("python_scores.txt").toFile();
    if (!ref.exists()) throw new AssertionError("no " + ref + " (the Python cross-language test writes it)");
    List<String> lines = Files.readAllLines(ref.toPath());
    float[] x = parse(lines.get(0));
    float t = Float.parseFloat(lines.get(1).trim());
    float[] want = parse(lines.get(2));
    try (Model m = Model.load(xlang.resolve("python.skc").toString())) {
      float[] got = m.score(x, t);
      check(Arrays.equals(got, want), "scores from Python's checkpoint: " + Arrays.toString(got) + " vs " + Arrays.toString(want));
    }
    List<String> posthoc = Files.readAllLines(xlang.resolve("python_posthoc_scores.txt"));
    try (Model m = Model.load(xlang.resolve("python_posthoc.skc").toString(), 0.08)) {
      float[] got = m.score(parse(posthoc.get(0)), Float.parseFloat(posthoc.get(1).trim()));
      check(Arrays.equals(got, parse(posthoc.get(2))), "post-hoc EMA 0.08 of Python's checkpoint: " + Arrays.toString(got));
    }
    System.out.println("  cross-language: Python's checkpoint gives identical scores (and post-hoc EMA) in Java");
    // And the other way: a checkpoint from Java, with its scores, for the Python side to check.
    String own = xlang.resolve("java.skc").toString();
    try (Trainer tr = new Trainer(SPEC)) {
      tr.train(30);
      tr.save(own);
    }
    try (Model m = Model.load(own)) {
      writeScores(xlang.resolve("java_scores.txt"), POINTS, 0.3f, m.score(POINTS, 0.3f));
    }
  }

  static void writeScores(Path file, float[] x, float t, float[] s) throws Exception {
    StringBuilder b = new StringBuilder();
    for (float[] row : new float[][] {x, {t}, s}) {
      for (int i = 0; i < row.length; ++i) b.append(i == 0 ? "" : " ").append(Float.toString(row[i]));
      b.append('\n');
    }
    Files.writeString(file, b.toString());
  }

  static float[] parse(String line) {
    String[] parts = line.trim().split("\\s+");
    float[] v = new float[parts.length];
    for (int i = 0; i < parts.length; ++i) v[i] = (float) Double.parseDouble(parts[i]);
    return v;
  }

  public static void main(String[] args) throws Exception {
    tmp = Files.createTempDirectory(Path.of(args.length > 0 ? args[0] : System.getProperty("java.io.tmpdir")), "java-");
    xlang = args.length > 1 ? Path.of(args[1]) : null;
    System.out.println("scorekit " + ScoreKit.version() + " (ABI " + ScoreKit.abiVersion() + ")");
    int failed = 0, run = 0;
    for (Method method : TestScoreKit.class.getDeclaredMethods()) {
      if (!method.getName().startsWith("test") || !Modifier.isStatic(method.getModifiers())) continue;
      // With a cross-language directory only that test runs; without one, all the others.
      if (method.getName().equals("testCrossLanguage") != (xlang != null)) continue;
      ++run;
      try {
        method.invoke(null);
        System.out.println("PASS " + method.getName());
      } catch (java.lang.reflect.InvocationTargetException e) {
        ++failed;
        System.out.println("FAIL " + method.getName() + ": " + e.getCause());
        e.getCause().printStackTrace(System.out);
      }
    }
    System.out.println(run - failed + "/" + run + " passed");
    System.exit(failed == 0 && run > 0 ? 0 : 1);
  }
}
