// scorekit for C#: IDisposable handles over libscorekit's C ABI (through the SWIG glue library).
// Failures throw ScoreKitException with the C message; progress callbacks are delegates.
using System;
using N = ScoreKit.Native.scorekit_swig;

namespace ScoreKit
{
    /// <summary>A failed libscorekit call: the status code, its name and the C message.</summary>
    public class ScoreKitException : Exception
    {
        public const int InvalidArgument = 1, Spec = 2, IO = 3, Checkpoint = 4, Cancelled = 5, Runtime = 6, State = 7;

        public int Status { get; }
        public string StatusName { get; }
        public string NativeMessage { get; }

        public ScoreKitException(int status, string message, Exception inner = null)
            : base(Name(status) + ": " + message, inner)
        {
            Status = status;
            StatusName = Name(status);
            NativeMessage = message;
        }

        static string Name(int status) => N.sk_status_name((ScoreKit.Native.sk_status)status);

        internal static void Check() => Check(N.skw_last_status());

        internal static void Check(int status)
        {
            if (status == 0) return;
            string message = N.skw_last_error();
            if (status == Cancelled) throw new CancelledException(message);
            throw new ScoreKitException(status, message);
        }
    }

    /// <summary>The progress handler stopped the call (it returned false); work already done stays done.</summary>
    public class CancelledException : ScoreKitException
    {
        public CancelledException(string message) : base(Cancelled, message) { }
    }

    /// <summary>One progress report: units done and total in this call, the trainer's step, the loss (NaN for samplers).</summary>
    public struct Progress
    {
        public readonly long Done, Total, Step;
        public readonly double Loss;
        internal Progress(long done, long total, long step, double loss) { Done = done; Total = total; Step = step; Loss = loss; }
        public override string ToString() => $"Progress(done={Done}, total={Total}, step={Step}, loss={Loss})";
    }

    /// <summary>Called after every step; return false to stop (the call then throws CancelledException).
    /// An exception thrown here also stops the call and is rethrown by it.</summary>
    public delegate bool ProgressHandler(Progress progress);

    /// <summary>The director object libscorekit calls back through; it (and its delegate) live as long as the call.</summary>
    sealed class Callback : ScoreKit.Native.skw_progress
    {
        readonly ProgressHandler handler;
        Exception error;

        internal Callback(ProgressHandler handler) { this.handler = handler; }

        public override int progress(long done, long total, long step, double loss)
        {
            try
            {
                if (handler != null && !handler(new Progress(done, total, step, loss))) return 1;
                return 0;
            }
            catch (Exception e)
            {
                error = e;
                return 1;
            }
        }

        internal void Finish(int status)
        {
            Exception e = error;
            error = null;
            if (e != null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e).Throw();
            ScoreKitException.Check(status);
        }
    }

    /// <summary>Dispose() frees the native object once (disposing again does nothing); any other
    /// use of a disposed handle throws ScoreKitException (SK_ERR_STATE).</summary>
    public abstract class Handle<P> : IDisposable where P : class
    {
        P ptr;
        readonly string kind;
        readonly object gate = new object();

        internal Handle(P ptr, string kind)
        {
            this.kind = kind;
            if (ptr == null)  // SWIG maps a NULL handle to null
            {
                ScoreKitException.Check();
                throw new ScoreKitException(ScoreKitException.Runtime, "libscorekit returned no " + kind);
            }
            this.ptr = ptr;
        }

        internal P Ptr
        {
            get
            {
                lock (gate)
                {
                    if (ptr == null) throw new ScoreKitException(ScoreKitException.State, "this " + kind + " is closed");
                    return ptr;
                }
            }
        }

        public bool IsDisposed { get { lock (gate) return ptr == null; } }

        internal abstract void Free(P p);

        public void Dispose()
        {
            P p;
            lock (gate)
            {
                p = ptr;
                ptr = null;
            }
            if (p != null) Free(p);
            GC.SuppressFinalize(this);
        }

        ~Handle()
        {
            P p = ptr;
            ptr = null;
            if (p != null) Free(p);
        }

        public override string ToString() => "ScoreKit." + GetType().Name + (IsDisposed ? "[disposed]" : "");
    }

    /// <summary>Library-wide functions: version and the sample-quality metrics.</summary>
    public static class Library
    {
        public static string Version => N.sk_version();
        public static int AbiVersion => N.sk_abi_version();

        /// <summary>Sliced Wasserstein-2 distance between two point sets (row-major, dim values per point).</summary>
        public static double SlicedWasserstein(float[] a, float[] b, int dim = 2, int projections = 64, long seed = 0)
        {
            double r = N.skw_sliced_wasserstein(a, Len(a), b, Len(b), dim, projections, seed);
            ScoreKitException.Check();
            return r;
        }

        /// <summary>Squared MMD between two point sets.</summary>
        public static double Mmd(float[] a, float[] b, int dim = 2)
        {
            double r = N.skw_mmd(a, Len(a), b, Len(b), dim);
            ScoreKitException.Check();
            return r;
        }

        /// <summary>The shipped Fashion-MNIST classifier's 128 penultimate features of images (784 values
        /// each, 1 x 28 x 28 row-major, in [-1, 1]): 128 values per image. optionsJson: null or {"classifier": FILE}.</summary>
        public static float[] ImageFeatures(float[] images, string optionsJson = null)
        {
            if (images == null) throw new ArgumentNullException("images");
            var out_ = new float[(images.Length / 784) * 128];
            N.skw_image_features(images, Len(images), optionsJson, out_, Len(out_));
            ScoreKitException.Check();
            return out_;
        }

        /// <summary>fd, kid, kid_std, precision, recall between generated features a and reference features b
        /// (dim values per row), as JSON text.</summary>
        public static string FeatureMetrics(float[] a, float[] b, int dim = 128, string optionsJson = null)
        {
            string r = N.skw_feature_metrics(a, Len(a), b, Len(b), dim, optionsJson);
            ScoreKitException.Check();
            return r;
        }

        /// <summary>Images (784 values each, in [-1, 1]) against Fashion-MNIST's test split, as JSON text with
        /// fd, kid, kid_std, precision, recall, classes, n (docs/metrics.md).</summary>
        public static string ImageMetrics(float[] images, string optionsJson = null)
        {
            string r = N.skw_image_metrics(images, Len(images), optionsJson);
            ScoreKitException.Check();
            return r;
        }

        internal static long Len(Array a)
        {
            if (a == null) throw new ArgumentNullException("array");
            return a.LongLength;
        }

        /// <summary>A spec is JSON text, or a bare name such as "moons".</summary>
        internal static string Spec(string spec)
        {
            if (spec == null) throw new ArgumentNullException(nameof(spec));
            string s = spec.TrimStart();
            if (s.StartsWith("{") || s.StartsWith("[") || s.StartsWith("\"")) return spec;
            return "\"" + spec.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
        }
    }
}
