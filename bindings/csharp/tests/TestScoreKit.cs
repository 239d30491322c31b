// Tests of the C# binding (ctest label `csharp`): every static void Test*() method runs; the
// process exits non-zero if any fails. Args: TMP_DIR [CROSS_LANGUAGE_DIR] (given: only the cross-language test runs).
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using ScoreKit;

static class TestScoreKit
{
    const string SPEC = "{\"data\": \"moons\", \"sde\": \"vp\", \"model\": {\"name\": \"mlp\", \"hidden\": 16, \"depth\": 1,"
        + " \"time_dim\": 8}, \"objective\": \"dsm\", \"train\": {\"batch\": 32, \"seed\": 7, \"warmup\": 5}}";
    static readonly float[] POINTS = { 0.5f, -0.25f, 1.0f, 0.5f, -0.75f, 0.1f, 0.0f, 0.0f };
    static string tmp, xlang;

    static void Check(bool ok, string what) { if (!ok) throw new Exception("check failed: " + what); }

    static ScoreKitException Expect(int status, string fragment, Action body)
    {
        try { body(); }
        catch (ScoreKitException e)
        {
            Check(e.Status == status, $"status {e.StatusName} instead of {status}: {e.Message}");
            Check(e.Message.Contains(fragment), $"message '{e.Message}' lacks '{fragment}'");
            return e;
        }
        throw new Exception("no ScoreKitException containing '" + fragment + "'");
    }

    static void TestWholePath()
    {
        string path = Path.Combine(tmp, "csharp.skc");
        var seen = new List<Progress>();
        float[] live;
        using (var tr = new Trainer(SPEC))
        {
            double loss = tr.Train(20, p => { seen.Add(p); return true; });
            Check(!double.IsNaN(loss) && !double.IsInfinity(loss), "finite loss");
            Check(tr.StepCount == 20, "20 steps");
            Check(seen.Count == 20 && seen[19].Done == 20 && seen[19].Total == 20, "progress reports");
            tr.Step();
            Check(tr.Metrics.Contains("\"step\":21"), "metrics " + tr.Metrics);
            Check(tr.Spec.Contains("beta_max"), "resolved spec");
            tr.Save(path);
            using (var m = tr.Model()) live = m.Score(POINTS, 0.5f);
        }
        using (var m = Model.Load(path))
        using (var s = new Sampler("{\"name\": \"em\", \"steps\": 20}"))
        using (var moons = new Dataset("moons"))
        using (var obj = new Objective("{\"name\": \"dsm\", \"weighting\": \"sigma2\"}"))
        {
            Check(m.Dim == 2, "dim");
            Check(m.Spec.Contains("mlp"), "model spec");
            float[] sc = m.Score(POINTS, 0.5f);
            Check(sc.Length == 8, "score length");
            for (int i = 0; i < 8; ++i) Check(Math.Abs(sc[i] - live[i]) < 1e-5, "loaded score == live score");
            Check(sc.SequenceEqual(m.Score(POINTS, new[] { 0.5f, 0.5f, 0.5f, 0.5f })), "per-point times");
            float[] x = s.Run(m, 64, 3);
            Check(x.Length == 128 && s.Nfe == 20, "samples");
            Check(x.SequenceEqual(s.Run(m, 64, 3)), "seeded sampling is reproducible");
            Check(x.All(v => !float.IsNaN(v) && !float.IsInfinity(v)), "finite samples");
            float[] data = moons.Sample(64, 1);
            Check(Library.SlicedWasserstein(x, data) > 0, "sliced W2");
            Check(Library.Mmd(x, data) >= 0, "mmd");
            Check(!double.IsNaN(obj.Loss(m, data, 2)), "objective loss");
            if (Model.HasNll)
            {
                var nll = m.Nll(data.Take(32).ToArray());
                Check(!double.IsNaN(nll.Nats) && !double.IsNaN(nll.BitsPerDim), "nll");
            }
        }
        using (var resumed = Trainer.Load(path)) Check(resumed.StepCount == 21, "resumed step");
    }

