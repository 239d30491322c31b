using System;
using ScoreKit.Native;
using N = ScoreKit.Native.scorekit_swig;

namespace ScoreKit
{
    /// <summary>A source of training data: {"name": "moons"}, {"name": "npy", "path": F}, {"name": "mixture", ...}.</summary>
    public sealed class Dataset : Handle<SWIGTYPE_p_sk_dataset>
    {
        public Dataset(string spec) : base(N.skw_dataset_create(Library.Spec(spec)), "dataset") { }
        Dataset(SWIGTYPE_p_sk_dataset p) : base(p, "dataset") { }

        /// <summary>Data held in memory, copied: values row-major with the array's full shape,
        /// (n, dim) or (n, C, H, W). A run on it resumes with <see cref="Trainer.Load(string, Dataset)"/>.</summary>
        public static Dataset FromArray(float[] values, params long[] shape)
        {
            var json = "[" + string.Join(",", shape ?? new long[0]) + "]";
            return new Dataset(N.skw_dataset_from_array(values, Library.Len(values), json));
        }
        internal override void Free(SWIGTYPE_p_sk_dataset p) => N.sk_dataset_free(p);

        public int Dim { get { long d = N.skw_dataset_dim(Ptr); ScoreKitException.Check(); return (int)d; } }

        /// <summary>n samples, row-major (n, dim).</summary>
        public float[] Sample(int n, long seed = 0)
        {
            var o = new float[n * Dim];
            Sample(n, seed, o);
            return o;
        }

        public void Sample(int n, long seed, float[] output)
        {
            ScoreKitException.Check(N.skw_dataset_sample(Ptr, n, seed, output, Library.Len(output)));
        }
    }

    /// <summary>A forward process: "vp", "ve", "subvp" or {"name": "vp", "beta_min": .., "beta_max": ..}.</summary>
    public sealed class Sde : Handle<SWIGTYPE_p_sk_sde>
    {
        public Sde(string spec) : base(N.skw_sde_create(Library.Spec(spec)), "sde") { }
        internal override void Free(SWIGTYPE_p_sk_sde p) => N.sk_sde_free(p);

        /// <summary>(alpha, sigma) of x_t = alpha x_0 + sigma z.</summary>
        public (double Alpha, double Sigma) Marginal(double t)
        {
            var o = new double[2];
            ScoreKitException.Check(N.skw_sde_marginal(Ptr, t, o, o.Length));
            return (o[0], o[1]);
        }

        public float[] PriorSample(int n, int dim, long seed = 0)
        {
            var o = new float[n * dim];
            ScoreKitException.Check(N.skw_sde_prior_sample(Ptr, n, dim, seed, o, o.Length));
            return o;
        }
    }

    /// <summary>A score network bound to its SDE.</summary>
    public sealed class Model : Handle<SWIGTYPE_p_sk_model>
    {
        internal Model(SWIGTYPE_p_sk_model p) : base(p, "model") { }

        /// <summary>An untrained network for dim-valued samples under sde (which may be disposed afterwards).</summary>
        public Model(string spec, Sde sde, int dim) : this(N.skw_model_create(Library.Spec(spec), sde.Ptr, dim)) { }

        /// <summary>The EMA weights, SDE and data set of a checkpoint.</summary>
        public static Model Load(string checkpointPath) => new Model(N.skw_model_load(checkpointPath));

        /// <summary>The EMA of length emaSigmaRel (in (0, 0.2887)) rebuilt from a checkpoint's snapshots after
        /// training (EDM2's post-hoc EMA: the run needs "ema_posthoc" and "ema_snapshot_every").</summary>
        public static Model Load(string checkpointPath, double emaSigmaRel) =>
            new Model(N.skw_model_load_posthoc_ema(checkpointPath, emaSigmaRel));

        internal override void Free(SWIGTYPE_p_sk_model p) => N.sk_model_free(p);

        public int Dim { get { long d = N.skw_model_dim(Ptr); ScoreKitException.Check(); return (int)d; } }

        /// <summary>The model's JSON spec.</summary>
        public string Spec { get { string s = N.skw_model_spec(Ptr); ScoreKitException.Check(); return s; } }

        /// <summary>grad_x log p_t(x) at the points x (n * dim, row-major), all at time t.</summary>
        public float[] Score(float[] x, float t) => Score(x, new[] { t });

        /// <summary>grad_x log p_t(x) with one time for all points (t.Length 1) or one per point.</summary>
        public float[] Score(float[] x, float[] t)
        {
            var o = new float[Library.Len(x)];
            Score(x, t, o);
            return o;
        }

        public void Score(float[] x, float[] t, float[] output)
        {
            var p = Ptr;
            ScoreKitException.Check(N.skw_model_score(p, x, Library.Len(x), Dim, t, Library.Len(t), output, Library.Len(output)));
        }

        /// <summary>The sigma^2-weighted score error against a mixture data set's exact score (per dimension).</summary>
        public double ScoreMse(Dataset mixture, int n, long seed = 0)
        {
            var o = new double[1];
            ScoreKitException.Check(N.skw_model_score_mse(Ptr, mixture.Ptr, n, seed, o, o.Length));
            return o[0];
        }

        /// <summary>Whether this libscorekit has sk_model_nll.</summary>
        public static bool HasNll => N.skw_has_nll() != 0;

