package io.foresail.registry;

import io.foresail.core.io.Sha256;
import io.foresail.core.testing.ChildJvm;
import io.foresail.models.FeatureMatrix;
import io.foresail.models.FitRequest;
import io.foresail.models.Model;
import io.foresail.models.ModelArtifact;
import io.foresail.models.Task;
import io.foresail.models.TrainingData;
import io.foresail.models.linear.RidgeTrainer;
import io.foresail.models.FitProvenance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One model cache shared by many installers at once, as the trader, a backtest and the scheduled
 * pipeline share it: threads released together by a barrier, and two processes. Every installer
 * gets a verified directory, nobody fails, a damaged copy is replaced, and nothing is left behind.
 */
class ModelCacheTest {
    private static final List<String> FEATURES = List.of("a", "b", "c");

    /** A saved ridge model: the files a version holds. */
    static Path savedModel(Path dir) {
        SplittableRandom r = new SplittableRandom(1);
        float[] x = new float[600 * 3];
        float[] y = new float[600];
        for (int i = 0; i < 600; i++) {
            for (int j = 0; j < 3; j++) {
                x[i * 3 + j] = (float) r.nextGaussian();
            }
            y[i] = x[i * 3] + (float) r.nextGaussian();
        }
        TrainingData rows = new TrainingData(new FeatureMatrix(x, 600, 3), y);
        RidgeTrainer t = new RidgeTrainer();
        try (Model m = t.fit(new FitRequest(rows, rows, new FitProvenance(Task.REGRESSION, t.searchSpace().withOverrides(Map.of()), FEATURES,
                "label_fwd_1_raw", "0123456789abcdef", null, null, 1, 1)))) {
            ModelArtifact.save(m, dir, Map.of());
        }
        return dir;
    }

    /** A download that copies {@code source} file by file, slowly enough that installers overlap. */
    static ModelCache.Download copyOf(Path source) {
        return staging -> {
            try (Stream<Path> files = Files.list(source)) {
                for (Path f : files.sorted().toList()) {
                    Files.copy(f, staging.resolve(f.getFileName()));
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
    }

    static String digest(Path model) throws IOException {
        return Sha256.ofFile(model.resolve(ModelArtifact.CHECKSUMS));
    }

    @Test
    void threadsInstallingOneVersionAtOnceAllGetTheVerifiedCopy(@TempDir Path tmp) throws Exception {
        Path source = savedModel(tmp.resolve("source"));
        ModelCache cache = new ModelCache(tmp.resolve("cache"));
        assertThat(installConcurrently(cache, source, 8)).containsOnly(cache.dir("equities", "3"));
        assertIntactAndClean(cache, source);

        // A damaged copy: every installer replaces it or uses a replacement, none fails.
        Path kept = cache.dir("equities", "3").resolve(ModelArtifact.CHECKSUMS);
        Files.writeString(kept, Files.readString(kept).replace('a', 'b'));
        assertThat(cache.cached("equities", "3", digest(source))).as("damaged is absent").isEmpty();
        assertThat(installConcurrently(cache, source, 8)).containsOnly(cache.dir("equities", "3"));
        assertIntactAndClean(cache, source);
    }

    @Test
    void twoProcessesShareOneCache(@TempDir Path tmp) throws Exception {
        Path source = savedModel(tmp.resolve("source"));
        Path root = tmp.resolve("cache");
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                children.add(ChildJvm.start(ModelCacheTest.class, tmp.resolve("child" + i + ".log"), Map.of(),
                        root.toString(), source.toString(), tmp.resolve("go").toString()));
            }
            Thread.sleep(1500); // both JVMs up and waiting
            Files.writeString(tmp.resolve("go"), "");
            for (ChildJvm c : children) {
                assertThat(c.await(120, TimeUnit.SECONDS)).as("child exit; log:%n%s", c.output()).isZero();
                assertThat(c.output()).contains("installed 4 of 4");
            }
        } finally {
            children.forEach(ChildJvm::close);
        }
        assertIntactAndClean(new ModelCache(root), source);
    }

    /** Child process: waits for the go file, then installs version 3 from four threads at once. */
    public static void main(String[] args) throws Exception {
        ModelCache cache = new ModelCache(Path.of(args[0]));
        Path source = Path.of(args[1]);
        Path go = Path.of(args[2]);
        while (!Files.exists(go)) {
            Thread.sleep(10);
        }
        List<Path> got = installConcurrently(cache, source, 4);
        for (Path p : got) {
            ModelArtifact.load(p).close();
        }
        System.out.println("installed " + got.size() + " of 4");
    }

    private static List<Path> installConcurrently(ModelCache cache, Path source, int threads) throws Exception {
        String digest = digest(source);
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Path>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return cache.install("equities", "3", digest, copyOf(source));
                }));
            }
            List<Path> out = new ArrayList<>();
            for (Future<Path> f : futures) {
                out.add(f.get(60, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertIntactAndClean(ModelCache cache, Path source) throws IOException {
        assertThat(cache.cached("equities", "3", digest(source))).contains(cache.dir("equities", "3"));
        try (Stream<Path> s = Files.list(cache.dir("equities", "3").getParent())) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).as("no staging or damaged copies left")
                    .containsExactly("3");
        }
    }
}
