package org.scorekit;

import org.scorekit.swig.SWIGTYPE_p_sk_model;
import org.scorekit.swig.scorekit_swig;

/** A score network bound to its SDE. */
public final class Model extends NativeHandle<SWIGTYPE_p_sk_model> {
  Model(SWIGTYPE_p_sk_model p) {
    super(p, "model");
  }

  /** An untrained network for dim-valued samples under sde (which may be closed afterwards). */
  public Model(String specJson, Sde sde, int dim) {
    this(scorekit_swig.skw_model_create(ScoreKit.spec(specJson), sde.ptr(), dim));
  }

  /** The EMA weights, SDE and data set of a checkpoint. */
  public static Model load(String checkpointPath) {
    return new Model(scorekit_swig.skw_model_load(checkpointPath));
  }

  /**
   * The EMA of length emaSigmaRel (in (0, 0.2887)) rebuilt from a checkpoint's snapshots after training
   * (EDM2's post-hoc EMA: the run needs "ema_posthoc" and "ema_snapshot_every").
   */
  public static Model load(String checkpointPath, double emaSigmaRel) {
    return new Model(scorekit_swig.skw_model_load_posthoc_ema(checkpointPath, emaSigmaRel));
  }

  @Override
  void free(SWIGTYPE_p_sk_model p) { scorekit_swig.sk_model_free(p); }

  public int dim() {
    long d = scorekit_swig.skw_model_dim(ptr());
    ScoreKitException.check();
    return (int) d;
  }

  /** The model's JSON spec. */
  public String spec() {
    String s = scorekit_swig.skw_model_spec(ptr());
    ScoreKitException.check();
    return s;
  }

  /** grad_x log p_t(x) at the points x (n * dim, row-major), all at time t. */
  public float[] score(float[] x, float t) {
    return score(x, new float[] {t});
  }

  /** grad_x log p_t(x) with one time for all points (t.length 1) or one per point. */
  public float[] score(float[] x, float[] t) {
    float[] out = new float[x.length];
    score(x, t, out);
    return out;
  }

  public void score(float[] x, float[] t, float[] out) {
    ScoreKitException.check(scorekit_swig.skw_model_score(ptr(), x, dim(), t, out));
  }

  /** The sigma^2-weighted score error against a mixture data set's exact score (per dimension). */
  public double scoreMse(Dataset mixture, int n, long seed) {
    double[] out = new double[1];
    ScoreKitException.check(scorekit_swig.skw_model_score_mse(ptr(), mixture.ptr(), n, seed, out));
    return out[0];
  }

  /** Whether this libscorekit has sk_model_nll. */
  public static boolean hasNll() {
    return scorekit_swig.skw_has_nll() != 0;
  }

  /** {mean NLL in nats, bits per dimension} of the points x under the probability-flow ODE. */
  public double[] nll(float[] x, String optionsJson) {
    double[] out = new double[2];
    ScoreKitException.check(scorekit_swig.skw_model_nll(ptr(), x, dim(), optionsJson == null ? "{}" : optionsJson, out));
    return out;
  }
}
