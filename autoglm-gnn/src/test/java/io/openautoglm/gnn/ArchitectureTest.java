package io.openautoglm.gnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.gnn.Architecture.Activation;
import io.openautoglm.gnn.Architecture.Operator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    @Test
    void jsonRoundTrip() {
        Architecture a =
                Architecture.of(List.of(Operator.SAGE, Operator.GAT, Operator.GCN), 64, 4, Activation.ELU, true, 0.6);
        String json = a.toJson();
        assertTrue(json.contains("\"operators\":[\"SAGE\",\"GAT\",\"GCN\"]"), json);
        assertEquals(a, Architecture.fromJson(json));
        Architecture dagnn = Architecture.dagnnBaseline();
        assertEquals(dagnn, Architecture.fromJson(dagnn.toJson()));
        assertEquals("LINEAR-LINEAR h64 relu d0.80 prop10", dagnn.describe());
        // JSON written before propagation existed still reads, as no propagation
        assertEquals(
                0,
                Architecture.fromJson("{\"operators\":[\"GCN\"],\"hidden\":16,\"heads\":1,"
                                + "\"activation\":\"RELU\",\"skip\":false,\"dropout\":0.5}")
                        .propagation());
    }

    @Test
    void validationNamesFieldAndValue() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Architecture.of(List.of(Operator.GCN), 16, 1, Activation.RELU, false, 1.5));
        assertTrue(e.getMessage().contains("dropout") && e.getMessage().contains("1.5"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> Architecture.of(
                        List.of(Operator.GCN, Operator.GCN, Operator.GCN, Operator.GCN),
                        16,
                        1,
                        Activation.RELU,
                        false,
                        0.5));
        assertTrue(e.getMessage().contains("operators") && e.getMessage().contains("4"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> new Architecture(List.of(Operator.LINEAR), 16, 1, Activation.RELU, false, 0.5, -1));
        assertTrue(e.getMessage().contains("propagation") && e.getMessage().contains("-1"), e.getMessage());
        NullPointerException npe = assertThrows(
                NullPointerException.class,
                () -> HyperParameters.builder().checkpoint(null).build());
        assertTrue(npe.getMessage().contains("checkpoint"), npe.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> HyperParameters.builder().learningRate(-1).build());
        assertTrue(e.getMessage().contains("learningRate") && e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> TrialBudget.builder().maxTrials(0).build());
        assertTrue(e.getMessage().contains("maxTrials") && e.getMessage().contains("0"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> TrialBudget.builder().maxWallTime(Duration.ZERO).build());
        assertTrue(e.getMessage().contains("maxWallTime"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AutoGnn.builder().finalSeeds(0));
        assertTrue(e.getMessage().contains("finalSeeds"), e.getMessage());
    }

    @Test
    void fromJsonNamesTheFieldThatIsWrongOrMissing() {
        String ok = "\"operators\":[\"GCN\",\"GCN\"],\"hidden\":16,\"heads\":1,\"activation\":\"RELU\",\"skip\":false";
        assertEquals(
                Architecture.of(List.of(Operator.GCN, Operator.GCN), 16, 1, Activation.RELU, false, 0.5),
                Architecture.fromJson("{" + ok + ",\"dropout\":0.5}"),
                "propagation may be absent (older files)");
        java.util.Map<String, String> bad = java.util.Map.of(
                "{\"operators\":[\"GCN\"],\"hidden\":\"wide\",\"heads\":1,\"activation\":\"RELU\",\"skip\":false,\"dropout\":0.5}",
                "'hidden'",
                "{\"operators\":[\"GCN\"],\"hidden\":16.9,\"heads\":1,\"activation\":\"RELU\",\"skip\":false,\"dropout\":0.5}",
                "'hidden'",
                "{\"operators\":[\"GCN\"],\"hidden\":16,\"heads\":1,\"activation\":\"relu\",\"skip\":false,\"dropout\":0.5}",
                "'activation'",
                "{\"operators\":[\"GCM\"],\"hidden\":16,\"heads\":1,\"activation\":\"RELU\",\"skip\":false,\"dropout\":0.5}",
                "'operators'",
                "{" + ok + "}",
                "'dropout' is missing",
                "{\"operators\":[\"GCN\"],\"hidden\":16,\"heads\":1,\"skip\":false,\"dropout\":0.5}",
                "'activation' is missing",
                "{" + ok + ",\"dropout\":0.5} {",
                "not an architecture JSON");
        bad.forEach((json, expected) -> {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> Architecture.fromJson(json), json);
            assertTrue(e.getMessage().contains(expected), json + " -> " + e.getMessage());
        });
    }
}
