package org.scorekit;

/** The common part of every handle: close() frees the native object once (closing again does
 * nothing), and any other use of a closed handle throws ScoreKitException (SK_ERR_STATE). */
public abstract class NativeHandle<P> implements AutoCloseable {
  private P ptr;
  private final String kind;

  NativeHandle(P ptr, String kind) {
    this.kind = kind;
    if (ptr == null) {
      ScoreKitException.check();
      throw new ScoreKitException(ScoreKitException.RUNTIME, "libscorekit returned no " + kind);
    }
    this.ptr = ptr;
  }

  final synchronized P ptr() {
    if (ptr == null) throw new ScoreKitException(ScoreKitException.STATE, "this " + kind + " is closed");
    return ptr;
  }

  public final synchronized boolean isClosed() {
    return ptr == null;
  }

  abstract void free(P ptr);

  @Override
  public final synchronized void close() {
    if (ptr != null) {
      P p = ptr;
      ptr = null;
      free(p);
    }
  }

  @Override
  public String toString() {
    return "scorekit." + getClass().getSimpleName() + (isClosed() ? "[closed]" : "");
  }
}
