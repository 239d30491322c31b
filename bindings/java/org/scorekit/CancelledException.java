package org.scorekit;

/** The progress listener stopped the call (it returned false); work already done stays done. */
public class CancelledException extends ScoreKitException {
  private static final long serialVersionUID = 1L;

  public CancelledException(String message) {
    super(CANCELLED, message);
  }
}