    static void TestInMemoryArray()
    {
        const int n = 40;
        var values = new float[2 * n];
        for (int i = 0; i < n; ++i) { values[2 * i] = (i % 5) - 2.0f; values[2 * i + 1] = 0.25f * i - 4.0f; }
        var original = (float[])values.Clone();
        string spec = SPEC.Replace("\"data\": \"moons\", ", "");
        string path = Path.Combine(tmp, "csharp-array.skc");
        using (var data = Dataset.FromArray(values, n, 2))
        {
            for (int i = 0; i < values.Length; ++i) values[i] = 99f;  // the data set holds its own copy
            Check(data.Dim == 2, "array dim");
            var drawn = data.Sample(10, 1);
            for (int k = 0; k < 10; ++k)
            {
                bool found = false;
                for (int i = 0; i < n && !found; ++i) found = drawn[2 * k] == original[2 * i] && drawn[2 * k + 1] == original[2 * i + 1];
                Check(found, "every draw is a row of the array");
            }
            using (var tr = new Trainer(spec, data))
            {
                tr.Train(3);
                Check(tr.Spec.Contains("\"name\":\"array\""), "array spec " + tr.Spec);
                tr.Save(path);
            }
            Expect(ScoreKitException.Checkpoint, "in-memory array", () => Trainer.Load(path).Dispose());
            using (var resumed = Trainer.Load(path, data)) Check(resumed.StepCount == 3, "resumed at step 3");
            Expect(ScoreKitException.Spec, "drop one of them", () => new Trainer(SPEC, data).Dispose());
        }
        using (var m = Model.Load(path)) Check(m.Dim == 2, "model from an array run needs no data");
        Expect(ScoreKitException.InvalidArgument, "values_len is 3", () => Dataset.FromArray(new float[3], 2, 2).Dispose());
    }

    static void TestImageMetrics()
    {
        var images = new float[6 * 784];
        for (int i = 0; i < images.Length; ++i) images[i] = (i * 7919 % 200) / 100.0f - 1.0f;
        float[] f = Library.ImageFeatures(images);
        Check(f.Length == 6 * 128, "128 features per image");
        Check(f.All(v => !float.IsNaN(v) && !float.IsInfinity(v) && v >= 0), "finite features after a ReLU");
        string m = Library.FeatureMetrics(f, f, 128, "{\"kid_subsets\": 2, \"kid_subset_size\": 4}");
        foreach (var key in new[] { "\"fd\"", "\"kid\"", "\"kid_std\"", "\"precision\"", "\"recall\"" })
            Check(m.Contains(key), "feature metrics report " + key + ": " + m);
        Expect(ScoreKitException.IO, "/nonexistent/c.skc", () => Library.ImageFeatures(images, "{\"classifier\": \"/nonexistent/c.skc\"}"));
        Expect(ScoreKitException.Spec, "fashion-mnist", () => Library.ImageMetrics(images, "{\"data\": \"mnist\"}"));
        images[5] = float.NaN;
        Expect(ScoreKitException.InvalidArgument, "index 5", () => Library.ImageMetrics(images));
    }

    static void TestSdeAndMixture()
    {
        using (var sde = new Sde("{\"name\": \"vp\", \"beta_min\": 0.1, \"beta_max\": 20}"))
        {
            var am = sde.Marginal(0.5);
            Check(Math.Abs(am.Alpha * am.Alpha + am.Sigma * am.Sigma - 1) < 1e-5, "vp marginal");
            Check(sde.PriorSample(10, 2, 1).Length == 20, "prior");
            using (var m = new Model("{\"name\": \"mlp\", \"hidden\": 8, \"depth\": 1}", sde, 2)) Check(m.Dim == 2, "created model");
        }
        using (var mix = new Dataset("{\"name\": \"mixture\", \"weights\": [0.5, 0.5], \"means\": [[-2, 0], [2, 0]], \"stds\": [[0.5, 0.5], [0.5, 0.5]]}"))
        using (var tr = new Trainer(SPEC))
        using (var m = tr.Model())
        {
            double mse = m.ScoreMse(mix, 64, 0);
            Check(!double.IsNaN(mse) && mse >= 0, "score mse");
        }
    }