        /// <summary>(mean NLL in nats, bits per dimension) of the points x under the probability-flow ODE.</summary>
        public (double Nats, double BitsPerDim) Nll(float[] x, string optionsJson = "{}")
        {
            var o = new double[2];
            ScoreKitException.Check(N.skw_model_nll(Ptr, x, Library.Len(x), Dim, optionsJson ?? "{}", o, o.Length));
            return (o[0], o[1]);
        }
    }

    /// <summary>A score-matching loss: {"name": "dsm", "weighting": "sigma2"}, ...</summary>
    public sealed class Objective : Handle<SWIGTYPE_p_sk_objective>
    {
        public Objective(string spec) : base(N.skw_objective_create(Library.Spec(spec)), "objective") { }
        internal override void Free(SWIGTYPE_p_sk_objective p) => N.sk_objective_free(p);

        public double Loss(Model model, float[] x0, long seed = 0)
        {
            double l = N.skw_objective_loss(Ptr, model.Ptr, x0, Library.Len(x0), model.Dim, seed);
            ScoreKitException.Check();
            return l;
        }
    }

    /// <summary>Data + SDE + model + objective + optimiser state, from a full training spec.</summary>
    public sealed class Trainer : Handle<SWIGTYPE_p_sk_trainer>
    {
        Trainer(SWIGTYPE_p_sk_trainer p) : base(p, "trainer") { }

        /// <summary>From {"data":..,"sde":..,"model":..,"objective":..,"train":{..}}.</summary>
        public Trainer(string spec) : this(N.skw_trainer_create(Library.Spec(spec))) { }

        /// <summary>On the data of a handle (e.g. <see cref="Dataset.FromArray"/>); spec has no "data".</summary>
        public Trainer(string spec, Dataset data) : this(CreateWithData(Library.Spec(spec), data)) { }

        static SWIGTYPE_p_sk_trainer CreateWithData(string spec, Dataset data)
        {
            var t = N.skw_trainer_create_with_data(spec, data.Ptr);
            GC.KeepAlive(data);
            return t;
        }

        /// <summary>Resumes a run from a checkpoint, bit for bit.</summary>
        public static Trainer Load(string checkpointPath) => new Trainer(N.skw_trainer_load(checkpointPath));

        /// <summary>Resumes a run on the given data: an in-memory array, or a data file that has moved.</summary>
        public static Trainer Load(string checkpointPath, Dataset data)
        {
            var t = new Trainer(N.skw_trainer_load_with_data(checkpointPath, data.Ptr));
            GC.KeepAlive(data);
            return t;
        }

        internal override void Free(SWIGTYPE_p_sk_trainer p) => N.sk_trainer_free(p);

        /// <summary>One optimisation step; returns its loss.</summary>
        public double Step() { double l = N.skw_trainer_step(Ptr); ScoreKitException.Check(); return l; }

        /// <summary>Runs steps steps, calling progress (may be null) after each; returns the last loss.</summary>
        public double Train(long steps, ProgressHandler progress = null)
        {
            var p = Ptr;
            using (var cb = new Callback(progress))
            {
                int status = N.skw_trainer_train(p, steps, cb);
                cb.Finish(status);
                GC.KeepAlive(cb);
            }
            return LastLoss;
        }

        public long StepCount { get { long s = N.skw_trainer_step_count(Ptr); ScoreKitException.Check(); return s; } }
        public double LastLoss { get { double l = N.skw_trainer_last_loss(Ptr); ScoreKitException.Check(); return l; } }

        /// <summary>{"step":..,"loss":..,"lr":..,...} as JSON.</summary>
        public string Metrics { get { string s = N.skw_trainer_metrics(Ptr); ScoreKitException.Check(); return s; } }

        /// <summary>The fully resolved training spec as JSON.</summary>
        public string Spec { get { string s = N.skw_trainer_spec(Ptr); ScoreKitException.Check(); return s; } }

        /// <summary>Writes a checkpoint atomically.</summary>
        public void Save(string path) => ScoreKitException.Check(N.skw_trainer_save(Ptr, path));

        /// <summary>A new model with a copy of the current EMA weights (independent of the trainer).</summary>
        public Model Model() => new Model(N.skw_trainer_model(Ptr));
    }

    /// <summary>A reverse-time integrator: {"name": "em", "steps": 500} | {"name": "ode_euler", "steps": 100}.</summary>
    public sealed class Sampler : Handle<SWIGTYPE_p_sk_sampler>
    {
        public Sampler(string spec) : base(N.skw_sampler_create(Library.Spec(spec)), "sampler") { }
        internal override void Free(SWIGTYPE_p_sk_sampler p) => N.sk_sampler_free(p);

        /// <summary>Score evaluations used by the last run.</summary>
        public long Nfe { get; private set; }

        /// <summary>n samples (n * dim, row-major) from model; progress (may be null) as in Trainer.Train.</summary>
        public float[] Run(Model model, int n, long seed = 0, ProgressHandler progress = null)
        {
            var o = new float[n * model.Dim];
            Run(model, n, seed, o, progress);
            return o;
        }

        public void Run(Model model, int n, long seed, float[] output, ProgressHandler progress = null)
        {
            var p = Ptr;
            using (var cb = new Callback(progress))
            {
                int status = N.skw_sampler_run(p, model.Ptr, n, seed, output, Library.Len(output), cb);
                cb.Finish(status);
                GC.KeepAlive(cb);
            }
            Nfe = N.skw_last_nfe();
        }
    }
}
