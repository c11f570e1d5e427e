package io.openautoglm.gnn;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code Graph.fromDirectory} gives exactly the graph the frozen hand-written reader gave. */
class FolderEquivalenceTest {
    @TempDir
    Path tmp;

    @Test
    void tinyFolderMatchesLegacyReader() throws Exception {
        Path dir = tmp.resolve("tiny");
        TestGraphs.writeFolder(
                dir,
                "id,label,split\n0,0,train\n1,1,val\n\n2,0,test\n3,-1,none\n",
                "0:1 2:0.5\n1:1e-3\n\n0:2 5:-0.25\n",
                "src,dst\n0,1\n1,2\n3,2\n2,3\n1,1\n\n0,3\n");
        LegacyFolderReader.assertSameGraph(LegacyFolderReader.read(dir), Graph.fromDirectory(dir));
    }

    @Test
    void coraMatchesLegacyReader() throws Exception {
        sameAsLegacy("cora");
    }

    @Test
    void citeseerMatchesLegacyReader() throws Exception {
        sameAsLegacy("citeseer");
    }

    private static void sameAsLegacy(String name) throws Exception {
        Path dir = TestGraphs.requireSharedDataset(name);
        LegacyFolderReader.assertSameGraph(LegacyFolderReader.read(dir), Graph.fromDirectory(dir));
    }
}
