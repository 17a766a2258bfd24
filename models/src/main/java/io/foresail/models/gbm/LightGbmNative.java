package io.foresail.models.gbm;

import io.foresail.core.error.ForesailException;
import io.foresail.core.io.NativeLibraryInstall;
import io.github.metarank.lightgbm4j.LGBMBooster;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Loads LightGBM's two native libraries so that any number of processes can use LightGBM at once.
 *
 * <p>Why: lightgbm4j's class initialiser extracts {@code lib_lightgbm.so} to the fixed path
 * {@code ${java.io.tmpdir}/lib_lightgbm.so}, rewriting it in place while other JVMs have it mapped,
 * which kills them (SIGBUS/SIGSEGV). It skips that when the environment variable
 * {@value #PATH_ENV} names a directory holding both libraries. The launcher, the Maven build and
 * Spark executors set it to a versioned directory ({@code ~/.cache/foresail/native/lightgbm4j-<version>});
 * {@link #ensureLoaded} installs the libraries there once, atomically ({@link NativeLibraryInstall}),
 * before lightgbm4j's initialiser runs. Without the variable LightGBM is refused with the remedy,
 * rather than risking other processes.
 */
public final class LightGbmNative {
    /** lightgbm4j's own setting: a directory holding both libraries, loaded instead of extracting. */
    public static final String PATH_ENV = "LIGHTGBM_NATIVE_LIB_PATH";

    private static boolean loaded;

    private LightGbmNative() {
    }

    /** Installs (if needed) and loads the libraries once per JVM; later calls return at once. */
    public static synchronized void ensureLoaded() {
        if (loaded) {
            return;
        }
        String configured = System.getenv(PATH_ENV);
        if (configured == null || configured.isBlank()) {
            throw new ForesailException(PATH_ENV + " is not set, so lightgbm4j would extract its native library to a"
                    + " fixed temporary path and crash other processes using LightGBM. The ./foresail launcher and the"
                    + " Maven build set it; elsewhere set it to a directory of your own (for example "
                    + defaultDirectory() + "): Foresail installs the libraries there");
        }
        if (!Path.of(configured).isAbsolute()) {
            // A relative directory lands wherever the process happens to run (a checkout, say), and
            // lightgbm4j resolves it against its own working directory: refuse it.
            throw new ForesailException(PATH_ENV + "=" + configured + " is a relative path; set it to an absolute"
                    + " directory (for example " + defaultDirectory() + ")");
        }
        install(Path.of(configured));
        // Runs lightgbm4j's class initialiser, which now loads from PATH_ENV.
        if (!LGBMBooster.isNativeLoaded()) {
            throw new ForesailException("lightgbm4j could not load its native libraries from " + PATH_ENV + "="
                    + configured + " (see the log above; libgomp1 must be installed)");
        }
        loaded = true;
    }

    /** Installs the libraries this build ships into {@code dir} (once, atomically) and returns it. */
    public static Path install(Path dir) {
        String folder = resourceFolder();
        List<String> resources = libraryNames().stream().map(l -> folder + l).toList();
        return NativeLibraryInstall.install(dir, LightGbmNative.class.getClassLoader(), resources);
    }

    /** The versioned directory the launcher and the build use. */
    public static Path defaultDirectory() {
        return Path.of(System.getProperty("user.home"), ".cache", "foresail", "native",
                "lightgbm4j-" + LightGbmModel.LIBRARY_VERSION);
    }

    private static boolean isMac() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("mac");
    }

    private static List<String> libraryNames() {
        String ext = isMac() ? ".dylib" : ".so";
        return List.of("lib_lightgbm" + ext, "lib_lightgbm_swig" + ext);
    }

    private static String resourceFolder() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String a = arch.startsWith("amd64") || arch.startsWith("x86_64") ? "x86_64"
                : arch.startsWith("aarch64") || arch.startsWith("arm64") ? "aarch64" : null;
        String o = os.startsWith("linux") ? "linux" : isMac() ? "osx" : null;
        if (a == null || o == null) {
            throw new ForesailException("lightgbm4j ships no native library for " + os + "/" + arch);
        }
        return "lightgbm4j/" + o + "/" + a + "/";
    }
}
