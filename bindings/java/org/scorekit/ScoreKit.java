package org.scorekit;

import org.scorekit.swig.scorekit_swig;

/** Library-wide functions: version and the sample-quality metrics. */
public final class ScoreKit {
  private ScoreKit() {}

  /** The library version, e.g. "0.1.0". */
  public static String version() {
    return scorekit_swig.sk_version();
  }

  public static int abiVersion() {
    return scorekit_swig.sk_abi_version();
  }

  /** Sliced Wasserstein-2 distance between two point sets a, b (row-major, dim values per point). */
  public static double slicedWasserstein(float[] a, float[] b, int dim, int projections, long seed) {
    double r = scorekit_swig.skw_sliced_wasserstein(a, b, dim, projections, seed);
    ScoreKitException.check();
    return r;
  }

  /** Squared MMD between two point sets. */
  public static double mmd(float[] a, float[] b, int dim) {
    double r = scorekit_swig.skw_mmd(a, b, dim);
    ScoreKitException.check();
    return r;
  }

  /**
   * The shipped Fashion-MNIST classifier's 128 penultimate features of images (1 x 28 x 28 each,
   * row-major, 784 values per image, in [-1, 1]): 128 values per image. optionsJson may be null or
   * {"classifier": FILE}.
   */
  public static float[] imageFeatures(float[] images, String optionsJson) {
    if (images == null) throw new NullPointerException("images");
    float[] out = new float[(images.length / 784) * 128];
    scorekit_swig.skw_image_features(images, optionsJson, out);
    ScoreKitException.check();
    return out;
  }

  /**
   * fd, kid, kid_std, precision, recall between generated features a and reference features b (dim
   * values per row), as JSON text. optionsJson may be null or {"kid_subsets", "kid_subset_size", "k",
   * "pr_max", "seed"}.
   */
  public static String featureMetrics(float[] a, float[] b, int dim, String optionsJson) {
    String r = scorekit_swig.skw_feature_metrics(a, b, dim, optionsJson);
    ScoreKitException.check();
    return r;
  }

  /**
   * Images (784 values each, in [-1, 1]) against Fashion-MNIST's test split, as JSON text with fd, kid,
   * kid_std, precision, recall, classes, n (docs/metrics.md). optionsJson may be null.
   */
  public static String imageMetrics(float[] images, String optionsJson) {
    String r = scorekit_swig.skw_image_metrics(images, optionsJson);
    ScoreKitException.check();
    return r;
  }

  /** A spec is JSON text, or a bare name such as "moons". */
  static String spec(String spec) {
    if (spec == null) return null;
    String s = spec.trim();
    if (s.startsWith("{") || s.startsWith("[") || s.startsWith("\"")) return spec;
    return "\"" + spec.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
