package io.foresail.registry;

import io.foresail.registry.mlflow.MlflowServer;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;

/**
 * The real MLflow server the registry tests talk to: the project's pinned server in the project's
 * virtualenv ({@code <repo>/work/venv-mlflow}, created on first use), started once per test JVM
 * on a free port with fresh state under {@code target/}, stopped when the JVM exits.
 */
public final class MlflowTestServer {
    private static MlflowServer server;

    private MlflowTestServer() {
    }

    public static synchronized MlflowServer get() {
        if (server == null) {
            Path repo = Path.of(System.getProperty("foresail.repoRoot", ".."));
            Path home = Path.of("target", "mlflow-test-" + ProcessHandle.current().pid());
            MlflowServer s = new MlflowServer(repo.resolve("work").resolve("venv-mlflow"), home, freePort());
            s.start();
            Runtime.getRuntime().addShutdownHook(new Thread(s::stop, "mlflow-test-stop"));
            server = s;
        }
        return server;
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
