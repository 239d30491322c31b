package org.scorekit;

import org.scorekit.swig.SWIGTYPE_p_sk_dataset;
import org.scorekit.swig.scorekit_swig;

/** A source of training data: {"name": "moons"}, {"name": "npy", "path": F}, {"name": "mixture", ...}. */
public final class Dataset extends NativeHandle<SWIGTYPE_p_sk_dataset> {
  public Dataset(String specJson) {
    super(scorekit_swig.skw_dataset_create(ScoreKit.spec(specJson)), "dataset");
  }

  private Dataset(SWIGTYPE_p_sk_dataset p) {
    super(p, "dataset");
  }

  /** Data held in memory, copied: values row-major with the array's full shape, (n, dim) or
   * (n, C, H, W). A run on it resumes with {@link Trainer#load(String, Dataset)}. */
  public static Dataset fromArray(float[] values, long... shape) {
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; i < shape.length; ++i) json.append(i == 0 ? "" : ",").append(shape[i]);
    return new Dataset(scorekit_swig.skw_dataset_from_array(values, json.append("]").toString()));
  }

  @Override
  void free(SWIGTYPE_p_sk_dataset p) { scorekit_swig.sk_dataset_free(p); }

  public int dim() {
    long d = scorekit_swig.skw_dataset_dim(ptr());
    ScoreKitException.check();
    return (int) d;
  }

  /** n samples, row-major (n, dim). */
  public float[] sample(int n, long seed) {
    float[] out = new float[n * dim()];
    sample(n, seed, out);
    return out;
  }

  public void sample(int n, long seed, float[] out) {
    ScoreKitException.check(scorekit_swig.skw_dataset_sample(ptr(), n, seed, out));
  }
}
