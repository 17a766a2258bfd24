package io.foresail.pipelines.architecture;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The package graph of every module's main code is acyclic: a package may use another only if
 * that one never uses it back, directly or around a loop. Read from the sources (imports and
 * fully qualified names in code, comments aside), so it holds for the modules this one does not
 * depend on too.
 */
class PackageCyclesTest {
    private static final Pattern REFERENCE = Pattern.compile("\\b(io\\.foresail(?:\\.[a-z_][a-z0-9_]*)+)\\.[A-Z]");

    @Test
    void noPackageCycles() throws IOException {
        Path repo = Path.of(System.getProperty("foresail.repoRoot", "..")).toAbsolutePath().normalize();
        Map<String, Set<String>> uses = new TreeMap<>();
        List<Path> sources = new ArrayList<>();
        try (Stream<Path> modules = Files.list(repo)) {
            for (Path m : modules.filter(d -> Files.isDirectory(d.resolve("src/main/java"))).toList()) {
                try (Stream<Path> s = Files.walk(m.resolve("src/main/java"))) {
                    s.filter(f -> f.toString().endsWith(".java")).forEach(sources::add);
                }
            }
        }
        assertThat(sources).as("main sources found under " + repo).hasSizeGreaterThan(100);
        for (Path f : sources) {
            // Code only: a Javadoc link to a sub-package ("see also") is documentation, not a use.
            String text = Files.readString(f).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
            Matcher pkg = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE).matcher(text);
            if (!pkg.find()) {
                continue;
            }
            String from = pkg.group(1);
            Set<String> to = uses.computeIfAbsent(from, k -> new TreeSet<>());
            Matcher r = REFERENCE.matcher(text);
            while (r.find()) {
                if (!r.group(1).equals(from)) {
                    to.add(r.group(1));
                }
            }
        }
        List<String> cycles = new ArrayList<>();
        for (String start : uses.keySet()) {
            findCycle(start, start, uses, new ArrayList<>(List.of(start)), new TreeSet<>(), cycles);
        }
        assertThat(cycles).as("package cycles").isEmpty();
    }

    private static void findCycle(String start, String at, Map<String, Set<String>> uses, List<String> path,
                                  Set<String> seen, List<String> cycles) {
        for (String next : uses.getOrDefault(at, Set.of())) {
            if (next.equals(start)) {
                cycles.add(String.join(" -> ", path) + " -> " + start);
                return;
            }
            if (seen.add(next) && uses.containsKey(next)) {
                path.add(next);
                findCycle(start, next, uses, path, seen, cycles);
                path.remove(path.size() - 1);
                if (!cycles.isEmpty()) {
                    return;
                }
            }
        }
    }
}
