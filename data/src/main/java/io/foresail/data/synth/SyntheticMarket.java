package io.foresail.data.synth;

import io.foresail.core.market.BarGrid;
import io.foresail.core.market.Timeframe;
import io.foresail.core.progress.Progress;
import io.foresail.core.stats.Correlation;
import io.foresail.core.universe.Equity;
import io.foresail.core.universe.Sector;
import io.foresail.data.adjust.CorporateAction;
import io.foresail.data.adjust.CorporateActions;
import io.foresail.data.store.BarSeries;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * A synthetic equity market with a known truth, generated on the calendar's bar grid. The model
 * is documented in {@code docs/synthetic-market.md}; in short:
 *
 * <ul>
 *   <li>returns = beta x market factor + loading x sector factor + planted alpha + idiosyncratic
 *       noise, with per-symbol betas, loadings and volatilities;</li>
 *   <li>every noise term is Student-t (4 degrees of freedom) with GARCH(1,1) volatility, and the
 *       market switches between a calm and a stressed regime;</li>
 *   <li>U-shaped intraday volatility and volume, an overnight gap in each session's first bar;</li>
 *   <li>OHLC and VWAP come from a simulated intrabar path; volume rises with the bar's |return|;</li>
 *   <li>a few splits appear in the raw prices, listed as corporate actions;</li>
 *   <li>the alpha: the next bar's expected return is a fixed function of observable data only:
 *       a fast part (reversal of the last market-adjusted return, damped by a volume shock),
 *       scaled so its cross-sectional IC is {@link SynthConfig#alphaIc()}, and a slow part
 *       (momentum of a five-session average of the same returns) that a daily strategy can
 *       trade. The oracle records both.</li>
 * </ul>
 *
 * <p>The same config and seed give the same bits: every random stream is split from the seed in a
 * fixed order before any parallel work, and all transcendental functions use {@link StrictMath}.
 */
public final class SyntheticMarket {
    // Daily volatilities: market, sector, typical idiosyncratic.
    static final double MARKET_VOL = 0.010;
    static final double SECTOR_VOL = 0.006;
    static final double IDIO_VOL = 0.012;
    static final double BENCHMARK_IDIO_VOL = 0.0005;
    static final double DAILY_DRIFT = 0.0003;
    /** Share of daily variance that arrives overnight (in the first bar's gap). */
    static final double OVERNIGHT_SHARE = 0.2;
    static final double GARCH_A = 0.03;
    static final double GARCH_B = 0.96;
    static final double H_MIN = 0.25;
    static final double H_MAX = 4.0;
    /** Shocks are clipped at this many standard deviations: a bigger synthetic move would look like a split. */
    static final double SHOCK_CLIP = 6.0;
    static final double STRESS_VOL = 2.0;
    static final double CALM_DAYS = 120;
    static final double STRESS_DAYS = 20;
    // The alpha signal (docs/synthetic-market.md, "The planted alpha").
    static final double SIGNAL_VAR_DECAY = 0.97;
    static final double SIGNAL_Z_CLIP = 4.0;
    static final double VOLUME_LEVEL_DECAY = 0.95;
    static final double VOLUME_DAMPING = 0.5;
    /**
     * The slow component: an EWMA of the same standardised market-adjusted returns, half-life
     * {@value #SLOW_HALF_LIFE_BARS} bars (five 15-minute sessions), scaled to unit variance and
     * planted as momentum with {@value #SLOW_SHARE} of the fast component's scale.
     */
    static final double SLOW_HALF_LIFE_BARS = 130;
    static final double SLOW_SHARE = 0.2;
    static final double SLOW_DECAY = StrictMath.pow(0.5, 1 / SLOW_HALF_LIFE_BARS);
    static final double SLOW_NORM = StrictMath.sqrt((1 + SLOW_DECAY) / (1 - SLOW_DECAY));
    static final double[] SPLIT_RATIOS = {4.0, 2.0, 3.0, 0.2};

    private SyntheticMarket() {
    }

    /**
     * One generated symbol: raw bars (with splits); the oracle (expected next-bar return); its planted
     * alpha part alone, a function of observable bars up to this one; and the split-adjusted closes.
     */
    public record SymbolData(Equity equity, BarSeries raw, double[] oracle, double[] alpha, double[] slowAlpha,
                             double[] adjustedClose) {
    }

    /**
     * The generated market.
     *
     * @param equities   the equities, in universe order
     * @param benchmark  the benchmark (no alpha, no splits)
     * @param actions    the splits inside the raw bars
     * @param summary    the oracle's realised IC
     */
    public record Result(SynthConfig config, List<SymbolData> equities, SymbolData benchmark,
                         CorporateActions actions, OracleSummary summary) {

        /** Raw bars of the equities then the benchmark. */
        public List<BarSeries> rawSeries() {
            List<BarSeries> out = new ArrayList<>();
            equities.forEach(e -> out.add(e.raw()));
            out.add(benchmark.raw());
            return out;
        }

        public long totalBars() {
            return rawSeries().stream().mapToLong(BarSeries::size).sum();
        }
    }

    /** Per-bar quantities shared by every symbol. */
    private record Timeline(int lo, int n, double[] varShare, double[] gapWeight, double[] drift,
                            double[] barMinutes, double[] slotX, double[] regime, long[] tsMicros,
                            LocalDate[] dates) {
    }

    private record Params(Equity equity, int sector, double beta, double loading, double idioVol, double price,
                          double dailyVolume, double tradeSize, List<CorporateAction> splits, double kappa) {
    }

    public static Result generate(SynthConfig config) {
        return generate(config, Progress.NONE);
    }

    public static Result generate(SynthConfig config, Progress progress) {
        Rng master = new Rng(new SplittableRandom(config.seed()));
        Rng factorRng = master.split();
        Rng paramRng = master.split();
        Rng benchmarkRng = master.split();
        List<Equity> equities = equities(config);
        List<Rng> symbolRngs = new ArrayList<>();
        for (int i = 0; i < equities.size(); i++) {
            symbolRngs.add(master.split());
        }

        Timeline tl = timeline(config, factorRng);
        int sectors = Sector.values().length - 1;
        double[] market = new double[tl.n];
        double[][] sector = new double[sectors][tl.n];
        factors(tl, factorRng, market, sector);

        List<Params> params = params(config, equities, paramRng, tl);
        Params benchmarkParams = new Params(config.universe().benchmark(), -1, 1.0, 0.0, BENCHMARK_IDIO_VOL,
                300.0, 8.0e7, 150, List.of(), 0.0);
        SymbolData benchmark = symbol(config, tl, benchmarkParams, market, sector, null, benchmarkRng);

        AtomicInteger done = new AtomicInteger();
        SymbolData[] data = new SymbolData[equities.size()];
        IntStream.range(0, data.length).parallel().forEach(i -> {
            data[i] = symbol(config, tl, params.get(i), market, sector, benchmark.adjustedClose, symbolRngs.get(i));
            progress.update("generate", done.incrementAndGet(), data.length);
        });
        List<CorporateAction> actions = new ArrayList<>();
        params.forEach(p -> actions.addAll(p.splits));
        List<SymbolData> list = List.of(data);
        double kappa = params.isEmpty() ? 0 : params.get(0).kappa;
        return new Result(config, list, benchmark, new CorporateActions(actions), summarize(config, list, kappa));
    }

    static List<Equity> equities(SynthConfig config) {
        List<Equity> universe = config.universe().equities();
        List<Equity> out = new ArrayList<>();
        Sector[] sectors = Sector.values();
        for (int i = 0; i < config.symbols(); i++) {
            out.add(i < universe.size() ? universe.get(i)
                    : new Equity(String.format("SYN%03d", i + 1), "Synthetic " + (i + 1),
                    sectors[i % (sectors.length - 1)]));
        }
        return out;
    }

    private static Timeline timeline(SynthConfig config, Rng rng) {
        BarGrid grid = config.calendar().grid(config.timeframe());
        long from = config.start().atStartOfDay(config.calendar().zone()).toEpochSecond();
        long to = config.end().plusDays(1).atStartOfDay(config.calendar().zone()).toEpochSecond();
        int lo = grid.ceilingIndex(from);
        int n = grid.ceilingIndex(to) - lo;
        double[] varShare = new double[n];
        double[] gapWeight = new double[n];
        double[] drift = new double[n];
        double[] minutes = new double[n];
        double[] slotX = new double[n];
        double[] regime = new double[n];
        long[] ts = new long[n];
        LocalDate[] dates = new LocalDate[n];
        Timeframe tf = config.timeframe();
        double nominalMinutes = tf.isIntraday() ? tf.duration().toMinutes() : 390;
        double barsPerDay = 390 / nominalMinutes;
        double pCalmToStress = 1 / (CALM_DAYS * barsPerDay);
        double pStressToCalm = 1 / (STRESS_DAYS * barsPerDay);
        boolean stressed = false;
        for (int t = 0; t < n; t++) {
            int g = lo + t;
            ts[t] = grid.startEpochSecond(g) * 1_000_000L;
            dates[t] = grid.sessionOf(g).date();
            double barMin = (grid.end(g).getEpochSecond() - grid.startEpochSecond(g)) / 60.0;
            minutes[t] = barMin;
            boolean first = grid.isFirstOfSession(g) && t > 0;
            double x = tf.isIntraday() ? (grid.slotInSession(g) + 0.5) / grid.barsInSessionOf(g) : 0.5;
            slotX[t] = x;
            double u = volatilityProfile(x);
            double intraday = (1 - OVERNIGHT_SHARE) * (barMin / 390.0) * (tf.isIntraday() ? u * u : 1);
            double overnight = first ? OVERNIGHT_SHARE : 0;
            varShare[t] = intraday + overnight;
            gapWeight[t] = overnight / varShare[t];
            drift[t] = DAILY_DRIFT * ((1 - OVERNIGHT_SHARE) * barMin / 390.0 + overnight);
            if (stressed ? rng.uniform() < pStressToCalm : rng.uniform() < pCalmToStress) {
                stressed = !stressed;
            }
            regime[t] = stressed ? STRESS_VOL : 1.0;
        }
        return new Timeline(lo, n, varShare, gapWeight, drift, minutes, slotX, regime, ts, dates);
    }

    /** U-shaped intraday volatility multiplier, mean square 1 over the session; {@code x} in (0, 1). */
    static double volatilityProfile(double x) {
        // E[(0.75 + 2y^2)^2] for y uniform on (-1/2, 1/2) is 0.8625
        double y = x - 0.5;
        return (0.75 + 2 * y * y) / StrictMath.sqrt(0.8625);
    }

    /** U-shaped intraday volume profile with mean 1 over the session; {@code x} in (0, 1). */
    static double volumeProfile(double x) {
        // mean of 0.6 + 1.2 y^2 + 16 y^4 for y uniform on (-1/2, 1/2) is 0.9
        double y = x - 0.5;
        double y2 = y * y;
        return (0.6 + 1.2 * y2 + 16 * y2 * y2) / 0.9;
    }

    private static void factors(Timeline tl, Rng rng, double[] market, double[][] sector) {
        double hm = 1;
        double em = 0;
        double[] hs = new double[sector.length];
        double[] es = new double[sector.length];
        java.util.Arrays.fill(hs, 1);
        for (int t = 0; t < tl.n; t++) {
            hm = garch(hm, em);
            em = clip(rng.studentT4(), SHOCK_CLIP);
            market[t] = tl.drift[t] + MARKET_VOL * StrictMath.sqrt(tl.varShare[t] * hm) * tl.regime[t] * em;
            for (int k = 0; k < sector.length; k++) {
                hs[k] = garch(hs[k], es[k]);
                es[k] = clip(rng.studentT4(), SHOCK_CLIP);
                sector[k][t] = SECTOR_VOL * StrictMath.sqrt(tl.varShare[t] * hs[k] * tl.regime[t]) * es[k];
            }
        }
    }

    private static double garch(double h, double lastShock) {
        double next = (1 - GARCH_A - GARCH_B) + GARCH_A * h * lastShock * lastShock + GARCH_B * h;
        return Math.min(H_MAX, Math.max(H_MIN, next));
    }

    private static double clip(double v, double limit) {
        return Math.max(-limit, Math.min(limit, v));
    }

    private static List<Params> params(SynthConfig config, List<Equity> equities, Rng rng, Timeline tl) {
        int n = equities.size();
        double[] beta = new double[n];
        double[] loading = new double[n];
        double[] vol = new double[n];
        double[] price = new double[n];
        double[] volume = new double[n];
        double[] size = new double[n];
        for (int i = 0; i < n; i++) {
            beta[i] = Math.max(0.4, Math.min(1.8, 1.0 + 0.3 * rng.normal()));
            loading[i] = Math.max(0.5, Math.min(1.5, 1.0 + 0.2 * rng.normal()));
            vol[i] = Math.max(0.006, Math.min(0.03, IDIO_VOL * StrictMath.exp(0.3 * rng.normal())));
            price[i] = Math.max(10, Math.min(800, 80 * StrictMath.exp(0.8 * rng.normal())));
            volume[i] = 2.0e6 * StrictMath.exp(0.7 * rng.normal());
            size[i] = 60 + 90 * rng.uniform();
        }
        // Splits: distinct equities, ex-dates inside the middle 60 % of the range, ratios in turn.
        List<List<CorporateAction>> splits = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            splits.add(new ArrayList<>());
        }
        List<Integer> pool = new ArrayList<>(IntStream.range(0, n).boxed().toList());
        for (int s = 0; s < config.splits(); s++) {
            int i = pool.remove(rng.nextInt(pool.size()));
            LocalDate date = tl.dates[(int) (tl.n * (0.2 + 0.6 * rng.uniform()))];
            splits.get(i).add(new CorporateAction(equities.get(i).symbol(), date, SPLIT_RATIOS[s % SPLIT_RATIOS.length]));
        }

        double kappa = kappa(config.alphaIc(), beta, loading, vol, equities);
        List<Params> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Params(equities.get(i), equities.get(i).sector().ordinal(), beta[i], loading[i], vol[i],
                    price[i], volume[i], size[i], List.copyOf(splits.get(i)), kappa));
        }
        return out;
    }

    /**
     * The alpha scale that makes the oracle's cross-sectional IC about {@code ic}: with the signal
     * of unit variance, IC = kappa / sqrt(kappa^2 + 1 + phi), where phi is the cross-sectional
     * variance the factors add, relative to the mean idiosyncratic variance.
     */
    static double kappa(double ic, double[] beta, double[] loading, double[] vol, List<Equity> equities) {
        if (ic == 0 || beta.length < 2) {
            return 0;
        }
        int n = beta.length;
        double mb = 0;
        double g2 = 0;
        double v2 = 0;
        for (int i = 0; i < n; i++) {
            mb += beta[i] / n;
            g2 += loading[i] * loading[i] / n;
            v2 += vol[i] * vol[i] / n;
        }
        double varBeta = 0;
        for (double b : beta) {
            varBeta += (b - mb) * (b - mb) / n;
        }
        long distinctSectors = equities.stream().map(Equity::sector).distinct().count();
        double phi = (varBeta * MARKET_VOL * MARKET_VOL
                + g2 * SECTOR_VOL * SECTOR_VOL * (1 - 1.0 / distinctSectors)) / v2;
        // The alpha is scaled by the observable market-adjusted volatility, which also carries
        // (beta - 1) x market and sector risk: shrink kappa by that excess.
        double excess = 0;
        for (double b : beta) {
            excess += (b - 1) * (b - 1) / n;
        }
        double psi = (excess * MARKET_VOL * MARKET_VOL + g2 * SECTOR_VOL * SECTOR_VOL) / v2;
        return ic * StrictMath.sqrt(1 + phi) / StrictMath.sqrt(1 - ic * ic) / StrictMath.sqrt(1 + psi);
    }

    private static SymbolData symbol(SynthConfig config, Timeline tl, Params p, double[] market, double[][] sector,
                                     double[] benchmarkClose, Rng rng) {
        int n = tl.n;
        BarSeries.Builder raw = BarSeries.builder(p.equity.symbol(), n);
        double[] oracle = new double[n];
        double[] alphaPart = new double[n];
        double[] slowPart = new double[n];
        double[] adjClose = new double[n];
        Timeframe tf = config.timeframe();
        int substeps = (int) Math.max(2, Math.min(30, tf.isIntraday() ? tf.duration().toMinutes() : 30));
        double[] path = new double[substeps + 1];

        double h = 1;
        double lastShock = 0;
        double prevClose = p.price;
        double signal = 0;
        double slowSignal = 0;
        double signalScale = 0;
        double ewmaVar = -1;
        double volumeLevel = Double.NaN;
        for (int t = 0; t < n; t++) {
            h = garch(h, lastShock);
            double regimeIdio = 1 + 0.5 * (tl.regime[t] - 1);
            double idioSd = p.idioVol * StrictMath.sqrt(tl.varShare[t] * h) * regimeIdio;
            double slow = SLOW_SHARE * p.kappa * signalScale * slowSignal * SLOW_NORM;
            double alpha = p.kappa * signalScale * signal + slow;
            if (t > 0) {
                alphaPart[t - 1] = alpha;
                slowPart[t - 1] = slow;
                oracle[t - 1] = alpha + p.beta * tl.drift[t];
            }
            double shock = clip(rng.studentT4(), SHOCK_CLIP);
            lastShock = shock;
            double sectorReturn = p.sector >= 0 ? p.loading * sector[p.sector][t] : 0;
            double r = p.beta * market[t] + sectorReturn + alpha + idioSd * shock;

            // Conditional variance of the whole bar, for the gap split and the intrabar path.
            double mSd = MARKET_VOL * StrictMath.sqrt(tl.varShare[t]) * tl.regime[t];
            double sSd = SECTOR_VOL * StrictMath.sqrt(tl.varShare[t] * tl.regime[t]);
            double barVar = p.beta * p.beta * mSd * mSd + p.loading * p.loading * sSd * sSd + idioSd * idioSd;
            double w = tl.gapWeight[t];
            double gap = w > 0 ? w * r + StrictMath.sqrt(w * (1 - w) * barVar) * rng.normal() : 0;
            double open = prevClose * StrictMath.exp(gap);
            double close = prevClose * StrictMath.exp(r);

            // Intrabar path: a Brownian bridge from ln(open) to ln(close).
            double stepSd = StrictMath.sqrt((1 - w) * barVar / substeps);
            path[0] = 0;
            for (int k = 1; k <= substeps; k++) {
                path[k] = path[k - 1] + stepSd * rng.normal();
            }
            double drift = path[substeps] - (r - gap);
            double hiLog = 0;
            double loLog = 0;
            double vwapNum = 0;
            double vwapDen = 0;
            double prevP = open;
            for (int k = 1; k <= substeps; k++) {
                double b = path[k] - drift * k / substeps;
                hiLog = Math.max(hiLog, b);
                loLog = Math.min(loLog, b);
                double px = open * StrictMath.exp(b);
                double weight = rng.exponential();
                vwapNum += weight * (prevP + px) / 2;
                vwapDen += weight;
                prevP = px;
            }
            double high = open * StrictMath.exp(hiLog + 0.3 * stepSd * rng.exponential());
            double low = open * StrictMath.exp(loLog - 0.3 * stepSd * rng.exponential());
            high = Math.max(high, Math.max(open, close));
            low = Math.min(low, Math.min(open, close));

            double surprise = Math.abs(r - p.beta * tl.drift[t]) / StrictMath.sqrt(barVar);
            double volume = p.dailyVolume * (tl.barMinutes[t] / 390.0) * volumeProfile(tl.slotX[t])
                    * StrictMath.sqrt(tl.regime[t]) * StrictMath.exp(0.6 * (surprise - 0.8) + 0.3 * rng.normal() - 0.045);

            // Raw (as traded) values: cents, whole shares, pre-split prices scaled up by later splits.
            double factor = splitFactor(p.splits, tl.dates[t]);
            double rawOpen = cents(open * factor);
            double rawHigh = cents(high * factor);
            double rawLow = cents(low * factor);
            double rawClose = cents(close * factor);
            double rawVwap = Math.max(rawLow, Math.min(rawHigh, Math.round(vwapNum / vwapDen * factor * 1e4) / 1e4));
            double rawVolume = Math.max(1, Math.round(volume / factor));
            long trades = Math.max(1, Math.round(volume / p.tradeSize * StrictMath.exp(0.2 * rng.normal())));
            raw.add(tl.tsMicros[t], rawOpen, rawHigh, rawLow, rawClose, rawVolume, rawVwap, trades);

            // What an observer of the split-adjusted bars sees (the same arithmetic as SplitAdjuster).
            double obsClose = rawClose / factor;
            double obsVolume = rawVolume * factor;
            adjClose[t] = obsClose;

            // The alpha signal for the next bar, from observable data up to this bar only.
            if (benchmarkClose != null) {
                double rObs = t == 0 ? 0 : StrictMath.log(obsClose / adjClose[t - 1]);
                double mObs = t == 0 ? 0 : StrictMath.log(benchmarkClose[t] / benchmarkClose[t - 1]);
                double e = rObs - mObs;
                if (ewmaVar < 0) {
                    ewmaVar = p.idioVol * p.idioVol / 26;
                }
                double z = clip(e / StrictMath.sqrt(ewmaVar), SIGNAL_Z_CLIP);
                ewmaVar = SIGNAL_VAR_DECAY * ewmaVar + (1 - SIGNAL_VAR_DECAY) * e * e;
                double d = StrictMath.log(obsVolume / (volumeProfile(tl.slotX[t]) * tl.barMinutes[t]));
                if (Double.isNaN(volumeLevel)) {
                    volumeLevel = d;
                }
                double shockU = d - volumeLevel;
                volumeLevel = VOLUME_LEVEL_DECAY * volumeLevel + (1 - VOLUME_LEVEL_DECAY) * d;
                signal = -z * (1 - VOLUME_DAMPING * StrictMath.tanh(shockU));
                slowSignal = SLOW_DECAY * slowSignal + (1 - SLOW_DECAY) * z;
                signalScale = StrictMath.sqrt(ewmaVar);
            }
            prevClose = obsClose;
        }
        // The last bar's next bar lies past the range: its expectation is not defined here.
        oracle[n - 1] = Double.NaN;
        alphaPart[n - 1] = Double.NaN;
        slowPart[n - 1] = Double.NaN;
        return new SymbolData(p.equity, raw.build(), oracle, alphaPart, slowPart, adjClose);
    }

    /** Product of the ratios of splits with ex-date after {@code date}, in date order (as SplitAdjuster). */
    static double splitFactor(List<CorporateAction> splits, LocalDate date) {
        double f = 1.0;
        for (CorporateAction a : splits) {
            if (date.isBefore(a.exDate())) {
                f *= a.ratio();
            }
        }
        return f;
    }

    private static double cents(double price) {
        return Math.round(price * 100) / 100.0;
    }

    static OracleSummary summarize(SynthConfig config, List<SymbolData> data, double kappa) {
        int m = data.size();
        int n = data.isEmpty() ? 0 : data.get(0).adjustedClose().length;
        double[] x = new double[m];
        double[] y = new double[m];
        double sumIc = 0;
        double sumRank = 0;
        double sumRank2 = 0;
        int bars = 0;
        for (int t = 0; t + 1 < n && m >= 3; t++) {
            for (int i = 0; i < m; i++) {
                SymbolData d = data.get(i);
                x[i] = d.oracle()[t];
                y[i] = StrictMath.log(d.adjustedClose()[t + 1] / d.adjustedClose()[t]);
            }
            double ic = Correlation.pearson(x, y);
            double rank = Correlation.spearman(x, y);
            if (Double.isNaN(ic) || Double.isNaN(rank)) {
                continue;
            }
            sumIc += ic;
            sumRank += rank;
            sumRank2 += rank * rank;
            bars++;
        }
        double meanIc = bars == 0 ? Double.NaN : sumIc / bars;
        double meanRank = bars == 0 ? Double.NaN : sumRank / bars;
        double var = bars < 2 ? Double.NaN : (sumRank2 - bars * meanRank * meanRank) / (bars - 1);
        double sd = Math.sqrt(var);
        return new OracleSummary(config.alphaIc(), kappa, meanIc, meanRank, sd, sd / Math.sqrt(bars),
                meanRank / sd, bars, m, OracleSummary.DEFINITION);
    }
}
