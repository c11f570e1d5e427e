package io.openautoglm.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.PipelineSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The deployment files agree with the application: every Kubernetes manifest parses, its ports, probe paths and
 * references match the server's port, its actuator health groups and each other; the Dockerfile and the nginx
 * configuration point at the same port and paths. Offline: files only.
 */
class DeploymentFilesTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Map<String, Map<String, Object>> BY_KIND = new HashMap<>();
    private static Properties app;
    private static int port;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        app = new Properties();
        try (InputStream in = DeploymentFilesTest.class.getResourceAsStream("/application.properties")) {
            app.load(in);
        }
        port = Integer.parseInt(app.getProperty("server.port"));
        List<Path> manifests;
        try (Stream<Path> files = Files.list(ROOT.resolve("deploy/k8s"))) {
            manifests =
                    files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertFalse(manifests.isEmpty());
        for (Path m : manifests) {
            for (Object doc : new Yaml().loadAll(Files.readString(m))) {
                Map<String, Object> d = (Map<String, Object>) doc;
                assertNotNull(d.get("apiVersion"), m + ": apiVersion");
                BY_KIND.put((String) d.get("kind"), d);
            }
        }
    }

    @Test
    void everyKindIsThere() {
        for (String kind : List.of("Deployment", "Service", "HorizontalPodAutoscaler", "ConfigMap", "Secret")) {
            assertTrue(BY_KIND.containsKey(kind), kind + " in deploy/k8s");
        }
    }

    @Test
    void theApplicationEnablesTheProbesTheManifestsUse() {
        assertEquals("true", app.getProperty("management.endpoint.health.probes.enabled"));
        assertNotNull(app.getProperty("management.endpoint.health.group.liveness.include"));
        assertTrue(app.getProperty("management.endpoint.health.group.readiness.include")
                .contains("readinessState"));
        assertTrue(app.getProperty("management.endpoints.web.exposure.include").contains("health"));
        assertTrue(app.getProperty("management.endpoints.web.exposure.include").contains("prometheus"));
        assertEquals("graceful", app.getProperty("server.shutdown"));
    }

    @Test
    void theDeploymentMatchesTheServer() {
        Map<String, Object> deployment = BY_KIND.get("Deployment");
        Map<String, Object> pod = map(map(map(deployment, "spec"), "template"), "spec");
        Map<String, Object> container = list(pod, "containers").get(0);
        Map<String, Object> http = list(container, "ports").get(0);
        assertEquals(port, http.get("containerPort"));
        String portName = (String) http.get("name");

        assertProbe(container, "readinessProbe", "/actuator/health/readiness", portName);
        assertProbe(container, "livenessProbe", "/actuator/health/liveness", portName);

        Map<String, Object> resources = map(container, "resources");
        // the product document's container resources
        assertEquals("2", String.valueOf(map(resources, "requests").get("cpu")));
        assertEquals("4Gi", map(resources, "requests").get("memory"));
        assertEquals("4", String.valueOf(map(resources, "limits").get("cpu")));
        assertEquals("8Gi", map(resources, "limits").get("memory"));

        // longer than the shutdown phase, so that graceful shutdown can drain and checkpoint
        int phase = Integer.parseInt(
                app.getProperty("spring.lifecycle.timeout-per-shutdown-phase").replace("s", ""));
        assertTrue(((Number) pod.get("terminationGracePeriodSeconds")).intValue() > phase);

        // the Secret holds every key the Deployment reads; the ConfigMap every spec it names, each a valid spec
        Map<String, Object> secretData = map(BY_KIND.get("Secret"), "stringData");
        Map<String, Object> specs = map(BY_KIND.get("ConfigMap"), "data");
        String specsMount = null;
        for (Map<String, Object> v : list(pod, "volumes")) {
            if (v.containsKey("configMap")) {
                assertEquals(
                        map(BY_KIND.get("ConfigMap"), "metadata").get("name"),
                        map(v, "configMap").get("name"));
                for (Map<String, Object> m : list(container, "volumeMounts")) {
                    if (m.get("name").equals(v.get("name"))) {
                        specsMount = (String) m.get("mountPath");
                    }
                }
            }
        }
        assertNotNull(specsMount, "the ConfigMap is mounted");
        List<String> pipelines = new ArrayList<>();
        for (Map<String, Object> env : list(container, "env")) {
            String name = (String) env.get("name");
            if (env.containsKey("valueFrom")) {
                Map<String, Object> ref = map(map(env, "valueFrom"), "secretKeyRef");
                assertEquals(map(BY_KIND.get("Secret"), "metadata").get("name"), ref.get("name"));
                assertTrue(secretData.containsKey((String) ref.get("key")), name + ": key " + ref.get("key"));
            } else if (name.startsWith("AUTOGLM_PIPELINES_")) {
                String file = (String) env.get("value");
                assertTrue(file.startsWith(specsMount + "/"), file);
                String spec = (String) specs.get(file.substring(specsMount.length() + 1));
                assertNotNull(spec, file + " in the ConfigMap");
                assertEquals(List.of(), PipelineSpec.validateJson(spec, Path.of(".")), file);
                pipelines.add(name);
            }
        }
        assertFalse(pipelines.isEmpty());
    }

    @Test
    void theServiceAndTheAutoscalerPointAtTheDeployment() {
        Map<String, Object> deployment = BY_KIND.get("Deployment");
        Map<String, Object> labels = map(map(map(deployment, "spec"), "template"), "metadata");
        Map<String, Object> service = map(BY_KIND.get("Service"), "spec");
        map(service, "selector")
                .forEach((k, v) -> assertEquals(v, map(labels, "labels").get(k), k));
        Object target = list(service, "ports").get(0).get("targetPort");
        Map<String, Object> http = list(
                        list(map(map(map(deployment, "spec"), "template"), "spec"), "containers")
                                .get(0),
                        "ports")
                .get(0);
        assertTrue(target.equals(http.get("name")) || target.equals(port), "targetPort " + target);

        Map<String, Object> ref = map(map(BY_KIND.get("HorizontalPodAutoscaler"), "spec"), "scaleTargetRef");
        assertEquals("Deployment", ref.get("kind"));
        assertEquals(map(deployment, "metadata").get("name"), ref.get("name"));
    }

    @Test
    void theDockerfileBuildsALayeredNonRootImageOnJre17() throws IOException {
        String docker = Files.readString(ROOT.resolve("autoglm-server/Dockerfile"));
        assertTrue(docker.contains("FROM eclipse-temurin:17-jre"), "JRE 17 runtime");
        assertTrue(docker.indexOf("FROM ") != docker.lastIndexOf("FROM "), "multi-stage");
        assertTrue(docker.contains("-Djarmode=tools") && docker.contains("--layers"), "layered jar");
        Matcher user = Pattern.compile("(?m)^USER\\s+(\\S+)").matcher(docker);
        assertTrue(user.find(), "a USER line");
        assertFalse(user.group(1).startsWith("root") || user.group(1).startsWith("0"), "non-root");
        assertTrue(docker.contains("EXPOSE " + port));
        assertTrue(docker.contains("HEALTHCHECK") && docker.contains(":" + port + "/actuator/health/liveness"));
    }

    @Test
    void nginxBalancesOverTheServerPortWithABackupAndPassesEventsUnbuffered() throws IOException {
        String conf = Files.readString(ROOT.resolve("deploy/nginx/autoglm.conf"));
        Matcher upstream = Pattern.compile("upstream\\s+(\\w+)\\s*\\{([^}]*)}").matcher(conf);
        assertTrue(upstream.find(), "an upstream block");
        String name = upstream.group(1);
        String body = upstream.group(2);
        assertTrue(body.contains("least_conn;"));
        assertTrue(body.contains("weight="));
        assertTrue(body.contains("max_fails=") && body.contains("fail_timeout="), "passive health checks");
        assertTrue(Pattern.compile("server\\s+\\S+\\s+backup;").matcher(body).find(), "a backup server");
        Matcher servers = Pattern.compile("(?m)^\\s*server\\s+([^\\s;]+)").matcher(body);
        int n = 0;
        while (servers.find()) {
            assertTrue(servers.group(1).endsWith(":" + port), servers.group(1));
            n++;
        }
        assertTrue(n >= 3);
        assertTrue(conf.contains("proxy_pass http://" + name + ";"));
        Matcher events = Pattern.compile("location\\s+~\\s+\\^/api/v1/jobs/\\[\\^/]\\+/events\\$\\s*\\{([^}]*)}")
                .matcher(conf);
        assertTrue(events.find(), "a location for the job events");
        assertTrue(events.group(1).contains("proxy_buffering off;"));
        assertTrue(events.group(1).contains("proxy_pass http://" + name + ";"));
    }

    private static void assertProbe(Map<String, Object> container, String probe, String path, String portName) {
        Map<String, Object> get = map(map(container, probe), "httpGet");
        assertEquals(path, get.get("path"), probe);
        Object p = get.get("port");
        assertTrue(p.equals(portName) || p.equals(port), probe + " port " + p);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> m, String key) {
        Object v = m.get(key);
        assertNotNull(v, key);
        return (Map<String, Object>) v;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> m, String key) {
        Object v = m.get(key);
        assertNotNull(v, key);
        return (List<Map<String, Object>>) v;
    }
}
