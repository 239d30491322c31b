package org.scorekit;

import java.lang.ref.Reference;
import org.scorekit.swig.SWIGTYPE_p_sk_trainer;
import org.scorekit.swig.scorekit_swig;

/** Data + SDE + model + objective + optimiser state, from a full training spec. */
public final class Trainer extends NativeHandle<SWIGTYPE_p_sk_trainer> {
  private Trainer(SWIGTYPE_p_sk_trainer p) {
    super(p, "trainer");
  }

  /** From {"data":..,"sde":..,"model":..,"objective":..,"train":{..}}. */
  public Trainer(String specJson) {
    this(scorekit_swig.skw_trainer_create(ScoreKit.spec(specJson)));
  }

  /** On the data of a handle (e.g. {@link Dataset#fromArray}); specJson has no "data". */
  public Trainer(String specJson, Dataset data) {
    this(createWithData(ScoreKit.spec(specJson), data));
  }

  private static SWIGTYPE_p_sk_trainer createWithData(String specJson, Dataset data) {
    try {
      return scorekit_swig.skw_trainer_create_with_data(specJson, data.ptr());
    } finally {
      Reference.reachabilityFence(data);
    }
  }

  /** Resumes a run from a checkpoint, bit for bit. */
  public static Trainer load(String checkpointPath) {
    return new Trainer(scorekit_swig.skw_trainer_load(checkpointPath));
  }

  /** Resumes a run on the given data: an in-memory array, or a data file that has moved. */
  public static Trainer load(String checkpointPath, Dataset data) {
    try {
      return new Trainer(scorekit_swig.skw_trainer_load_with_data(checkpointPath, data.ptr()));
    } finally {
      Reference.reachabilityFence(data);
    }
  }

  @Override
  void free(SWIGTYPE_p_sk_trainer p) { scorekit_swig.sk_trainer_free(p); }

  /** One optimisation step; returns its loss. */
  public double step() {
    double l = scorekit_swig.skw_trainer_step(ptr());
    ScoreKitException.check();
    return l;
  }

  public double train(long steps) {
    return train(steps, null);
  }

  /** Runs steps steps, calling listener (may be null) after each; returns the last loss. */
  public double train(long steps, ProgressListener listener) {
    SWIGTYPE_p_sk_trainer p = ptr();
    try (Callback cb = new Callback(listener)) {
      int status = scorekit_swig.skw_trainer_train(p, steps, cb);
      cb.finish(status);
      Reference.reachabilityFence(cb);
    }
    return lastLoss();
  }

  public long stepCount() {
    long s = scorekit_swig.skw_trainer_step_count(ptr());
    ScoreKitException.check();
    return s;
  }

  public double lastLoss() {
    double l = scorekit_swig.skw_trainer_last_loss(ptr());
    ScoreKitException.check();
    return l;
  }

  /** {"step":..,"loss":..,"lr":..,...} as JSON. */
  public String metrics() {
    String s = scorekit_swig.skw_trainer_metrics(ptr());
    ScoreKitException.check();
    return s;
  }

  /** The fully resolved training spec as JSON. */
  public String spec() {
    String s = scorekit_swig.skw_trainer_spec(ptr());
    ScoreKitException.check();
    return s;
  }

  /** Writes a checkpoint atomically. */
  public void save(String path) {
    ScoreKitException.check(scorekit_swig.skw_trainer_save(ptr(), path));
  }

  /** A new model with a copy of the current EMA weights (independent of the trainer). */
  public Model model() {
    return new Model(scorekit_swig.skw_trainer_model(ptr()));
  }
}
