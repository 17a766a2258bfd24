package io.foresail.registry.mlflow;

import io.foresail.core.io.Sha256;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.foresail.core.error.ForesailException;
import io.foresail.core.error.InvalidInputException;
import io.foresail.core.io.Directories;
import io.foresail.models.ModelArtifact;
import io.foresail.models.ModelCard;
import io.foresail.registry.ModelCache;
import io.foresail.registry.ModelRef;
import io.foresail.registry.ModelRegistry;
import io.foresail.registry.ModelVersion;
import io.foresail.registry.RegistryLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The model registry on an MLflow server. A version's files live in the run that produced it,
 * under {@code model/} (the Foresail artifact plus an {@code MLmodel} file, both listed in
 * {@code checksums.sha256}); the version's tag {@value #CHECKSUMS_TAG} holds the SHA-256 of that
 * list, so a download is checked against what was registered, not only against itself.
 */
public final class MlflowModelRegistry implements ModelRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(MlflowModelRegistry.class);
    /** Version tag: SHA-256 of the version's {@code checksums.sha256}. */
    public static final String CHECKSUMS_TAG = "foresail.checksums_sha256";
    private static final String PREFIX = "mlflow-artifacts:/";
    /** Registered models of this prefix are locks ({@link #lock}), not models. */
    public static final String LOCK_PREFIX = "foresail-lock.";
    private static final String LOCK_TOKEN_TAG = "foresail.lock.token";
    private static final String LOCK_HOLDER_TAG = "foresail.lock.holder";
    private static final String LOCK_EXPIRES_TAG = "foresail.lock.expires_at";

    private final MlflowClient client;
    private final ModelCache cache;

    public MlflowModelRegistry(MlflowClient client, ModelCache cache) {
        this.client = client;
        this.cache = cache;
    }

    public MlflowClient client() {
        return client;
    }

    /**
     * Uploads the model in {@code modelDir} into {@code run} under {@code model/}, checks that the
     * server holds every file at its size, and only then registers it as a new version of
     * {@code name}. A failed upload registers nothing.
     *
     * @param tags version tags (provenance: feature set id, git commit, metrics summary)
     */
    public ModelVersion publish(MlflowRun run, String name, Path modelDir, String description, Map<String, String> tags) {
        ModelArtifact.verify(modelDir);
        ModelCard card = ModelArtifact.readCard(modelDir);
        Path staging = null;
        try {
            staging = Files.createTempDirectory("foresail-publish");
            // One directory per version in the run: a second version published from the same run must
            // not replace the first one's files (its registered digest would no longer match).
            String path = freeModelPath(run);
            Path model = staging.resolve("model");
            copyTree(modelDir, model);
            MlModelFile.write(model, card, path, Instant.now());
            ModelArtifact.writeChecksums(model);
            String digest = Sha256.ofFile(model.resolve(ModelArtifact.CHECKSUMS));
            long t0 = System.nanoTime();
            List<String> uploaded = run.logArtifacts(model, path);
            checkUploaded(run.artifactRoot() + "/" + path, model, uploaded);
            LOG.info("uploaded model {} ({} files) to run {} in {} ms", name, uploaded.size(), run.id(),
                    (System.nanoTime() - t0) / 1_000_000);
            ensureRegisteredModel(name);
            ObjectNode body = MlflowClient.object().put("name", name).put("source", PREFIX + run.artifactRoot() + "/" + path)
                    .put("run_id", run.id()).put("description", description == null ? "" : description);
            ArrayNode t = body.putArray("tags");
            Map<String, String> all = new TreeMap<>(tags);
            all.put(CHECKSUMS_TAG, digest);
            all.forEach((k, v) -> t.addObject().put("key", k).put("value", v));
            ModelVersion v = version(client.post("model-versions/create", body, false).path("model_version"));
            return awaitReady(v);
        } catch (IOException e) {
            throw new ForesailException("cannot stage model " + modelDir + " for upload: " + e.getMessage(), e);
        } finally {
            Directories.deleteQuietly(staging);
        }
    }

    /**
     * {@link #publish} from a run of its own in {@code experiment} (created if needed), named after the
     * model: for a version that is not the output of a training run (an import, a copy for a
     * benchmark). The run ends FINISHED, or FAILED when publishing fails.
     */
    public ModelVersion publishInOwnRun(String experiment, String name, Path modelDir, String description,
                                        Map<String, String> tags) {
        MlflowTracking tracking = new MlflowTracking(client);
        MlflowRun run = tracking.startRun(tracking.experiment(experiment), name, Map.of());
        try {
            ModelVersion v = publish(run, name, modelDir, description, tags);
            run.finish("FINISHED");
            return v;
        } catch (RuntimeException e) {
            run.finish("FAILED");
            throw e;
        }
    }

    @Override
    public ModelVersion resolve(ModelRef ref) {
        if (ref.alias().isPresent()) {
            return alias(ref.name(), ref.alias().get()).orElseThrow(() -> new InvalidInputException(
                    "model " + ref.name() + " has no alias '" + ref.alias().get() + "' (aliases: "
                            + aliases(ref.name()).keySet() + ")"));
        }
        try {
            return version(client.get("model-versions/get", Map.of("name", ref.name(), "version", ref.version().get()))
                    .path("model_version"));
        } catch (MlflowException e) {
            if (e.notFound()) {
                throw new InvalidInputException("model " + ref + " does not exist: " + e.getMessage());
            }
            throw e;
        }
    }

    @Override
    public List<ModelVersion> versions(String name) {
        Map<String, List<String>> byVersion = new TreeMap<>();
        aliases(name).forEach((alias, version) -> byVersion.computeIfAbsent(version, k -> new ArrayList<>()).add(alias));
        List<ModelVersion> out = new ArrayList<>();
        String token = null;
        do {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("filter", "name='" + name.replace("'", "\\'") + "'");
            q.put("max_results", "200");
            if (token != null) {
                q.put("page_token", token);
            }
            JsonNode r = client.get("model-versions/search", q);
            for (JsonNode n : r.path("model_versions")) {
                ModelVersion v = version(n);
                List<String> a = byVersion.getOrDefault(v.version(), List.of());
                out.add(new ModelVersion(v.name(), v.version(), v.runId(), v.source(), v.status(), v.created(),
                        a.stream().sorted().toList(), v.tags()));
            }
            token = r.path("next_page_token").asText(null);
        } while (token != null && !token.isEmpty());
        out.sort(Comparator.comparingLong((ModelVersion v) -> Long.parseLong(v.version())).reversed());
        return out;
    }

    @Override
    public Optional<ModelVersion> alias(String name, String alias) {
        try {
            return Optional.of(version(client.get("registered-models/alias", Map.of("name", name, "alias", alias))
                    .path("model_version")));
        } catch (MlflowException e) {
            if (e.notFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The model's aliases and the versions they point at. */
    public Map<String, String> aliases(String name) {
        Map<String, String> out = new TreeMap<>();
        try {
            for (JsonNode a : client.get("registered-models/get", Map.of("name", name)).path("registered_model").path("aliases")) {
                out.put(a.path("alias").asText(), a.path("version").asText());
            }
        } catch (MlflowException e) {
            if (e.notFound()) {
                throw new InvalidInputException("no registered model named '" + name + "' at " + client.endpoint().uri());
            }
            throw e;
        }
        return out;
    }

    @Override
    public void setAlias(String name, String alias, String version) {
        client.post("registered-models/alias", MlflowClient.object().put("name", name).put("alias", alias)
                .put("version", version), true);
    }

    @Override
    public void deleteAlias(String name, String alias) {
        client.delete("registered-models/alias", MlflowClient.object().put("name", name).put("alias", alias));
    }

    @Override
    public void setTags(String name, String version, Map<String, String> tags) {
        for (Map.Entry<String, String> e : new TreeMap<>(tags).entrySet()) {
            client.post("model-versions/set-tag", MlflowClient.object().put("name", name).put("version", version)
                    .put("key", e.getKey()).put("value", e.getValue()), true);
        }
    }

    @Override
    public Path fetch(ModelVersion v) {
        return fetch(v, false);
    }

    /**
     * As {@link #fetch(ModelVersion)}; {@code refresh} downloads again even when the cache holds an
     * intact copy (which it keeps if the new download does not verify).
     */
    public Path fetch(ModelVersion v, boolean refresh) {
        String digest = v.tags().get(CHECKSUMS_TAG);
        if (!refresh) {
            Optional<Path> hit = cache.cached(v.name(), v.version(), digest);
            if (hit.isPresent()) {
                return hit.get();
            }
        }
        if (!v.source().startsWith(PREFIX)) {
            throw new InvalidInputException("model " + v + " has source " + v.source()
                    + "; Foresail downloads versions stored by the server (" + PREFIX + "...)");
        }
        String path = v.source().substring(PREFIX.length()).replaceAll("^/+", "");
        long t0 = System.nanoTime();
        Path dir = cache.install(v.name(), v.version(), digest, staging -> downloadTree(path, staging));
        LOG.info("downloaded model {} into {} in {} ms", v, dir, (System.nanoTime() - t0) / 1_000_000);
        return dir;
    }

    /** Downloads every file under the artifact directory {@code path}, keeping relative paths. */
    private void downloadTree(String path, Path target) throws IOException {
        Map<String, Long> files = new TreeMap<>();
        listTree(path, "", files);
        for (String rel : files.keySet()) {
            Path file = target.resolve(rel);
            Files.createDirectories(file.getParent());
            client.download(path + "/" + rel, file);
        }
    }

    private void checkUploaded(String path, Path local, List<String> uploaded) throws IOException {
        Map<String, Long> remote = new TreeMap<>();
        listTree(path, "", remote);
        for (String rel : uploaded) {
            long size = Files.size(local.resolve(rel));
            Long got = remote.get(rel);
            if (got == null || got != size) {
                throw new ForesailException("upload to " + path + " is incomplete: " + rel + " is "
                        + (got == null ? "missing" : got + " bytes, expected " + size) + " on the server; no version registered");
            }
        }
    }

    /** Every file under the artifact directory {@code path}: relative path to size in bytes. */
    /** {@code model}, or {@code model-2}, {@code model-3}, ... when the run already holds that many models. */
    private String freeModelPath(MlflowRun run) {
        java.util.Set<String> taken = new java.util.HashSet<>();
        for (MlflowClient.ArtifactFile f : client.list(run.artifactRoot())) {
            taken.add(f.path().substring(f.path().lastIndexOf('/') + 1));
        }
        String path = "model";
        for (int n = 2; taken.contains(path); n++) {
            path = "model-" + n;
        }
        return path;
    }

    private void listTree(String path, String prefix, Map<String, Long> out) {
        for (MlflowClient.ArtifactFile f : client.list(path)) {
            String name = f.path().substring(f.path().lastIndexOf('/') + 1);
            if (f.directory()) {
                listTree(path + "/" + name, prefix + name + "/", out);
            } else {
                out.put(prefix + name, f.size());
            }
        }
    }

    /**
     * A lock is a registered model named {@code foresail-lock.<key>}: MLflow creates a registered
     * model only if none of that name exists, which makes the create an atomic test-and-set across
     * processes. Tags name the holder (a random token, the user, host and pid) and the lease's
     * expiry. An expired lock is deleted, but only if it is still the one that was seen expired
     * (same creation time), so a fresh holder is never removed by a latecomer. The lock model is
     * visible in the MLflow UI while held (milliseconds for a promotion).
     */
    @Override
    public RegistryLock lock(String key, java.time.Duration lease, java.time.Duration wait) {
        String name = LOCK_PREFIX + key.replaceAll("[^A-Za-z0-9._-]", ".");
        String token = java.util.UUID.randomUUID().toString();
        String holder = System.getProperty("user.name", "?") + "@" + host() + " pid " + ProcessHandle.current().pid();
        long deadline = System.nanoTime() + wait.toNanos();
        java.util.SplittableRandom jitter = new java.util.SplittableRandom(token.hashCode());
        while (true) {
            Instant expires = Instant.now().plus(lease);
            ObjectNode body = MlflowClient.object().put("name", name)
                    .put("description", "Foresail lock '" + key + "' held by " + holder + " until " + expires);
            ArrayNode tags = body.putArray("tags");
            tags.addObject().put("key", LOCK_TOKEN_TAG).put("value", token);
            tags.addObject().put("key", LOCK_HOLDER_TAG).put("value", holder);
            tags.addObject().put("key", LOCK_EXPIRES_TAG).put("value", expires.toString());
            try {
                client.post("registered-models/create", body, false);
                return new MlflowLock(key, name, token);
            } catch (MlflowException e) {
                if (!"RESOURCE_ALREADY_EXISTS".equals(e.errorCode())) {
                    // A create whose answer was lost may still have happened: it is ours if it bears our token.
                    if (lockModel(name).map(m -> token.equals(tag(m, LOCK_TOKEN_TAG))).orElse(false)) {
                        return new MlflowLock(key, name, token);
                    }
                    // MLflow creates the model and then its tags; a racing release in between makes
                    // the second step fail with "does not exist". Nothing is held: try again.
                    if (!"RESOURCE_DOES_NOT_EXIST".equals(e.errorCode())) {
                        throw e;
                    }
                }
            }
            Optional<JsonNode> held = lockModel(name);
            if (held.isEmpty()) {
                continue;
            }
            // A lock seen between its creation and its tags has no expiry yet: its lease counts from
            // its creation time, so a holder that is still writing it is never taken for dead.
            String until = tag(held.get(), LOCK_EXPIRES_TAG);
            long created = held.get().path("creation_timestamp").asLong();
            Instant expiry = until != null ? Instant.parse(until) : Instant.ofEpochMilli(created).plus(lease);
            if (expiry.isBefore(Instant.now())) {
                deleteIfUnchanged(name, created);
                continue;
            }
            if (System.nanoTime() > deadline) {
                throw new InvalidInputException("the registry lock '" + key + "' is held by "
                        + tag(held.get(), LOCK_HOLDER_TAG) + " until " + expiry + "; try again when it is done");
            }
            try {
                Thread.sleep(50 + jitter.nextInt(100));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ForesailException("interrupted waiting for the registry lock '" + key + "'", e);
            }
        }
    }

    private Optional<JsonNode> lockModel(String name) {
        try {
            return Optional.of(client.get("registered-models/get", Map.of("name", name)).path("registered_model"));
        } catch (MlflowException e) {
            if ("RESOURCE_DOES_NOT_EXIST".equals(e.errorCode())) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private void deleteIfUnchanged(String name, long createdAt) {
        Optional<JsonNode> now = lockModel(name);
        if (now.isPresent() && now.get().path("creation_timestamp").asLong() == createdAt) {
            LOG.warn("taking over the expired registry lock {} of {}", name, tag(now.get(), LOCK_HOLDER_TAG));
            deleteLockModel(name);
        }
    }

    private void deleteLockModel(String name) {
        try {
            client.delete("registered-models/delete", MlflowClient.object().put("name", name));
        } catch (MlflowException e) {
            if (!"RESOURCE_DOES_NOT_EXIST".equals(e.errorCode())) {
                throw e;
            }
        }
    }

    private static String tag(JsonNode registeredModel, String key) {
        for (JsonNode t : registeredModel.path("tags")) {
            if (key.equals(t.path("key").asText())) {
                return t.path("value").asText();
            }
        }
        return null;
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** A held lock: released by deleting its model, if it still bears this holder's token. */
    private final class MlflowLock implements RegistryLock {
        private final String key;
        private final String name;
        private final String token;
        private boolean closed;

        MlflowLock(String key, String name, String token) {
            this.key = key;
            this.name = name;
            this.token = token;
        }

        @Override
        public String key() {
            return key;
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            Optional<JsonNode> now = lockModel(name);
            if (now.isPresent() && token.equals(tag(now.get(), LOCK_TOKEN_TAG))) {
                deleteLockModel(name);
            } else {
                LOG.warn("registry lock {} was taken over before it was released (its lease ran out)", key);
            }
        }
    }

    private void ensureRegisteredModel(String name) {
        try {
            client.post("registered-models/create", MlflowClient.object().put("name", name), false);
        } catch (MlflowException e) {
            if (!"RESOURCE_ALREADY_EXISTS".equals(e.errorCode())) {
                throw e;
            }
        }
    }

    private ModelVersion awaitReady(ModelVersion v) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (v.status().equals("PENDING_REGISTRATION") && System.nanoTime() < deadline) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ForesailException("interrupted waiting for " + v, e);
            }
            v = resolve(v.ref());
        }
        if (!v.status().equals("READY")) {
            throw new ForesailException("model version " + v + " is " + v.status() + " after registration");
        }
        return v;
    }

    static ModelVersion version(JsonNode n) {
        List<String> aliases = new ArrayList<>();
        n.path("aliases").forEach(a -> aliases.add(a.asText()));
        Map<String, String> tags = new TreeMap<>();
        n.path("tags").forEach(t -> tags.put(t.path("key").asText(), t.path("value").asText()));
        return new ModelVersion(n.path("name").asText(), n.path("version").asText(), n.path("run_id").asText(),
                n.path("source").asText(), n.path("status").asText("READY"),
                Instant.ofEpochMilli(n.path("creation_timestamp").asLong()), aliases, tags);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.sorted().toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
