package org.scorekit;

import org.scorekit.swig.skw_progress;

/** The director object libscorekit calls back through; it lives exactly as long as the call. */
final class Callback extends skw_progress implements AutoCloseable {
  private final ProgressListener listener;
  private Throwable error;

  Callback(ProgressListener listener) {
    this.listener = listener;
  }

  @Override
  public int progress(long done, long total, long step, double loss) {
    try {
      if (listener != null && !listener.onProgress(new Progress(done, total, step, loss))) return 1;
      return 0;
    } catch (Throwable t) {
      error = t;
      return 1;
    }
  }

  /** Rethrows what the listener threw, else turns the status into an exception. */
  void finish(int status) {
    Throwable t = error;
    error = null;
    if (t instanceof RuntimeException) throw (RuntimeException) t;
    if (t instanceof Error) throw (Error) t;
    if (t != null) throw new ScoreKitException(ScoreKitException.CANCELLED, "progress listener threw " + t, t);
    ScoreKitException.check(status);
  }

  @Override
  public void close() {
    delete();
  }
}
