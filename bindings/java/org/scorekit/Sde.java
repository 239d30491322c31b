package org.scorekit;

import org.scorekit.swig.SWIGTYPE_p_sk_sde;
import org.scorekit.swig.scorekit_swig;

/** A forward process: "vp", "ve", "subvp" or {"name": "vp", "beta_min": .., "beta_max": ..}. */
public final class Sde extends NativeHandle<SWIGTYPE_p_sk_sde> {
  public Sde(String specJson) {
    super(scorekit_swig.skw_sde_create(ScoreKit.spec(specJson)), "sde");
  }

  @Override
  void free(SWIGTYPE_p_sk_sde p) { scorekit_swig.sk_sde_free(p); }

  /** {alpha, sigma} of x_t = alpha x_0 + sigma z. */
  public double[] marginal(double t) {
    double[] out = new double[2];
    ScoreKitException.check(scorekit_swig.skw_sde_marginal(ptr(), t, out));
    return out;
  }

  public float[] priorSample(int n, int dim, long seed) {
    float[] out = new float[n * dim];
    ScoreKitException.check(scorekit_swig.skw_sde_prior_sample(ptr(), n, dim, seed, out));
    return out;
  }
}
