package org.scorekit;

/** Called after every training or sampler step; return false to stop (the call then throws
 * {@link CancelledException}). An exception thrown here also stops the call and is rethrown by it. */
@FunctionalInterface
public interface ProgressListener {
  boolean onProgress(Progress progress);
}