    static void TestPostHocEma()
    {
        string path = Path.Combine(tmp, "posthoc.skc");
        string spec = SPEC.Replace("\"warmup\": 5", "\"warmup\": 5, \"ema_posthoc\": [0.05, 0.1], \"ema_snapshot_every\": 5");
        Check(spec != SPEC, "SPEC has a train section to extend");
        using (var tr = new Trainer(spec))
        {
            tr.Train(30);
            tr.Save(path);
        }
        float[] a, b, usual;
        using (var m = Model.Load(path, 0.03)) a = m.Score(POINTS, 0.3f);
        using (var m = Model.Load(path, 0.15)) b = m.Score(POINTS, 0.3f);
        using (var m = Model.Load(path)) usual = m.Score(POINTS, 0.3f);
        Check(!a.SequenceEqual(b) && !a.SequenceEqual(usual), "each EMA length is its own average of the weights");
        Expect(ScoreKitException.InvalidArgument, "sigma_rel must lie", () => Model.Load(path, 0.5));
        string plain = Path.Combine(tmp, "plain.skc");
        using (var tr = new Trainer(SPEC))
        {
            tr.Train(2);
            tr.Save(plain);
        }
        Expect(ScoreKitException.Checkpoint, "keeps no post-hoc EMAs", () => Model.Load(plain, 0.1));
    }

    static void TestErrors()
    {
        Expect(ScoreKitException.Spec, "not valid JSON", () => new Trainer("{\"data\": \"moons\",}"));
        var e = Expect(ScoreKitException.Spec, "subvp", () => new Trainer("{\"data\": \"moons\", \"sde\": \"vv\"}"));
        Check(e.StatusName == "SK_ERR_SPEC", "status name");
        Check(e.NativeMessage.Contains("subvp") && !e.NativeMessage.StartsWith("SK_"), "native message");
        Expect(ScoreKitException.Spec, "2spirals", () => new Dataset("{\"name\": \"spiral\"}"));
        Expect(ScoreKitException.Spec, "unknown key 'extra'", () => new Trainer("{\"data\": \"moons\", \"extra\": 1}"));
        Expect(ScoreKitException.IO, "cannot open", () => Model.Load("/nonexistent/ck.skc"));
        using (var tr = new Trainer(SPEC))
        using (var m = tr.Model())
        using (var d = new Dataset("moons"))
        {
            Expect(ScoreKitException.InvalidArgument, "t_len must be 1 or n = 4", () => m.Score(POINTS, new[] { 0.5f, 0.5f }));
            Expect(ScoreKitException.InvalidArgument, "holds 7 values but 8", () => m.Score(POINTS, new[] { 0.5f }, new float[7]));
            Expect(ScoreKitException.InvalidArgument, "not a multiple of dim 2", () => m.Score(new float[3], 0.5f));
            Expect(ScoreKitException.InvalidArgument, "outside (0, 1]", () => m.Score(POINTS, 2.0f));
            Expect(ScoreKitException.InvalidArgument, "holds 19 values but 20", () => d.Sample(10, 0, new float[19]));
            Expect(ScoreKitException.InvalidArgument, "steps must be positive, got 0", () => tr.Train(0));
            Expect(ScoreKitException.IO, "cannot write", () => tr.Save("/nonexistent-dir/x.skc"));
            try { m.Score(null, 0.5f); throw new Exception("null array accepted"); }
            catch (ArgumentNullException) { }
        }
    }

    static void TestDisposedHandles()
    {
        var tr = new Trainer(SPEC);
        var m = tr.Model();
        tr.Dispose();
        tr.Dispose(); // a second Dispose does nothing: never a double free
        Check(tr.IsDisposed, "disposed");
        Expect(ScoreKitException.State, "trainer is closed", () => tr.Step());
        Expect(ScoreKitException.State, "trainer is closed", () => tr.Train(1, p => true));
        Check(m.Score(POINTS, 0.5f).Length == 8, "the model outlives its trainer");
        m.Dispose();
        Expect(ScoreKitException.State, "model is closed", () => m.Score(POINTS, 0.5f));
        using (var s = new Sampler("{\"name\": \"em\", \"steps\": 5}"))
            Expect(ScoreKitException.State, "model is closed", () => s.Run(m, 4));
        // Undisposed handles are freed by their finalizers.
        for (int i = 0; i < 3; ++i) new Dataset("moons");
        GC.Collect();
        GC.WaitForPendingFinalizers();
    }

