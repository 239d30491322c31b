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

  /** A spec is JSON text, or a bare name such as "moons". */
  static String spec(String spec) {
    if (spec == null) return null;
    String s = spec.trim();
    if (s.startsWith("{") || s.startsWith("[") || s.startsWith("\"")) return spec;
    return "\"" + spec.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
