package org.scorekit;

import java.lang.ref.Reference;
import org.scorekit.swig.SWIGTYPE_p_sk_sampler;
import org.scorekit.swig.scorekit_swig;

/** A reverse-time integrator: {"name": "em", "steps": 500} | {"name": "ode_euler", "steps": 100}. */
public final class Sampler extends NativeHandle<SWIGTYPE_p_sk_sampler> {
  private long nfe;

  public Sampler(String specJson) {
    super(scorekit_swig.skw_sampler_create(ScoreKit.spec(specJson)), "sampler");
  }

  @Override
  void free(SWIGTYPE_p_sk_sampler p) { scorekit_swig.sk_sampler_free(p); }

  public float[] run(Model model, int n, long seed) {
    return run(model, n, seed, null);
  }

  /** n samples (n * dim, row-major) from model; listener (may be null) as in Trainer.train. */
  public float[] run(Model model, int n, long seed, ProgressListener listener) {
    float[] out = new float[n * model.dim()];
    run(model, n, seed, out, listener);
    return out;
  }

  public void run(Model model, int n, long seed, float[] out, ProgressListener listener) {
    SWIGTYPE_p_sk_sampler p = ptr();
    try (Callback cb = new Callback(listener)) {
      int status = scorekit_swig.skw_sampler_run(p, model.ptr(), n, seed, out, cb);
      cb.finish(status);
      Reference.reachabilityFence(cb);
    }
    nfe = scorekit_swig.skw_last_nfe();
  }

  /** Score evaluations used by the last run. */
  public long nfe() {
    return nfe;
  }
}
