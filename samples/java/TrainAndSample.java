import org.scorekit.*;

/** scorekit from Java: train a small score model on the "moons" set, save a checkpoint, load it
 * back, draw samples and compare them with the data.
 *   samples/run_java.sh [BUILD_DIR] [OUT_DIR] [STEPS] */
public final class TrainAndSample {
  static final String SPEC = "{\"data\": \"moons\", \"sde\": {\"name\": \"vp\", \"beta_min\": 0.1, \"beta_max\": 20},"
      + " \"model\": {\"name\": \"mlp\", \"hidden\": 64, \"depth\": 2},"
      + " \"objective\": {\"name\": \"dsm\", \"weighting\": \"sigma2\"},"
      + " \"train\": {\"batch\": 256, \"lr\": 0.003, \"warmup\": 50, \"ema_decay\": 0.99, \"seed\": 1, \"log_every\": 100}}";
  static final int N = 512;

  static double[] moments(float[] x) {
    double[] m = new double[4]; // mean x, mean y, sd x, sd y
    int n = x.length / 2;
    for (int d = 0; d < 2; ++d) {
      double s = 0, s2 = 0;
      for (int i = 0; i < n; ++i) {
        s += x[2 * i + d];
        s2 += (double) x[2 * i + d] * x[2 * i + d];
      }
      m[d] = s / n;
      m[2 + d] = Math.sqrt(s2 / n - m[d] * m[d]);
    }
    return m;
  }

  public static void main(String[] args) {
    String outDir = args.length > 0 ? args[0] : ".";
    long steps = args.length > 1 ? Long.parseLong(args[1]) : 1500;
    System.out.printf("scorekit %s (ABI %d)%n", ScoreKit.version(), ScoreKit.abiVersion());
    String path = outDir + "/moons.skc";
    try (Trainer trainer = new Trainer(SPEC)) {
      System.out.printf("training %d steps%n", steps);
      trainer.train(steps, p -> { // returning false would stop training
        if (p.done % Math.max(p.total / 4, 1) == 0)
          System.out.printf("  step %5d/%d  loss %.4f%n", p.done, p.total, p.loss);
        return true;
      });
      System.out.println("metrics: " + trainer.metrics());
      trainer.save(path);
    }
    System.out.println("saved " + path);

    // A fresh process would start here: everything needed is in the checkpoint.
    float[] samples, data, prior;
    long nfe;
    try (Model model = Model.load(path); Sampler sampler = new Sampler("{\"name\": \"em\", \"steps\": 200}");
         Dataset moons = new Dataset("moons"); Sde sde = new Sde("vp")) {
      samples = sampler.run(model, N, 42);
      nfe = sampler.nfe();
      data = moons.sample(N, 7);
      prior = sde.priorSample(N, 2, 3);
    }
    double sw = ScoreKit.slicedWasserstein(samples, data, 2, 64, 0);
    double swPrior = ScoreKit.slicedWasserstein(prior, data, 2, 64, 0);
    double[] ms = moments(samples), md = moments(data);
    System.out.printf("sampled %d points with %d score evaluations%n", N, nfe);
    System.out.printf("  samples: mean (%.3f, %.3f)  sd (%.3f, %.3f)%n", ms[0], ms[1], ms[2], ms[3]);
    System.out.printf("  data:    mean (%.3f, %.3f)  sd (%.3f, %.3f)%n", md[0], md[1], md[2], md[3]);
    System.out.printf("  sliced W2 to the data: samples %.4f, prior noise %.4f%n", sw, swPrior);
    if (!(sw < 0.5 * swPrior)) {
      System.err.println("samples are not closer to the data than noise");
      System.exit(1);
    }
    System.out.println("OK");
  }
}
