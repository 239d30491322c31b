// scorekit from C#: train a small score model on the "moons" set, save a checkpoint, load it back,
// draw samples and compare them with the data.
//   samples/run_csharp.sh [BUILD_DIR] [OUT_DIR] [STEPS]
using System;
using System.IO;
using ScoreKit;

static class TrainAndSample
{
    const string SPEC = "{\"data\": \"moons\", \"sde\": {\"name\": \"vp\", \"beta_min\": 0.1, \"beta_max\": 20},"
        + " \"model\": {\"name\": \"mlp\", \"hidden\": 64, \"depth\": 2},"
        + " \"objective\": {\"name\": \"dsm\", \"weighting\": \"sigma2\"},"
        + " \"train\": {\"batch\": 256, \"lr\": 0.003, \"warmup\": 50, \"ema_decay\": 0.99, \"seed\": 1, \"log_every\": 100}}";
    const int N = 512;

    static double[] Moments(float[] x) // mean x, mean y, sd x, sd y
    {
        var m = new double[4];
        int n = x.Length / 2;
        for (int d = 0; d < 2; ++d)
        {
            double s = 0, s2 = 0;
            for (int i = 0; i < n; ++i) { s += x[2 * i + d]; s2 += (double)x[2 * i + d] * x[2 * i + d]; }
            m[d] = s / n;
            m[2 + d] = Math.Sqrt(s2 / n - m[d] * m[d]);
        }
        return m;
    }

    static int Main(string[] args)
    {
        string outDir = args.Length > 0 ? args[0] : ".";
        long steps = args.Length > 1 ? long.Parse(args[1]) : 1500;
        Console.WriteLine($"scorekit {Library.Version} (ABI {Library.AbiVersion})");
        string path = Path.Combine(outDir, "moons.skc");
        using (var trainer = new Trainer(SPEC))
        {
            Console.WriteLine($"training {steps} steps");
            trainer.Train(steps, p => // returning false would stop training
            {
                if (p.Done % Math.Max(p.Total / 4, 1) == 0) Console.WriteLine($"  step {p.Done,5}/{p.Total}  loss {p.Loss:F4}");
                return true;
            });
            Console.WriteLine("metrics: " + trainer.Metrics);
            trainer.Save(path);
        }
        Console.WriteLine("saved " + path);

        // A fresh process would start here: everything needed is in the checkpoint.
        float[] samples, data, prior;
        long nfe;
        using (var model = Model.Load(path))
        using (var sampler = new Sampler("{\"name\": \"em\", \"steps\": 200}"))
        using (var moons = new Dataset("moons"))
        using (var sde = new Sde("vp"))
        {
            samples = sampler.Run(model, N, 42);
            nfe = sampler.Nfe;
            data = moons.Sample(N, 7);
            prior = sde.PriorSample(N, 2, 3);
        }
        double sw = Library.SlicedWasserstein(samples, data, 2, 64, 0);
        double swPrior = Library.SlicedWasserstein(prior, data, 2, 64, 0);
        double[] ms = Moments(samples), md = Moments(data);
        Console.WriteLine($"sampled {N} points with {nfe} score evaluations");
        Console.WriteLine($"  samples: mean ({ms[0]:F3}, {ms[1]:F3})  sd ({ms[2]:F3}, {ms[3]:F3})");
        Console.WriteLine($"  data:    mean ({md[0]:F3}, {md[1]:F3})  sd ({md[2]:F3}, {md[3]:F3})");
        Console.WriteLine($"  sliced W2 to the data: samples {sw:F4}, prior noise {swPrior:F4}");
        if (!(sw < 0.5 * swPrior))
        {
            Console.Error.WriteLine("samples are not closer to the data than noise");
            return 1;
        }
        Console.WriteLine("OK");
        return 0;
    }
}
