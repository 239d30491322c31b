package org.scorekit;

import org.scorekit.swig.scorekit_swig;

/** A failed libscorekit call: the status code, its name ("SK_ERR_SPEC", ...) and the C message. */
public class ScoreKitException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  public static final int INVALID_ARGUMENT = 1, SPEC = 2, IO = 3, CHECKPOINT = 4, CANCELLED = 5, RUNTIME = 6,
      STATE = 7;

  private final int status;
  private final String statusName;
  private final String nativeMessage;

  public ScoreKitException(int status, String message) {
    this(status, message, null);
  }

  public ScoreKitException(int status, String message, Throwable cause) {
    super(name(status) + ": " + message, cause);
    this.status = status;
    this.statusName = name(status);
    this.nativeMessage = message;
  }

  private static String name(int status) {
    return scorekit_swig.sk_status_name(org.scorekit.swig.sk_status.swigToEnum(status));
  }

  /** The sk_status code (1 = SK_ERR_INVALID_ARGUMENT ... 7 = SK_ERR_STATE). */
  public int status() { return status; }

  /** The status name, e.g. "SK_ERR_SPEC". */
  public String statusName() { return statusName; }

  /** The message libscorekit gave, without the status name. */
  public String nativeMessage() { return nativeMessage; }

  /** Throws the exception for the last skw_* call on this thread if it failed. */
  static void check() {
    check(scorekit_swig.skw_last_status());
  }

  static void check(int status) {
    if (status != 0) {
      String message = scorekit_swig.skw_last_error();
      throw status == CANCELLED ? new CancelledException(message) : new ScoreKitException(status, message);
    }
  }
}
