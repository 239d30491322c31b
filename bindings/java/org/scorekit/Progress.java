package org.scorekit;

/** One progress report: units done and total in this call, the trainer's step, the loss (NaN for samplers). */
public final class Progress {
  public final long done;
  public final long total;
  public final long step;
  public final double loss;

  Progress(long done, long total, long step, double loss) {
    this.done = done;
    this.total = total;
    this.step = step;
    this.loss = loss;
  }

  @Override
  public String toString() {
    return "Progress[done=" + done + ", total=" + total + ", step=" + step + ", loss=" + loss + "]";
  }
}
