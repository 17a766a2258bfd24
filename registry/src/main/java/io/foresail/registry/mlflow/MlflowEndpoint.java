package io.foresail.registry.mlflow;

import io.foresail.core.error.InvalidInputException;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Where the MLflow tracking server is and how to authenticate, as MLflow's own clients read it
 * from the environment: {@code MLFLOW_TRACKING_URI}, and either
 * {@code MLFLOW_TRACKING_USERNAME}/{@code MLFLOW_TRACKING_PASSWORD} (basic auth) or
 * {@code MLFLOW_TRACKING_TOKEN} (bearer). The credentials never leave this object except as the
 * {@code Authorization} header of a request: {@link #toString()} shows the URI only.
 */
public final class MlflowEndpoint {
    /** The server {@code foresail mlflow start} runs when nothing else is configured. */
    public static final URI DEFAULT_URI = URI.create("http://127.0.0.1:5000");

    private final URI uri;
    private final String authorization;

    private MlflowEndpoint(URI uri, String authorization) {
        this.uri = uri;
        this.authorization = authorization;
    }

    /** An endpoint without authentication. */
    public static MlflowEndpoint of(URI uri) {
        return new MlflowEndpoint(check(uri), null);
    }

    /**
     * The endpoint the environment names, or {@code fallback} when {@code MLFLOW_TRACKING_URI} is unset.
     *
     * @throws InvalidInputException for a URI that is not http(s), or a username without a password
     */
    public static MlflowEndpoint fromEnvironment(Map<String, String> env, URI fallback) {
        String configured = env.get("MLFLOW_TRACKING_URI");
        URI uri = configured == null || configured.isBlank() ? fallback : parse(configured);
        String user = env.get("MLFLOW_TRACKING_USERNAME");
        String password = env.get("MLFLOW_TRACKING_PASSWORD");
        String token = env.get("MLFLOW_TRACKING_TOKEN");
        String auth = null;
        if (user != null && !user.isEmpty()) {
            if (password == null) {
                throw new InvalidInputException("MLFLOW_TRACKING_USERNAME is set but MLFLOW_TRACKING_PASSWORD is not");
            }
            auth = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        } else if (token != null && !token.isEmpty()) {
            auth = "Bearer " + token;
        }
        return new MlflowEndpoint(check(uri), auth);
    }

    private static URI parse(String s) {
        try {
            return URI.create(s.strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("MLFLOW_TRACKING_URI '" + s + "' is not a URI: " + e.getMessage());
        }
    }

    private static URI check(URI uri) {
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            throw new InvalidInputException("MLflow tracking URI '" + uri + "' must be http(s)://host[:port]; "
                    + "Foresail talks to an MLflow server over its REST API");
        }
        if (uri.getUserInfo() != null) {
            throw new InvalidInputException("MLflow tracking URI must not carry credentials; use "
                    + "MLFLOW_TRACKING_USERNAME/MLFLOW_TRACKING_PASSWORD or MLFLOW_TRACKING_TOKEN");
        }
        String s = uri.toString();
        return URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    }

    public URI uri() {
        return uri;
    }

    /** The {@code Authorization} header value, if the environment configured credentials. */
    Optional<String> authorization() {
        return Optional.ofNullable(authorization);
    }

    /** The MLflow UI page of a registered model version. */
    public URI versionPage(String model, String version) {
        return URI.create(uri + "/#/models/" + java.net.URLEncoder.encode(model, StandardCharsets.UTF_8)
                .replace("+", "%20") + "/versions/" + version);
    }

    /** The MLflow UI page of a run. */
    public URI runPage(String experimentId, String runId) {
        return URI.create(uri + "/#/experiments/" + experimentId + "/runs/" + runId);
    }

    @Override
    public String toString() {
        return uri + (authorization == null ? "" : " (authenticated)");
    }
}
