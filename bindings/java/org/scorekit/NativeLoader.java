package org.scorekit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads the JNI library once, at the first use of any scorekit class (the SWIG class's static block
 * calls {@link #load}). In order:
 * <ol>
 *   <li>{@code -Dscorekit.jni.library=/path/libscorekit_swig_java.so}: that file (a build tree);</li>
 *   <li>the libraries inside the jar ({@code org/scorekit/native/<os>-<arch>/}, in the order its
 *       {@code libraries.txt} lists them: libscorekit.so under its SONAME first, so the JNI library's
 *       dependency on it is met): extracted to a fresh temporary directory, loaded and deleted again;
 *       LibTorch is found through libscorekit.so's RUNPATH; the bundled image classifier stays in
 *       that directory until the JVM exits;</li>
 *   <li>{@code scorekit_swig_java} on {@code java.library.path}.</li>
 * </ol>
 * Not part of the API.
 */
public final class NativeLoader {
  /** The resource folder of this platform's native libraries, e.g. org/scorekit/native/linux-x86_64. */
  static final String NATIVE_DIR = "org/scorekit/native/" + platform();
  /** Lists the bundled libraries, one file name a line, in load order. */
  static final String INDEX = NATIVE_DIR + "/libraries.txt";

  /** The image metrics' classifier (docs/metrics.md), bundled beside the libraries. */
  static final String CLASSIFIER = "fmnist_classifier.skc";

  private static boolean loaded;

  private NativeLoader() {}

  public static synchronized void load() {
    if (loaded) return;
    String path = System.getProperty("scorekit.jni.library");
    if (path != null && !path.isEmpty()) {
      System.load(path);
    } else if (NativeLoader.class.getClassLoader().getResource(INDEX) != null) {
      loadBundled();
    } else {
      try {
        System.loadLibrary("scorekit_swig_java");
      } catch (UnsatisfiedLinkError e) {
        UnsatisfiedLinkError better = new UnsatisfiedLinkError("scorekit: this jar has no native libraries for "
            + platform() + " and scorekit_swig_java is not on java.library.path (" + e.getMessage()
            + "); set -Dscorekit.jni.library=/path/libscorekit_swig_java.so");
        better.initCause(e);
        throw better;
      }
    }
    loaded = true;
  }

  private static InputStream resource(String name) {
    InputStream in = NativeLoader.class.getClassLoader().getResourceAsStream(name);
    if (in == null) throw new UnsatisfiedLinkError("scorekit: the jar lacks " + name);
    return in;
  }

  private static void loadBundled() {
    Path dir = null;
    List<Path> files = new ArrayList<>();
    try {
      List<String> names = new ArrayList<>();
      try (InputStream in = resource(INDEX)) {
        for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
          if (!line.trim().isEmpty()) names.add(line.trim());
        }
      }
      dir = Files.createTempDirectory("scorekit-native-");
      for (String name : names) {
        files.add(dir.resolve(name));
        try (InputStream in = resource(NATIVE_DIR + "/" + name)) {
          Files.copy(in, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      for (Path f : files) System.load(f.toAbsolutePath().toString());
      // The image metrics' classifier stays beside the (deleted) libscorekit.so, where the library
      // looks for it, until the JVM exits.
      if (NativeLoader.class.getClassLoader().getResource(NATIVE_DIR + "/" + CLASSIFIER) != null) {
        dir.toFile().deleteOnExit();
        try (InputStream in = resource(NATIVE_DIR + "/" + CLASSIFIER)) {
          Files.copy(in, dir.resolve(CLASSIFIER), StandardCopyOption.REPLACE_EXISTING);
        }
        dir.resolve(CLASSIFIER).toFile().deleteOnExit();
      }
    } catch (IOException e) {
      UnsatisfiedLinkError err = new UnsatisfiedLinkError("scorekit: cannot extract the native libraries: " + e);
      err.initCause(e);
      throw err;
    } finally {
      // A loaded library stays mapped after its file is deleted, so nothing is left behind in the temp folder.
      if (dir != null) {
        for (Path f : files) f.toFile().delete();
        dir.toFile().delete();
      }
    }
  }

  /** "linux-x86_64", "linux-aarch64", ...: os.name and os.arch, normalised. */
  static String platform() {
    String os = System.getProperty("os.name", "").toLowerCase().startsWith("linux") ? "linux"
        : System.getProperty("os.name", "unknown").toLowerCase().replaceAll("[^a-z0-9]", "");
    String arch = System.getProperty("os.arch", "unknown");
    if (arch.equals("amd64") || arch.equals("x86_64")) arch = "x86_64";
    return os + "-" + arch;
  }
}
