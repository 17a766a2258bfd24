package io.foresail.pipelines.cli;

import io.foresail.registry.mlflow.MlflowEndpoint;
import picocli.CommandLine.Option;

import java.util.HashMap;
import java.util.Map;

/**
 * The {@code --tracking-uri} option every MLflow command shares: the server is the option, else
 * {@code MLFLOW_TRACKING_URI}, else http://127.0.0.1:5000. Credentials always come from the
 * environment ({@code MLFLOW_TRACKING_USERNAME}/{@code _PASSWORD} or {@code _TOKEN}), never a flag.
 */
final class TrackingServer {
    @Option(names = "--tracking-uri", description = "MLflow server (default: MLFLOW_TRACKING_URI, else http://127.0.0.1:5000).")
    String uri;

    /** Whether the server was named, by the option or the environment. */
    boolean named() {
        String env = System.getenv("MLFLOW_TRACKING_URI");
        return uri != null || (env != null && !env.isBlank());
    }

    MlflowEndpoint endpoint() {
        Map<String, String> env = new HashMap<>(System.getenv());
        if (uri != null) {
            env.put("MLFLOW_TRACKING_URI", uri);
        }
        return MlflowEndpoint.fromEnvironment(env, MlflowEndpoint.DEFAULT_URI);
    }
}
