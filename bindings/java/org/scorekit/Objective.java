package org.scorekit;

import org.scorekit.swig.SWIGTYPE_p_sk_objective;
import org.scorekit.swig.scorekit_swig;

/** A score-matching loss: {"name": "dsm", "weighting": "sigma2"}, ... */
public final class Objective extends NativeHandle<SWIGTYPE_p_sk_objective> {
  public Objective(String specJson) {
    super(scorekit_swig.skw_objective_create(ScoreKit.spec(specJson)), "objective");
  }

  @Override
  void free(SWIGTYPE_p_sk_objective p) { scorekit_swig.sk_objective_free(p); }

  /** The loss of model on the batch x0 (n * dim), with t and noise drawn from seed. */
  public double loss(Model model, float[] x0, long seed) {
    double l = scorekit_swig.skw_objective_loss(ptr(), model.ptr(), x0, model.dim(), seed);
    ScoreKitException.check();
    return l;
  }
}
