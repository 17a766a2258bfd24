package io.foresail.pipelines.training;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Which code produced a result: the project version baked into the jar, and the git commit of the
 * checkout the jar was built in, with whether tracked files had uncommitted changes. A commit that
 * cannot be found (no git, not a checkout) is {@code unknown}, never a guess.
 */
public record CodeVersion(String version, String gitCommit, boolean dirty) {

    public static final String UNKNOWN = "unknown";

    /** Reads the version resource and asks git about the checkout that holds this class. */
    public static CodeVersion detect() {
        String version = UNKNOWN;
        try (InputStream in = CodeVersion.class.getClassLoader().getResourceAsStream("foresail/build.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                version = p.getProperty("version", UNKNOWN);
            }
        } catch (IOException e) {
            version = UNKNOWN;
        }
        Path home = checkout();
        String commit = home == null ? null : git(home, "rev-parse", "HEAD");
        if (commit == null || !commit.matches("[0-9a-f]{40}")) {
            return new CodeVersion(version, UNKNOWN, false);
        }
        String status = git(home, "status", "--porcelain", "--untracked-files=no");
        return new CodeVersion(version, commit, status != null && !status.isBlank());
    }

    /** The directory of the jar or classes this class was loaded from, or null. */
    private static Path checkout() {
        try {
            Path p = Path.of(CodeVersion.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isDirectory(p) ? p : p.getParent();
        } catch (Exception e) {
            return null;
        }
    }

    private static String git(Path dir, String... args) {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "git";
        cmd[1] = "-C";
        cmd[2] = dir.toString();
        System.arraycopy(args, 0, cmd, 3, args.length);
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return null;
            }
            return new String(out, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