    static void TestCallbacks()
    {
        using (var tr = new Trainer(SPEC))
        {
            var calls = new List<long>();
            var c = Expect(ScoreKitException.Cancelled, "cancelled", () => tr.Train(10, p => { calls.Add(p.Done); return p.Done < 3; }));
            Check(c is CancelledException, "CancelledException");
            Check(calls.SequenceEqual(new long[] { 1, 2, 3 }), "stopped after 3");
            Check(tr.StepCount == 3, "work done stays done");
            tr.Train(2);
            Check(tr.StepCount == 5, "still usable");
            try
            {
                tr.Train(10, p => throw new InvalidOperationException("boom at " + p.Done));
                throw new Exception("handler exception lost");
            }
            catch (InvalidOperationException ex) { Check(ex.Message == "boom at 1", "handler exception rethrown"); }
            Check(tr.StepCount == 6, "one step before the throw");
            using (var m = tr.Model())
            using (var s = new Sampler("{\"name\": \"em\", \"steps\": 50}"))
            {
                Expect(ScoreKitException.Cancelled, "cancelled", () => s.Run(m, 8, 0, p => p.Done < 5));
                Check(s.Run(m, 8).Length == 16, "sampler usable after cancel");
            }
            // A delegate whose only reference is the call stays alive while the call runs.
            int count = 0;
            tr.Train(5, p => { GC.Collect(); GC.WaitForPendingFinalizers(); count++; return true; });
            Check(count == 5, "delegate kept alive");
        }
    }

    static void TestCrossLanguage()
    {
        string refFile = Path.Combine(xlang, "python_scores.txt");
        Check(File.Exists(refFile), "no " + refFile + " (the Python cross-language test writes it)");
        var lines = File.ReadAllLines(refFile);
        float[] x = Parse(lines[0]);
        float t = Parse(lines[1])[0];
        float[] want = Parse(lines[2]);
        using (var m = Model.Load(Path.Combine(xlang, "python.skc")))
        {
            float[] got = m.Score(x, t);
            Check(got.SequenceEqual(want), "scores from Python's checkpoint: " + string.Join(" ", got) + " vs " + string.Join(" ", want));
        }
        var posthoc = File.ReadAllLines(Path.Combine(xlang, "python_posthoc_scores.txt"));
        using (var m = Model.Load(Path.Combine(xlang, "python_posthoc.skc"), 0.08))
        {
            float[] got = m.Score(Parse(posthoc[0]), Parse(posthoc[1])[0]);
            Check(got.SequenceEqual(Parse(posthoc[2])), "post-hoc EMA 0.08 of Python's checkpoint: " + string.Join(" ", got));
        }
        Console.WriteLine("  cross-language: Python's checkpoint gives identical scores (and post-hoc EMA) in C#");
        // And the other way: a checkpoint from C#, with its scores, for the Python side to check.
        string own = Path.Combine(xlang, "csharp.skc");
        using (var tr = new Trainer(SPEC))
        {
            tr.Train(30);
            tr.Save(own);
        }
        using (var m = Model.Load(own))
        {
            File.WriteAllText(Path.Combine(xlang, "csharp_scores.txt"),
                Row(POINTS) + "\n" + Row(new[] { 0.3f }) + "\n" + Row(m.Score(POINTS, 0.3f)) + "\n");
        }
    }

    static string Row(float[] r) => string.Join(" ", r.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));

    static float[] Parse(string l) => l.Trim().Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries)
        .Select(v => (float)double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    static int Main(string[] args)
    {
        tmp = Path.Combine(args.Length > 0 ? args[0] : Path.GetTempPath(), "csharp-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(tmp);
        xlang = args.Length > 1 ? args[1] : null;
        Console.WriteLine($"scorekit {Library.Version} (ABI {Library.AbiVersion})");
        int run = 0, failed = 0;
        foreach (var method in typeof(TestScoreKit).GetMethods(BindingFlags.Static | BindingFlags.NonPublic))
        {
            if (!method.Name.StartsWith("Test")) continue;
            // With a cross-language directory only that test runs; without one, all the others.
            if ((method.Name == "TestCrossLanguage") != (xlang != null)) continue;
            ++run;
            try
            {
                method.Invoke(null, null);
                Console.WriteLine("PASS " + method.Name);
            }
            catch (TargetInvocationException e)
            {
                ++failed;
                Console.WriteLine("FAIL " + method.Name + ": " + e.InnerException);
            }
        }
        Console.WriteLine($"{run - failed}/{run} passed");
        return failed == 0 && run > 0 ? 0 : 1;
    }
}
